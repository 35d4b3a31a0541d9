"""The alert follows the family: the banner on every page of the family, on each person's page, on
the meeting form and the step up; recording and ending through the pages; every look audited."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.alerts.models import Alert, AlertKind
from earlyhelp.audit.models import AccessRecord
from earlyhelp.episodes.models import EpisodeState, StepUp

pytestmark = pytest.mark.django_db

BANNER = "data-worker-safety-alert"


def _alert(world, **fields) -> Alert:
    values = {"family": world["family"], "kind": AlertKind.ANIMALS, "recorded_by": world["users"]["lead"],
              "details": "Two large dogs: ask for them to be shut away before you go in"}
    return Alert.objects.create(**{**values, **fields})


def _banner(response) -> str:
    html = response.content.decode()
    match = re.search(rf"<div [^>]*{BANNER}.*?</ul>", html, re.S)
    return match.group(0) if match else ""


def test_an_alert_shows_on_the_familys_pages_its_peoples_pages_the_meeting_form_and_the_step_up(client, world):
    _alert(world)
    episode = world["episode"]
    client.force_login(world["users"]["lead"])
    pages = {
        "family": reverse("family-detail", kwargs={"family_id": world["family"].pk}),
        "person": reverse("person-detail", kwargs={"person_id": world["people"]["noah"].pk}),
        "episode": reverse("episode-detail", kwargs={"episode_id": episode.pk}),
        "assessment": reverse("episode-assessment", kwargs={"episode_id": episode.pk}),
        "meeting form": reverse("episode-taf-create", kwargs={"episode_id": episode.pk}),
        "notes": reverse("family-notes", kwargs={"family_id": world["family"].pk}),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        banner = _banner(response)
        assert "Dogs or other animals" in banner and "shut away" in banner, name
        assert "Lead Tester" in banner, name
    episode.state = EpisodeState.PLAN_ACTIVE
    episode.save(update_fields=["state"])
    # The step up's first question (its first address opens the question the user is at).
    response = client.get(reverse("episode-step-up", kwargs={"episode_id": episode.pk}), follow=True)
    assert response.status_code == 200 and "shut away" in _banner(response)


def test_the_social_worker_deciding_a_step_up_sees_it(client, world):
    _alert(world, kind=AlertKind.VISIT_IN_PAIRS, details="Visit in pairs: Dad has been aggressive")
    episode = world["episode"]
    episode.state = EpisodeState.STEP_UP_REQUESTED
    episode.save(update_fields=["state"])
    step_up = StepUp.objects.create(episode=episode, reasons=["complexity"], details="Needs grew",
                                    requested_by=world["users"]["lead"], requested_at=timezone.now(),
                                    social_worker=world["users"]["social_worker"])
    client.force_login(world["users"]["social_worker"])
    response = client.get(reverse("step-up-decide", kwargs={"step_up_id": step_up.pk}))
    assert response.status_code == 200
    assert "Visit in pairs: Dad has been aggressive" in _banner(response)


def test_a_persons_page_shows_the_alerts_of_every_family_they_live_in(client, world):
    _alert(world)
    _alert(world, family=world["other_family"], kind=AlertKind.VIOLENCE, person=world["people"]["lee"],
           details="Lee hit a bailiff in March")
    client.force_login(world["users"]["lead"])
    banner = _banner(client.get(reverse("person-detail", kwargs={"person_id": world["people"]["kim"].pk})))
    assert "shut away" in banner and "Lee hit a bailiff" in banner and "Brook family" in banner
    # Noah lives only with the Ashworths.
    banner = _banner(client.get(reverse("person-detail", kwargs={"person_id": world["people"]["noah"].pk})))
    assert "shut away" in banner and "Lee hit a bailiff" not in banner


def test_an_alert_ended_with_a_reason_no_longer_shows_but_stays_in_the_history(client, world):
    alert = _alert(world)
    client.force_login(world["users"]["manager"])
    end_url = reverse("alert-end", kwargs={"alert_id": alert.pk})
    response = client.post(end_url, {"reason": ""})
    assert response.status_code == 422 and "Enter why the risk to workers has ended" in response.content.decode()
    response = client.post(end_url, {"reason": "The dogs have been rehomed"})
    assert response.status_code == 302
    family_page = client.get(reverse("family-detail", kwargs={"family_id": world["family"].pk}))
    assert BANNER not in family_page.content.decode()
    history = client.get(reverse("family-alerts", kwargs={"family_id": world["family"].pk})).content.decode()
    assert "The dogs have been rehomed" in history and "Manager Tester" in history and "shut away" in history
    # Ended meanwhile in another tab: refused, and the first reason kept.
    response = client.post(end_url, {"reason": "Second tab"})
    assert response.status_code == 409
    assert Alert.objects.get(pk=alert.pk).end_reason == "The dogs have been rehomed"


def test_recording_an_alert_through_the_page(client, world):
    client.force_login(world["users"]["partner"])
    url = reverse("alert-create", kwargs={"family_id": world["family"].pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "", "details": "", "person": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Select what kind of risk to workers it is" in html and "Enter what workers need to know" in html
    response = client.post(url, {"kind": AlertKind.INTIMIDATION, "details": "Kim's ex-partner waits outside",
                                 "person": world["people"]["kim"].pk})
    assert response.status_code == 302
    alert = Alert.objects.get()
    assert (alert.kind, alert.person, alert.recorded_by) == (AlertKind.INTIMIDATION, world["people"]["kim"],
                                                            world["users"]["partner"])


def test_no_one_outside_the_network_sees_records_or_ends_an_alert(client, world):
    alert = _alert(world)
    for who in ("outsider", "analyst"):
        client.force_login(world["users"][who])
        for url in (reverse("family-alerts", kwargs={"family_id": world["family"].pk}),
                    reverse("alert-create", kwargs={"family_id": world["family"].pk}),
                    reverse("alert-end", kwargs={"alert_id": alert.pk})):
            for response in (client.get(url), client.post(url, {"reason": "x", "kind": "other", "details": "x"})):
                assert response.status_code in (403, 404), (who, url)
                assert "shut away" not in response.content.decode()
    assert Alert.objects.count() == 1 and Alert.objects.get().is_open


def test_every_alert_page_records_the_look(client, world):
    alert = _alert(world)
    client.force_login(world["users"]["lead"])
    for url in (reverse("family-alerts", kwargs={"family_id": world["family"].pk}),
                reverse("alert-create", kwargs={"family_id": world["family"].pk}),
                reverse("alert-end", kwargs={"alert_id": alert.pk})):
        before = AccessRecord.objects.count()
        assert client.get(url).status_code == 200
        assert AccessRecord.objects.filter(family=world["family"], user=world["users"]["lead"]).count() == before + 1


def _opened(response) -> str:
    return re.search(r'name="opened" value="([^"]+)"', response.content.decode()).group(1)


def test_a_risk_recorded_in_the_engagement_section_shows_on_the_family_page_once(client, world):
    client.force_login(world["users"]["lead"])
    url = reverse("episode-assessment-engagement", kwargs={"episode_id": world["episode"].pk})
    for _ in range(2):
        opened = _opened(client.get(url))
        response = client.post(url, {"opened": opened, "engagement_attempts": "Three visits",
                                     "risk_to_workers": "Dad threatened a worker with a knife in 2025",
                                     "risk_kind": AlertKind.VIOLENCE})
        assert response.status_code == 302, response.content.decode()[:2000]
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.VIOLENCE and alert.source == "assessment"
    page = client.get(url)
    assert page.context["form"]["risk_kind"].value() == AlertKind.VIOLENCE
    banner = _banner(client.get(reverse("family-detail", kwargs={"family_id": world["family"].pk})))
    assert "threatened a worker with a knife" in banner and "in the assessment" in banner


def test_the_allocation_meetings_decision_form_shows_it(client, world):
    from datetime import timedelta

    from earlyhelp.accounts.models import Agency, Role
    from earlyhelp.frontdoor import models as fd

    from .builders import make_user

    _alert(world, kind=AlertKind.VIOLENCE, details="Mum's partner threw a mug at the last visitor")
    officer = make_user("officer", Role.FRONT_DOOR_OFFICER, Agency.objects.get(name="Early Help Service"))
    request = fd.RequestForSupport.objects.create(
        reference="EH-ALERT-1", source=fd.RequestSource.PRACTITIONER, status=fd.RequestStatus.AWAITING_ALLOCATION,
        family=world["family"], requested_by=world["users"]["partner"],
        requester_agency=world["users"]["partner"].agency, concern_details="Noah is often late",
        family_agreement=fd.FamilyAgreement.YES, submitted_at=timezone.now() - timedelta(days=3),
        triage_due_on=timezone.localdate(),
    )
    meeting = fd.AllocationMeeting.objects.create(held_on=timezone.localdate(), chair=world["users"]["manager"])
    client.force_login(officer)
    response = client.get(reverse("allocation-decision-create",
                                  kwargs={"meeting_id": meeting.pk, "request_id": request.pk}))
    assert response.status_code == 200
    assert "threw a mug at the last visitor" in _banner(response)


def test_the_banner_is_one_query_for_the_alerts_however_many_families_and_alerts(world, django_assert_num_queries):
    from django.template import Context, Template

    for number in range(3):
        _alert(world, person=world["people"]["kim"], details=f"Ashworth alert {number}")
        _alert(world, family=world["other_family"], person=world["people"]["lee"], details=f"Brook alert {number}")
    template = Template("{% load family_alerts %}{% family_alerts family %}")
    with django_assert_num_queries(2):  # the concerns of significant harm, and the alerts
        shown = template.render(Context({"family": world["family"],
                                         "alert_family_ids": [world["family"].pk, world["other_family"].pk]}))
    assert shown.count("data-alert=") == 6 and "Brook family" in shown and "Kim Ashworth" in shown
    with django_assert_num_queries(2):
        shown = template.render(Context({"family": world["family"].pk}))
    assert shown.count("data-alert=") == 3 and "Brook" not in shown
