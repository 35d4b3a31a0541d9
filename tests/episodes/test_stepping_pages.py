"""A step up and a closure as question pages ending in check your answers (issue 14, points 1 and 3).

Neither can be taken back (DOMAIN §8): each page is validated, the answers are the user's draft,
nothing is sent before check your answers is, every page is validated again then, and only the
people who may change the episode open any of the pages."""

import re
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AccessRecord
from earlyhelp.episodes.models import Assessment, Closure, ClosureReason, EpisodeState, StepUp
from earlyhelp.people.models import Involvement
from earlyhelp.web.models import Draft

from .test_stepping import episode  # noqa: F401 (the fixture: plan active, agreed needs 3B and 16A)

STEP_UP = {
    "why": {"reasons": ["safeguarding"], "details": "Disclosure at school"},
    "factors": {"factors_parenting_capacity": ["3B", "16A"], "factors_family_environment": ["1C"]},
}
CLOSE = {
    "reason": {"reason": ClosureReason.NEEDS_MET},
    "outcomes": {"need_3B": "met", "need_16A": "improved", "need_16A_comment": "Still some late nights"},
    "summary": {"summary_for_family": "You did it."},
}
JOURNEYS = {"step-up": ("episode-step-up-step", STEP_UP), "close": ("episode-close-step", CLOSE)}


def page_url(journey: str, episode, step: str) -> str:  # noqa: F811
    return reverse(JOURNEYS[journey][0], kwargs={"episode_id": episode.pk, "step": step})


def answer(client, journey: str, episode, step: str, data: dict):  # noqa: F811
    """Send one question page as a browser would: its fields under the step's prefix."""
    posted = {f"questions-{JOURNEYS[journey][0]}-episode_id-{episode.pk}-current_step": step}
    posted.update({f"{step}-{name}": value for name, value in data.items()})
    return client.post(page_url(journey, episode, step), posted)


def answer_all(client, journey: str, episode, **changes):  # noqa: F811
    for step, data in JOURNEYS[journey][1].items():
        response = answer(client, journey, episode, step, {**data, **changes.get(step, {})})
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    return response


def send(client, journey: str, episode):  # noqa: F811
    """Send check your answers: the one-way action."""
    return answer(client, journey, episode, "check", {})


@pytest.fixture
def practitioner(client, demo_user):
    client.force_login(demo_user("practitioner"))
    return demo_user("practitioner")


def test_a_step_up_is_asked_a_page_at_a_time_and_sent_only_from_check_your_answers(client, practitioner, episode):  # noqa: F811
    start = client.get(reverse("episode-step-up", kwargs={"episode_id": episode.pk}))
    assert start["Location"] == page_url("step-up", episode, "why")
    why = client.get(start["Location"]).content.decode()
    assert "Why now?" in why and "referral source 5D" in why and "Step family" in why
    assert answer(client, "step-up", episode, "why", STEP_UP["why"])["Location"] == page_url(
        "step-up", episode, "factors")
    assert not StepUp.objects.filter(episode=episode).exists()

    response = answer(client, "step-up", episode, "factors", STEP_UP["factors"])
    assert response["Location"] == page_url("step-up", episode, "check")
    page = client.get(response["Location"]).content.decode()
    assert "Check your answers before sending the step up" in page
    answers = page[page.index('data-answers="1"'):page.index("cannot be taken back")]
    assert "Disclosure at school" in answers and "<li>Safeguarding concerns have emerged</li>" in answers
    # The factors by their labels, under their domain; a domain with none chosen is not listed.
    assert "Parenting capacity</dt>" in answers and "<li>Neglect</li>" in answers
    assert "Child&#x27;s developmental needs</dt>" not in answers and "3B" not in answers, answers
    assert f'href="{page_url("step-up", episode, "factors")}#id_factors-factors_parenting_capacity' in page
    assert "cannot be taken back" in page
    assert not StepUp.objects.filter(episode=episode).exists()

    sent = send(client, "step-up", episode)
    assert sent["Location"] == reverse("episode-stepping", args=[episode.pk])
    step_up = StepUp.objects.get(episode=episode)
    assert step_up.reasons == ["safeguarding"] and step_up.details == "Disclosure at school"
    assert step_up.assessment_factors == ["3B", "16A", "1C"]  # in the framework's order
    episode.refresh_from_db()
    assert episode.state == EpisodeState.STEP_UP_REQUESTED
    assert not Draft.objects.filter(user=practitioner).exists()  # the answers go once sent


