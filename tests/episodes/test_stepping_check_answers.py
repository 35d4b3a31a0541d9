"""Check your answers before a step up or a closure, neither of which can be taken back (issue 14, point 3).

A valid form shows the answers with Change links and acts only when confirmed; the answers are
validated again when confirmed; Change opens the form with the answers kept."""

import pytest
from django.urls import reverse

from earlyhelp.episodes.models import Closure, ClosureReason, EpisodeState, StepUp

from .test_stepping import episode  # noqa: F401 (the fixture)

STEP_UP = {"reasons": ["safeguarding"], "details": "Disclosure at school", "assessment_factors": ["16A"]}
CLOSE = {"reason": ClosureReason.NEEDS_MET, "summary_for_family": "You did it.", "need_3B": "met",
         "need_16A": "improved", "need_16A_comment": "Still some late nights"}


@pytest.fixture
def practitioner_client(client, demo_user):
    client.force_login(demo_user("practitioner"))
    return client


def test_a_valid_step_up_is_shown_back_and_sent_only_when_confirmed(practitioner_client, episode):  # noqa: F811
    url = reverse("episode-step-up", kwargs={"episode_id": episode.pk})
    response = practitioner_client.post(url, STEP_UP)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check your answers before sending the step up" in page
    assert not StepUp.objects.filter(episode=episode).exists()
    # Each answer as it was chosen, by its label, with a Change link back to its question.
    answers = page[page.index("data-check-answers"):]
    answers = answers[:answers.index("</dl>")]
    assert "Disclosure at school" in answers and "<li>Safeguarding concerns have emerged</li>" in answers
    assert "<li>Neglect</li>" in answers and "safeguarding" not in answers
    assert f'href="{url}?change#div_id_details"' in page
    assert page.count('class="govuk-summary-list__actions"') == 3

    sent = practitioner_client.post(url, {**STEP_UP, "confirm": "yes"})
    assert sent.status_code == 302 and sent["Location"] == reverse("episode-stepping", args=[episode.pk])
    step_up = StepUp.objects.get(episode=episode)
    assert step_up.details == "Disclosure at school" and step_up.assessment_factors == ["16A"]


def test_change_opens_the_step_up_form_with_the_answers_kept(practitioner_client, episode):  # noqa: F811
    url = reverse("episode-step-up", kwargs={"episode_id": episode.pk})
    practitioner_client.post(url, STEP_UP)
    form = practitioner_client.get(f"{url}?change").content.decode()
    assert ">\nDisclosure at school</textarea>" in form
    reason = form[form.index('value="safeguarding"'):]
    assert reason[:reason.index(">")].find("checked") > 0
    assert "govuk-error-summary" not in form
    # Without "change" the form opens fresh: the kept answers are only for coming back to them.
    assert "Disclosure at school" not in practitioner_client.get(url).content.decode()


def test_confirmed_answers_are_validated_again_and_nothing_is_sent_when_wrong(practitioner_client, episode):  # noqa: F811
    url = reverse("episode-step-up", kwargs={"episode_id": episode.pk})
    response = practitioner_client.post(url, {**STEP_UP, "details": "", "confirm": "yes"})
    assert response.status_code == 422
    assert "Describe what has changed and why early help is no longer enough" in response.content.decode()
    assert not StepUp.objects.filter(episode=episode).exists()


def test_a_closure_lists_each_needs_outcome_and_closes_only_when_confirmed(practitioner_client, episode):  # noqa: F811
    url = reverse("episode-close", kwargs={"episode_id": episode.pk})
    page = practitioner_client.post(url, CLOSE).content.decode()
    assert "Check your answers before closing the episode" in page
    assert "Outcome for: Neglect</dt>" in page and "Improved" in page
    assert "Still some late nights" in page and "You did it." in page
    assert "Comment on: Neglect</dt>" in page and "Comment (optional)" not in page
    # Questions that do not apply to this reason are not listed.
    assert "Local authority the family moved to" not in page
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLAN_ACTIVE and not Closure.objects.filter(episode=episode).exists()

    closed = practitioner_client.post(url, {**CLOSE, "confirm": "yes"})
    assert closed.status_code == 302
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED
    assert {o.need: o.result for o in Closure.objects.get(episode=episode).need_outcomes.all()} == {
        "3B": "met", "16A": "improved"}
    # The kept answers are gone once the closure is made.
    assert "You did it." not in practitioner_client.get(f"{url}?change").content.decode()


def test_only_people_who_may_change_the_episode_see_check_your_answers(client, episode, demo_user):  # noqa: F811
    client.force_login(demo_user("socialworker"))
    for name, data in (("episode-step-up", STEP_UP), ("episode-close", CLOSE)):
        assert client.post(reverse(name, args=[episode.pk]), data).status_code in (403, 404)
