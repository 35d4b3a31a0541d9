"""A move made twice (the page still offers the form) gets a plain message and 409, never a 500."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from earlyhelp.episodes.models import Episode, EpisodeState, StepDown, StepUp
from earlyhelp.episodes.services import stepping
from earlyhelp.episodes.transitions import TransitionRefused
from earlyhelp.frontdoor import harm
from earlyhelp.frontdoor.models import HarmDecision, HarmReferral
from earlyhelp.web.refusals import Refused
from earlyhelp.web.views import bad_request

from .test_stepping import episode  # noqa: F401 (a fixture)
from .test_stepping_pages import answer, answer_all, send

STEP_UP = {"reasons": ["safeguarding"], "details": "Disclosure at school", "assessment_factors": ["16A"]}


def refused_page(response, message: str) -> str:
    page = response.content.decode()
    assert response.status_code == 409, page[:500]
    assert "There is a problem" in page and message in page.replace("&#x27;", "'")
    return page


def test_a_step_up_sent_twice_is_refused_with_409(client, episode, demo_user):  # noqa: F811
    client.force_login(demo_user("practitioner"))
    answer_all(client, "step-up", episode)
    assert send(client, "step-up", episode).status_code == 302
    # Check your answers sent again (the page left open in another tab): refused, nothing sent.
    refused_page(send(client, "step-up", episode), "Children's Social Care must first decide on the step up")
    assert StepUp.objects.filter(episode=episode).count() == 1


def test_a_step_up_decided_twice_is_refused_with_409(client, episode, demo_user):  # noqa: F811
    step_up = stepping.episode_step_up(episode=episode, by=demo_user("practitioner"), **STEP_UP)
    client.force_login(demo_user("socialworker"))
    url = reverse("step-up-decide", kwargs={"step_up_id": step_up.pk})
    decline = {"decision": "decline", "notes": "Below threshold"}
    assert client.post(url, decline).status_code == 302
    refused_page(client.post(url, {"decision": "accept", "notes": ""}), "already decided on this step up")
    step_up.refresh_from_db()
    assert step_up.accepted is False


def test_a_closure_sent_twice_is_refused_with_409(client, episode, demo_user):  # noqa: F811
    client.force_login(demo_user("practitioner"))
    url = reverse("episode-close", kwargs={"episode_id": episode.pk})
    answer_all(client, "close", episode)
    assert send(client, "close", episode).status_code == 302
    refused_page(send(client, "close", episode), "The episode is closed")
    # Any of its pages, sent from a tab left open, is refused too; opened, it goes back saying why.
    refused_page(answer(client, "close", episode, "summary", {"summary_for_family": "Again"}), "The episode is closed")
    assert client.get(url).status_code == 302
    with pytest.raises(TransitionRefused, match="The episode is closed"):
        stepping.episode_close(episode=Episode.objects.get(pk=episode.pk), by=demo_user("practitioner"),
                               reason="needs_met", summary_for_family="Again", need_outcomes={})


def test_a_step_down_decided_twice_is_refused_with_409(client, episode, demo_user):  # noqa: F811
    family = episode.family
    Episode.objects.filter(pk=episode.pk).update(state=EpisodeState.CLOSED)
    step_down = StepDown.objects.create(family=family, social_worker=demo_user("socialworker"),
                                        final_assessment_summary="Risks reduced", handover_plan="Joint visit",
                                        proposed_at=timezone.now())
    step_down.children.set(family.members.all())
    client.force_login(demo_user("frontdoor"))
    url = reverse("step-down-detail", kwargs={"step_down_id": step_down.pk})
    returned = {"decision": "return", "return_reasons": "Domestic abuse still current"}
    assert client.post(url, returned).status_code == 302
    refused_page(client.post(url, returned), "Early help has already decided on this step down")


def test_a_harm_referral_decided_twice_is_refused_with_409(client, episode, demo_user):  # noqa: F811
    referral = HarmReferral.objects.create(family=episode.family, raised_by=demo_user("practitioner"),
                                           raised_at=timezone.now(), what_is_known="Bruise", referral_source="5D")
    client.force_login(demo_user("socialworker"))
    url = reverse("harm-referral-detail", kwargs={"referral_id": referral.pk})
    decided = {"decision": HarmDecision.S47, "notes": "Strategy discussion today"}
    assert client.post(url, decided).status_code == 302
    refused_page(client.post(url, {"decision": HarmDecision.S17, "notes": "Again"}), "already been recorded")
    with pytest.raises(Refused):
        harm.harm_referral_decide(referral=referral, decided_by=demo_user("socialworker"),
                                  decision=HarmDecision.S17, notes="Again")


def test_any_refusal_a_view_lets_through_is_a_409_page_with_a_link_back(seeded, demo_user):
    request = RequestFactory().post("/step-ups/1/", HTTP_REFERER="http://testserver/step-ups/1/")
    request.user = demo_user("practitioner")
    response = bad_request(request, Refused("This request has already been triaged"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "This request has already been triaged" in page and 'href="http://testserver/step-ups/1/"' in page
    elsewhere = RequestFactory().post("/step-ups/1/", HTTP_REFERER="https://evil.example/")
    elsewhere.user = request.user
    assert 'href="/step-ups/1/"' in bad_request(elsewhere, Refused("No")).content.decode()


def test_thousands_of_attendee_addresses_are_a_field_error_not_a_500(client, episode, demo_user):  # noqa: F811
    client.force_login(demo_user("practitioner"))
    url = reverse("episode-taf-create", kwargs={"episode_id": episode.pk})
    addresses = "\n".join(f"someone{number}@example.org" for number in range(5000))  # about 100,000 characters
    response = client.post(url, {"held_on_0": "1", "held_on_1": "9", "held_on_2": "2026",
                                 "other_practitioners": addresses, "discussed": "Plan"})
    assert response.status_code == 200
    assert "Other practitioners who attended must be 3,000 characters or fewer" in response.content.decode()
    few = "\n".join(f"someone{number}@example.org" for number in range(31))
    response = client.post(url, {"held_on_0": "1", "held_on_1": "9", "held_on_2": "2026",
                                 "other_practitioners": few, "discussed": "Plan"})
    assert "Enter at most 30 email addresses" in response.content.decode()


def test_with_debug_on_a_refusal_is_still_the_plain_409_page(client, episode, demo_user, settings):  # noqa: F811
    settings.DEBUG = True
    client.force_login(demo_user("practitioner"))
    answer_all(client, "step-up", episode)
    assert send(client, "step-up", episode).status_code == 302
    page = refused_page(send(client, "step-up", episode), "Children's Social Care must first decide on the step up")
    # Not Django's technical page for a BadRequest, which DEBUG would otherwise show.
    assert "Traceback" not in page and "Request Method:" not in page
