"""Reads for allocating open episodes to workers (services/allocation.py): which episodes the
manager has chosen, or else their teams' open ones, and the workers with their caseloads."""

from django.core.exceptions import PermissionDenied
from django.db.models import F

from earlyhelp.accounts.models import User
from earlyhelp.people.access import families_visible_to, team_ids_of
from earlyhelp.policy import require

from .models import OPEN_EPISODE_STATES, Episode
from .services.allocation import allocation_workers

# Episodes one page offers at once: enough for a team's unallocated work, few enough to read.
ALLOCATION_PAGE_ROWS = 50


def _episodes():
    return Episode.objects.select_related("family", "allocated_worker", "lead_professional", "team")


def episodes_to_allocate(user: User, *, chosen: list[int]) -> tuple[list[Episode], bool]:
    """The chosen episodes (each must be the user's to allocate, else 403), or, with none chosen,
    their teams' open episodes, those not allocated first, then the most urgent; and whether the
    rows were chosen."""
    require(user, "reporting.view_team_work")
    if chosen:
        episodes = list(_episodes().filter(pk__in=chosen[:ALLOCATION_PAGE_ROWS]).order_by("family__name", "pk"))
        if len(episodes) != len(set(chosen[:ALLOCATION_PAGE_ROWS])):
            raise PermissionDenied("One of the chosen families is not there")
        for episode in episodes:
            require(user, "episodes.allocate_episode", episode)
        return episodes, True
    episodes = (
        _episodes().filter(team_id__in=team_ids_of(user), state__in=OPEN_EPISODE_STATES,
                           family__in=families_visible_to(user))
        .order_by(F("allocated_worker").asc(nulls_first=True), F("next_due_on").asc(nulls_last=True), "pk")
    )
    # The list form of "episodes.allocate_episode": open, and in one of the manager's own teams
    # (view_team_work is for team managers); the service asks the declaration for each on saving.
    return list(episodes[:ALLOCATION_PAGE_ROWS]), False


def workers_with_caseloads(user: User) -> list[User]:
    return list(allocation_workers(user))
