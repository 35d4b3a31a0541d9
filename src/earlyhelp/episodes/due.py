"""What is due next on an episode, stored on the episode so lists never recompute it per row.

Every service that changes something a due date depends on calls `episode_refresh_due`.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from earlyhelp.calendar.working_days import add_working_days

from .models import ActionStatus, DueKind, Episode, EpisodeState, PlanAction

# DOMAIN is silent on how soon consent and the first TAF meeting should follow; these are
# the defaults a council can change (docs/decisions/0002-episode-due-dates.md).
CONSENT_WORKING_DAYS = 5
FIRST_TAF_WORKING_DAYS = 10
PLAN_AGREEMENT_WORKING_DAYS = 10
STEP_UP_DECISION_WORKING_DAYS = 1


def oversight_due_after(day: date) -> date:
    """Management oversight is due EARLYHELP_OVERSIGHT_WEEKS after the episode opens, then after each
    oversight unless the manager sets another date (docs/case-recording.md)."""
    return day + timedelta(weeks=settings.EARLYHELP_OVERSIGHT_WEEKS)


def review_dates(last_review_or_plan: date) -> tuple[date, date]:
    """The next review is due 6 weeks after the last (a setting), never later than 12."""
    return (
        last_review_or_plan + timedelta(weeks=settings.EARLYHELP_REVIEW_WEEKS),
        last_review_or_plan + timedelta(weeks=settings.EARLYHELP_REVIEW_MAX_WEEKS),
    )


class ReviewLateness:
    """How late a plan's review is. DOMAIN §7: reviews ideally every 6 weeks, at most every 12, so a review
    past its ideal date and one past the maximum are different things and are never both called "Overdue"."""

    ON_TIME = ""
    PAST_IDEAL = "past_ideal"
    PAST_MAXIMUM = "past_maximum"


def review_lateness(*, due_on: date | None, latest_on: date | None, today: date) -> str:
    if latest_on and today > latest_on:
        return ReviewLateness.PAST_MAXIMUM
    if due_on and today > due_on:
        return ReviewLateness.PAST_IDEAL
    return ReviewLateness.ON_TIME


def review_lateness_label(lateness: str) -> str:
    """The words every page uses for a late review (the weeks are the council's settings)."""
    if lateness == ReviewLateness.PAST_MAXIMUM:
        return f"Past the {settings.EARLYHELP_REVIEW_MAX_WEEKS}-week maximum"
    if lateness == ReviewLateness.PAST_IDEAL:
        return f"Past the ideal {settings.EARLYHELP_REVIEW_WEEKS} weeks"
    return ""


def episode_review_lateness(episode: Episode, today: date) -> str:
    """A review is only late while the plan it reviews is in place."""
    if episode.state != EpisodeState.PLAN_ACTIVE:
        return ReviewLateness.ON_TIME
    return review_lateness(due_on=episode.review_due_on, latest_on=episode.review_latest_on, today=today)


def _earliest_open_action(episode: Episode) -> date | None:
    return PlanAction.objects.filter(
        outcome__episode=episode, status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]
    ).aggregate(first=Min("due_on"))["first"]


def next_due(episode: Episode) -> tuple[date | None, str]:
    state = episode.state
    if state == EpisodeState.AWAITING_CONSENT:
        return add_working_days(episode.opened_on, CONSENT_WORKING_DAYS), DueKind.CONSENT
    if state == EpisodeState.ASSESSMENT:
        assessment = getattr(episode, "assessment", None)
        if assessment is not None:
            return assessment.due_on, DueKind.ASSESSMENT
        return add_working_days(episode.opened_on, settings.EARLYHELP_ASSESSMENT_WORKING_DAYS), DueKind.ASSESSMENT
    if state == EpisodeState.PLANNING:
        first_meeting = episode.taf_meetings.order_by("held_on").values_list("held_on", flat=True).first()
        if first_meeting is not None:
            return add_working_days(first_meeting, PLAN_AGREEMENT_WORKING_DAYS), DueKind.PLAN
        assessment = getattr(episode, "assessment", None)
        start = assessment.completed_on if assessment and assessment.completed_on else episode.opened_on
        return add_working_days(start, FIRST_TAF_WORKING_DAYS), DueKind.TAF_MEETING
    if state == EpisodeState.PLAN_ACTIVE:
        candidates = []
        if episode.review_due_on:
            candidates.append((episode.review_due_on, DueKind.REVIEW))
        action_due = _earliest_open_action(episode)
        if action_due:
            candidates.append((action_due, DueKind.ACTION))
        return min(candidates) if candidates else (None, "")
    if state == EpisodeState.STEP_UP_REQUESTED:
        step_up = episode.step_ups.order_by("-requested_at").first()
        start = timezone.localdate(step_up.requested_at) if step_up else episode.opened_on
        return add_working_days(start, STEP_UP_DECISION_WORKING_DAYS), DueKind.STEP_UP
    return None, ""


def episode_refresh_due(episode: Episode) -> Episode:
    episode.next_due_on, episode.next_due_kind = next_due(episode)
    Episode.objects.filter(pk=episode.pk).update(
        next_due_on=episode.next_due_on, next_due_kind=episode.next_due_kind,
        review_due_on=episode.review_due_on, review_latest_on=episode.review_latest_on,
    )
    return episode