def test_the_factors_page_starts_from_the_assessments_agreed_needs_grouped_by_domain(client, practitioner, episode):  # noqa: F811
    answer(client, "step-up", episode, "why", STEP_UP["why"])
    page = client.get(page_url("step-up", episode, "factors")).content.decode()
    parenting = page[page.index('id="div_id_factors-factors_parenting_capacity"'):]
    parenting = parenting[:parenting.index("</fieldset>")]
    for code in ("3B", "16A"):  # the agreed needs, both parenting capacity
        option = parenting[parenting.index(f'value="{code}"'):]
        assert "checked" in option[:option.index(">")]
    assert len(re.findall(r"<input[^>]*\bchecked\b", page)) == 2
    assert "The needs agreed in the assessment are already selected" in page


def test_a_page_answered_wrongly_says_why_beside_the_field_and_keeps_nothing(client, practitioner, episode):  # noqa: F811
    response = answer(client, "step-up", episode, "why", {"details": "  "})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Choose at least one reason for stepping up" in page
    assert "Describe what has changed and why early help is no longer enough" in page
    assert 'href="#id_why-reasons' in page
    assert client.get(page_url("step-up", episode, "check"))["Location"] == page_url("step-up", episode, "why")


def test_a_change_link_goes_back_to_the_question_and_returns_to_check_your_answers(client, practitioner, episode):  # noqa: F811
    answer_all(client, "step-up", episode)
    client.get(page_url("step-up", episode, "check"))
    changed = answer(client, "step-up", episode, "why", {**STEP_UP["why"], "details": "Told her teacher"})
    assert changed["Location"] == page_url("step-up", episode, "check")
    assert "Told her teacher" in client.get(changed["Location"]).content.decode()


def test_every_page_is_validated_again_before_the_step_up_is_sent(client, practitioner, episode):  # noqa: F811
    answer_all(client, "step-up", episode)
    # The kept answers no longer valid (as if a page had been sent by another tab, or tampered with).
    draft = Draft.objects.get(user=practitioner)
    draft.data["step_data"]["why"]["why-reasons"] = ["not-a-reason"]
    draft.save()
    response = send(client, "step-up", episode)
    assert response["Location"] == page_url("step-up", episode, "why")  # the page that is wrong now
    page = client.get(response["Location"])
    assert page.status_code == 422 and "Choose reasons from the list" in page.content.decode()
    assert not StepUp.objects.filter(episode=episode).exists()


def test_a_closure_asks_why_then_each_needs_outcome_then_the_summary(client, practitioner, episode):  # noqa: F811
    start = client.get(reverse("episode-close", kwargs={"episode_id": episode.pk}))
    assert start["Location"] == page_url("close", episode, "reason")
    reason = client.get(start["Location"]).content.decode()
    # The follow-ups sit inside their answer's conditional reveal.
    assert 'id="conditional-id_reason-reason-' in reason and "Local authority the family moved to" in reason
    moved = answer(client, "close", episode, "reason", {"reason": ClosureReason.MOVED_AWAY})
    assert moved.status_code == 422 and "Enter the local authority the family moved to" in moved.content.decode()
    # Typed, then another answer chosen: the follow-up is not kept.
    answer(client, "close", episode, "reason", {"reason": ClosureReason.NEEDS_MET, "new_authority": "Elsewhere"})

    missing = answer(client, "close", episode, "outcomes", {"need_3B": "met"})
    assert missing.status_code == 422
    assert "Choose the outcome for the need “Neglect”" in missing.content.decode()
    assert "Choose the outcome for this need" not in missing.content.decode()
    answer(client, "close", episode, "outcomes", CLOSE["outcomes"])
    summary = answer(client, "close", episode, "summary", {"summary_for_family": ""})
    assert summary.status_code == 422 and "Write a closing summary for the family" in summary.content.decode()
    answer(client, "close", episode, "summary", CLOSE["summary"])

    page = client.get(page_url("close", episode, "check")).content.decode()
    assert "Check your answers before closing the episode" in page
    assert "Outcome for: Neglect</dt>" in page and "Improved<br>Still some late nights" in page
    assert "You did it." in page and "Needs met" in page
    assert "Local authority the family moved to" not in page and "Elsewhere" not in page
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLAN_ACTIVE and not Closure.objects.filter(episode=episode).exists()

    assert send(client, "close", episode)["Location"] == reverse("episode-stepping", args=[episode.pk])
    episode.refresh_from_db()
    closure = Closure.objects.get(episode=episode)
    assert episode.state == EpisodeState.CLOSED and closure.new_authority == ""
    assert {o.need: (o.result, o.comment) for o in closure.need_outcomes.all()} == {
        "3B": ("met", ""), "16A": ("improved", "Still some late nights")}


