"""Reads of episodes, through the need-to-know rule in people/access.py."""

from django.shortcuts import get_object_or_404

from earlyhelp.audit.services import access_record_create
from earlyhelp.policy import require

from .models import Episode


def episode_get_for_user(user, episode_id: int, *, page: str, path: str = "") -> Episode:
    """The episode if the user may see its family; the view is written to the audit trail."""
    episode = get_object_or_404(
        Episode.objects.select_related("family", "lead_professional", "allocated_worker", "team"), pk=episode_id
    )
    require(user, "episodes.view_episode", episode)
    access_record_create(user=user, family=episode.family, what=f"Episode {episode.reference}: {page}", path=path)
    return episode


def episodes_for_family(family) -> list[Episode]:
    """The family's episodes, open first, for its family page (the page itself is audited)."""
    return list(
        Episode.objects.filter(family=family).select_related("lead_professional").order_by("closed_on", "-opened_on")
    )
