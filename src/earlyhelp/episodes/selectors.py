"""Reads of episodes, through the need-to-know rule in people/access.py."""

from django.shortcuts import get_object_or_404

from earlyhelp.audit.services import access_record_create
from earlyhelp.policy import require

from .models import Episode, StepDown


def episode_get_for_user(user, episode_id: int, *, page: str, path: str = "") -> Episode:
    """The episode if the user may see its family; the view is written to the audit trail."""
    episode = get_object_or_404(
        Episode.objects.select_related("family", "lead_professional", "allocated_worker", "team"), pk=episode_id
    )
    require(user, "episodes.view_episode", episode)
    access_record_create(user=user, family=episode.family, what=f"Episode {episode.reference}: {page}", path=path)
    return episode


def episode_state_now(episode: Episode) -> str:
    """The episode's state as saved now (another request may have moved it since it was read)."""
    return Episode.objects.values_list("state", flat=True).get(pk=episode.pk)


def episodes_for_family(family) -> list[Episode]:
    """The family's episodes, open first, for its family page (the page itself is audited)."""
    return list(
        Episode.objects.filter(family=family).select_related("lead_professional").order_by("closed_on", "-opened_on")
    )


def step_downs_for_family(family) -> list[StepDown]:
    """The family's steps down from Children's Social Care, newest first, for its family page (the
    page has asked people.view_family, which episodes.view_step_down includes, and is audited)."""
    return list(
        StepDown.objects.filter(family=family).select_related("social_worker", "episode").order_by("-proposed_at")
    )


def episode_step_down(episode: Episode) -> StepDown | None:
    """The step down the episode was opened from, with its handover (DOMAIN §8), if any."""
    return StepDown.objects.filter(episode=episode).select_related("social_worker", "episode").first()
