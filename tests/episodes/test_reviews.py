"""Reviews: 6 and 12 weeks, a late flag from the stored dates, a score per outcome, a version each time."""

import html
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.episodes.models import (
    DueKind,
    EpisodeEvent,
    EpisodeState,
    OutcomeProgress,
    PlanVersion,
    Review,
    ReviewDecision,
)
from earlyhelp.episodes.services import plan as services
from earlyhelp.episodes.views.plan import _optional_url

from .test_plan_support import build_episode


@pytest.fixture
def lead(seeded, demo_user):
    return demo_user("practitioner")


def _agreed_plan(lead, outcomes: int = 2):
    """An episode whose plan has just been agreed (today), with outcomes that each have an action."""
    episode, people = build_episode(lead=lead)
    made = []
    for number in range(outcomes):
        outcome = services.outcome_create(episode=episode, by=lead, in_familys_words=f"Outcome {number}",
                                          needs=["14A"])
        services.plan_action_create(episode=episode, by=lead, outcome=outcome, description="Do it",
                                    due_on=timezone.localdate() + timedelta(days=60), owner_user=lead)
        made.append(outcome)
    services.taf_meeting_record(episode=episode, by=lead, held_on=timezone.localdate(), practitioners=[lead],
                                agencies=[], family_members=[people["mum"]], discussed="The plan")
    services.plan_agree(episode=episode, by=lead)
    episode.refresh_from_db()
    return episode, made


def _review(episode, lead, outcomes, *, held_on=None, scores=None, decision=ReviewDecision.CONTINUE):
    scores = scores or [5] * len(outcomes)
    return services.review_create(
        episode=episode, by=lead, held_on=held_on or timezone.localdate(),
        progress={outcome.pk: (score, f"Comment {score}") for outcome, score in zip(outcomes, scores)},
        new_or_unmet_needs="", decision=decision,
    )


def test_the_first_review_is_due_6_weeks_after_the_plan_is_agreed_and_at_most_12(lead):
    episode, _ = _agreed_plan(lead)
    today = timezone.localdate()
    assert episode.review_due_on == today + timedelta(weeks=6)
    assert episode.review_latest_on == today + timedelta(weeks=12)


def test_each_review_moves_the_dates_to_6_and_12_weeks_after_it(lead):
    episode, outcomes = _agreed_plan(lead)
    PlanVersion.objects.filter(episode=episode).update(made_at=timezone.now() - timedelta(weeks=7))
    held_on = timezone.localdate() - timedelta(days=3)
    _review(episode, lead, outcomes, held_on=held_on)
    episode.refresh_from_db()
    assert (episode.review_due_on, episode.review_latest_on) == (
        held_on + timedelta(weeks=6), held_on + timedelta(weeks=12)
    )
    assert episode.next_due_kind == DueKind.REVIEW and episode.next_due_on == held_on + timedelta(weeks=6)
    _review(episode, lead, outcomes)
    episode.refresh_from_db()
    assert episode.review_due_on == timezone.localdate() + timedelta(weeks=6)


def test_the_review_periods_are_settings(lead, settings):
    settings.EARLYHELP_REVIEW_WEEKS = 4
    settings.EARLYHELP_REVIEW_MAX_WEEKS = 8
    episode, outcomes = _agreed_plan(lead)
    _review(episode, lead, outcomes)
    episode.refresh_from_db()
    today = timezone.localdate()
    assert (episode.review_due_on, episode.review_latest_on) == (today + timedelta(weeks=4), today + timedelta(weeks=8))