def test_a_closure_for_a_move_away_keeps_the_authority(client, practitioner, episode):  # noqa: F811
    answer_all(client, "close", episode, reason={"reason": ClosureReason.MOVED_AWAY, "new_authority": "Exampleshire"})
    assert "Exampleshire" in client.get(page_url("close", episode, "check")).content.decode()
    send(client, "close", episode)
    assert Closure.objects.get(episode=episode).new_authority == "Exampleshire"


def test_with_no_agreed_needs_there_is_no_outcomes_page(client, practitioner, episode):  # noqa: F811
    Assessment.objects.filter(episode=episode).update(agreed_needs=[])
    answer(client, "close", episode, "reason", CLOSE["reason"])
    response = answer(client, "close", episode, "summary", CLOSE["summary"])
    assert response["Location"] == page_url("close", episode, "check")
    assert "The outcome for each need" not in client.get(response["Location"]).content.decode()
    send(client, "close", episode)
    assert not Closure.objects.get(episode=episode).need_outcomes.exists()


@pytest.mark.parametrize("journey", JOURNEYS)
def test_who_may_not_change_the_episode_opens_none_of_the_pages(client, episode, demo_user, journey):  # noqa: F811
    partner = demo_user("partner")  # the child's teacher: may see the family, not change the episode
    child = episode.family.members.get()
    Involvement.objects.create(person=child, agency=partner.agency, practitioner=partner, started_on=date(2026, 9, 1))
    client.force_login(partner)
    assert client.get(reverse("episode-stepping", args=[episode.pk])).status_code == 200
    for step in [*JOURNEYS[journey][1], "check"]:
        assert client.get(page_url(journey, episode, step)).status_code == 403, step
        assert answer(client, journey, episode, step, JOURNEYS[journey][1].get(step, {})).status_code == 403, step
    assert not StepUp.objects.filter(episode=episode).exists() and not Closure.objects.filter(episode=episode).exists()
    assert not Draft.objects.exists()


@pytest.mark.parametrize("journey", JOURNEYS)
def test_each_page_records_the_look_at_the_family(client, practitioner, episode, journey):  # noqa: F811
    first = next(iter(JOURNEYS[journey][1]))
    url = page_url(journey, episode, first)
    assert client.get(url).status_code == 200
    assert AccessRecord.objects.filter(user=practitioner, family=episode.family, path=url).exists()


def test_a_page_opened_when_the_move_is_no_longer_allowed_goes_back_saying_why(client, practitioner, episode):  # noqa: F811
    episode.state = EpisodeState.CLOSED
    episode.save(update_fields=["state"])
    for journey in JOURNEYS:
        response = client.get(page_url(journey, episode, next(iter(JOURNEYS[journey][1]))), follow=True)
        assert response.redirect_chain[-1][0] == reverse("episode-stepping", args=[episode.pk])
        assert "the episode is closed" in response.content.decode()
