"""Reminders of what falls due: plan actions (to their owner) and reviews (to the lead professional and the
allocated worker), each once per item and due date (Message.once_key): running it twice sends nothing twice,
and a due date moved later is reminded again."""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .services import message_queue


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def reminders_queue(*, today: date | None = None) -> int:
    """Queue the reminders due today or within EARLYHELP_MESSAGES_DUE_DAYS; returns how many were queued."""
    from earlyhelp.episodes.models import ActionStatus, Episode, EpisodeState, PlanAction

    today = today or timezone.localdate()
    until = today + timedelta(days=settings.EARLYHELP_MESSAGES_DUE_DAYS)
    queued = 0
    actions = (PlanAction.objects.filter(due_on__gte=today, due_on__lte=until, owner_user__isnull=False)
               .exclude(status__in=[ActionStatus.DONE, ActionStatus.DROPPED])
               .exclude(outcome__episode__state=EpisodeState.CLOSED)
               .select_related("owner_user", "outcome"))
    for action in actions:
        queued += message_queue(
            kind="action_due", user=action.owner_user, values={"due_date": _long(action.due_on)},
            link_path=reverse("episode-plan", kwargs={"episode_id": action.outcome.episode_id}),
            once_key=f"action:{action.pk}:{action.due_on:%Y-%m-%d}") is not None
    episodes = (Episode.objects.filter(review_due_on__gte=today, review_due_on__lte=until)
                .exclude(state=EpisodeState.CLOSED).select_related("lead_professional", "allocated_worker"))
    for episode in episodes:
        for user in {u for u in (episode.lead_professional, episode.allocated_worker) if u is not None}:
            queued += message_queue(
                kind="review_due", user=user, values={"due_date": _long(episode.review_due_on)},
                link_path=reverse("episode-reviews", kwargs={"episode_id": episode.pk}),
                once_key=f"review:{episode.pk}:{episode.review_due_on:%Y-%m-%d}") is not None
    return queued