def test_the_late_flag_comes_from_the_stored_dates(lead):
    episode, _ = _agreed_plan(lead)
    episode.review_due_on, episode.review_latest_on = date(2026, 3, 2), date(2026, 4, 13)
    on_time = services.review_timing(episode, today=date(2026, 3, 2))
    assert (on_time["late"], on_time["past_latest"]) == (False, False)
    late = services.review_timing(episode, today=date(2026, 3, 3))
    assert (late["late"], late["past_latest"]) == (True, False)
    very_late = services.review_timing(episode, today=date(2026, 4, 14))
    assert (very_late["late"], very_late["past_latest"]) == (True, True)
    # Not while the plan is not in place.
    episode.state = EpisodeState.CLOSED
    assert services.review_timing(episode, today=date(2026, 4, 14))["late"] is False


def test_the_reviews_page_shows_both_dates_and_flags_a_late_review(client, lead):
    episode, _ = _agreed_plan(lead)
    client.force_login(lead)
    url = reverse("episode-reviews", kwargs={"episode_id": episode.pk})
    page = client.get(url).content.decode()
    assert f"{episode.review_due_on.day} {episode.review_due_on:%B %Y}" in page
    assert f"{episode.review_latest_on.day} {episode.review_latest_on:%B %Y}" in page
    assert "Past the ideal 6 weeks" not in page and "Past the 12-week maximum" not in page
    today = timezone.localdate()
    episode.__class__.objects.filter(pk=episode.pk).update(
        review_due_on=today - timedelta(days=1), review_latest_on=today + timedelta(weeks=5))
    page = client.get(url).content.decode()
    assert "Past the ideal 6 weeks" in page and "Past the 12-week maximum" not in page
    episode.__class__.objects.filter(pk=episode.pk).update(review_latest_on=today - timedelta(days=1))
    page = client.get(url).content.decode()
    assert "Past the ideal 6 weeks" in page and "Past the 12-week maximum" in page


def test_a_review_needs_a_score_from_0_to_10_for_every_outcome(lead):
    episode, outcomes = _agreed_plan(lead)
    for bad in ([11, 5], [None, 5], [-1, 5]):
        with pytest.raises(ValidationError) as refused:
            _review(episode, lead, outcomes, scores=bad)
        assert refused.value.message_dict == {f"score_{outcomes[0].pk}": ["Enter a progress score from 0 to 10"]}
    with pytest.raises(ValidationError) as refused:  # an outcome left out
        services.review_create(episode=episode, by=lead, held_on=timezone.localdate(),
                               progress={outcomes[0].pk: (3, "")}, new_or_unmet_needs="", decision="continue")
    assert list(refused.value.message_dict) == [f"score_{outcomes[1].pk}"]
    assert not Review.objects.filter(episode=episode).exists() and not OutcomeProgress.objects.filter(review__episode=episode).exists()
    review = _review(episode, lead, outcomes, scores=[0, 10])
    assert sorted(review.progress.values_list("score", flat=True)) == [0, 10]


def test_the_review_form_explains_scores_and_keeps_what_was_typed(client, lead):
    episode, outcomes = _agreed_plan(lead)
    client.force_login(lead)
    url = reverse("episode-review-create", kwargs={"episode_id": episode.pk})
    today = timezone.localdate()
    data = {
        "held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year,
        f"score_{outcomes[0].pk}": "eleven", f"comment_{outcomes[0].pk}": "Going to school most days",
        f"score_{outcomes[1].pk}": "", "decision": "continue",
    }
    page = client.post(url, data).content.decode()
    assert "Enter a progress score from 0 to 10, as a whole number" in page
    assert "Enter a progress score from 0 to 10" in page
    assert "Going to school most days</textarea>" in page
    assert 'value="eleven"' in page
    assert not Review.objects.filter(episode=episode).exists()
    tomorrow = today + timedelta(days=1)
    page = client.post(url, {**data, "held_on_0": tomorrow.day, "held_on_1": tomorrow.month,
                             "held_on_2": tomorrow.year}).content.decode()
    assert "The review date cannot be in the future" in page
    response = client.post(url, {**data, f"score_{outcomes[0].pk}": "7", f"score_{outcomes[1].pk}": "3"})
    review = Review.objects.get(episode=episode)
    assert response["Location"] == reverse("episode-review-detail", kwargs={"episode_id": episode.pk, "review_id": review.pk})
    assert sorted(review.progress.values_list("score", "comment")) == [(3, ""), (7, "Going to school most days")]


