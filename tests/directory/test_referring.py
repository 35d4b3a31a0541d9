"""Referring a family to a directory service: from a plan action (shown on the plan with its contact
details) and from an allocation decision."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.directory.models import Service, ServiceStatus
from earlyhelp.directory.services import directory_import_feed
from earlyhelp.episodes.models import PlanAction
from earlyhelp.episodes.services import plan as plan_services
from earlyhelp.frontdoor import services as frontdoor_services
from earlyhelp.frontdoor.models import AllocationDecision, AllocationOutcome, TriageOutcome
from tests.episodes.test_plan_support import build_episode
from tests.frontdoor.factories import make_family, practitioner_request


@pytest.fixture
def directory(feed_server, db):
    directory_import_feed(base_url=feed_server.url)
    return {service.oruk_id: service for service in Service.objects.select_related("organization")}


@pytest.fixture
def lead(seeded, demo_user):
    return demo_user("practitioner")


def _action_page(client, lead):
    episode = build_episode(lead=lead)[0]
    outcome = plan_services.outcome_create(episode=episode, by=lead, in_familys_words="Mum feels less alone",
                                           needs=["14A"])
    client.force_login(lead)
    return episode, reverse("episode-action-create", kwargs={"episode_id": episode.pk, "outcome_id": outcome.pk})


def _data(lead, **extra):
    due = timezone.localdate() + timedelta(days=10)
    return {"description": "Go along to the course with mum", "owner": f"user-{lead.pk}",
            "due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year, **extra}


def test_a_plan_action_names_a_service_and_the_plan_shows_how_to_contact_it(client, lead, directory):
    episode, url = _action_page(client, lead)
    form = client.get(url).content.decode()
    assert "Parenting Together course, Exampleshire County Council" in form
    assert "Talk It Through" not in form  # temporarily closed: not offered
    response = client.post(url, _data(lead, service=directory["svc-parenting"].pk))
    assert response.status_code == 302
    action = PlanAction.objects.get(outcome__episode=episode)
    assert action.service == directory["svc-parenting"]
    plan = client.get(reverse("episode-plan", kwargs={"episode_id": episode.pk})).content.decode()
    assert "Referred to <strong>Parenting Together course</strong>, Exampleshire County Council" in plan
    assert "01632 960100" in plan
    assert 'href="mailto:parenting@example.org"' in plan
    assert 'href="https://example.org/parenting"' in plan
    # Once it leaves the directory the plan still says whom, and that it has gone.
    Service.objects.filter(pk=action.service_id).update(gone_from_feed_at=timezone.now())
    plan = client.get(reverse("episode-plan", kwargs={"episode_id": episode.pk})).content.decode()
    assert "Parenting Together course</strong>, Exampleshire County Council (no longer in the directory)" in plan


def test_a_service_not_offered_is_refused_beside_the_field_and_nothing_saved(client, lead, directory):
    episode, url = _action_page(client, lead)
    for service in (directory["svc-talk"].pk, "999999", "not-a-number"):
        response = client.post(url, _data(lead, service=service))
        assert response.status_code in (200, 422)
        assert "Choose an active service from the directory" in response.content.decode()
    assert not PlanAction.objects.filter(outcome__episode=episode).exists()
    # The service refuses it too, whoever calls it.
    directory["svc-money"].status = ServiceStatus.INACTIVE
    directory["svc-money"].save()
    outcome = episode.outcomes.get()
    with pytest.raises(Exception, match="Choose an active service"):
        plan_services.plan_action_create(episode=episode, by=lead, outcome=outcome, description="Advice",
                                         due_on=timezone.localdate(), owner_user=lead, service=directory["svc-money"])


def test_an_allocation_refers_the_family_to_a_directory_service(client, seeded, demo_user, directory):
    partner, officer = demo_user("partner"), demo_user("frontdoor")
    support_request = practitioner_request(partner, family=make_family(practitioner=partner))
    frontdoor_services.triage_decide(support_request=support_request, by=officer,
                                     outcome=TriageOutcome.EHA_NEEDED, notes="Spoke to school.")
    meeting = frontdoor_services.meeting_create(held_on=timezone.localdate(), chair=demo_user("manager"),
                                                created_by=officer)
    client.force_login(officer)
    url = reverse("allocation-decision-create", kwargs={"meeting_id": meeting.pk, "request_id": support_request.pk})
    assert "Money Matters drop-in, Eastfield Advice Centre" in client.get(url).content.decode()
    response = client.post(url, {"outcome": AllocationOutcome.REFER_ELSEWHERE, "reasons": "Debt is the worry",
                                 "directory_service": directory["svc-money"].pk})
    assert response.status_code == 302
    decision = AllocationDecision.objects.get(request=support_request)
    assert decision.other_service == "Money Matters drop-in, Eastfield Advice Centre"