def test_each_review_leaves_a_version_of_the_plan_behind(lead):
    episode, outcomes = _agreed_plan(lead)
    _review(episode, lead, outcomes, scores=[4, 6])
    _review(episode, lead, outcomes, scores=[7, 8])
    versions = list(PlanVersion.objects.filter(episode=episode).order_by("number"))
    assert [version.number for version in versions] == [1, 2, 3]
    assert "review" not in versions[0].snapshot
    assert [o["progress"]["score"] for o in versions[1].snapshot["outcomes"]] == [4, 6]
    assert [o["progress"]["score"] for o in versions[2].snapshot["outcomes"]] == [7, 8]
    assert versions[2].snapshot["review"]["decision"] == "continue"
    assert versions[2].snapshot["outcomes"][0]["actions"][0]["description"] == "Do it"
    assert EpisodeEvent.objects.filter(episode=episode, kind="review").count() == 2


def test_a_review_date_cannot_be_in_the_future_or_before_the_last_review(lead):
    episode, outcomes = _agreed_plan(lead)
    with pytest.raises(ValidationError) as refused:
        _review(episode, lead, outcomes, held_on=timezone.localdate() + timedelta(days=1))
    assert refused.value.message_dict == {"held_on": ["The review date cannot be in the future"]}
    _review(episode, lead, outcomes)
    with pytest.raises(ValidationError) as refused:
        _review(episode, lead, outcomes, held_on=timezone.localdate() - timedelta(days=1))
    assert "before the last review" in refused.value.message_dict["held_on"][0]


def test_reviews_only_while_the_plan_is_in_place_and_by_those_working_the_case(lead, demo_user):
    planning, _ = build_episode(lead=lead)
    with pytest.raises(ValidationError):
        services.review_create(episode=planning, by=lead, held_on=timezone.localdate(), progress={},
                               new_or_unmet_needs="", decision="continue")
    episode, outcomes = _agreed_plan(lead)
    with pytest.raises(PermissionDenied):
        _review(episode, demo_user("partner"), outcomes)
    assert _review(episode, demo_user("manager"), outcomes).recorded_by == demo_user("manager")


@pytest.mark.parametrize("decision, button, url_name", [
    (ReviewDecision.STEP_UP, "Request the step up to Children's Social Care", "episode-step-up"),
    (ReviewDecision.STEP_DOWN, "Close the episode and record the outcome for each need", "episode-close"),
    (ReviewDecision.CLOSE, "Close the episode and record the outcome for each need", "episode-close"),
])
def test_the_decision_leads_to_the_next_step(client, lead, decision, button, url_name):
    episode, outcomes = _agreed_plan(lead)
    review = _review(episode, lead, outcomes, decision=decision)
    client.force_login(lead)
    page = html.unescape(client.get(
        reverse("episode-review-detail", kwargs={"episode_id": episode.pk, "review_id": review.pk})
    ).content.decode())
    assert button in page
    next_url = _optional_url(url_name, episode.pk)
    if next_url:  # the page is installed: the button goes there
        assert f'href="{next_url}">{button}' in page


def test_links_to_pages_that_are_not_installed_are_left_out():
    assert _optional_url("no-such-page", 1) == ""
    assert _optional_url("episode-reviews", 1) == "/episodes/1/reviews/"


def test_a_review_cannot_be_dated_before_the_plan_was_agreed(lead):
    episode, outcomes = _agreed_plan(lead)
    with pytest.raises(ValidationError) as refused:
        _review(episode, lead, outcomes, held_on=timezone.localdate() - timedelta(days=1))
    assert "before the plan was agreed" in refused.value.message_dict["held_on"][0]
