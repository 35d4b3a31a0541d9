from dataclasses import dataclass

from .models import GroupMapping


@dataclass(frozen=True)
class Grant:
    """What a user's provider groups give them here."""

    role: str
    team_ids: frozenset[int]
    agency_id: int | None


def grant_for_groups(groups) -> Grant | None:
    """The role of the matching mapping with the lowest order, the teams of all of them; None when none match."""
    mappings = list(GroupMapping.objects.filter(group__in=list(groups)).prefetch_related("teams"))
    if not mappings:
        return None
    first = min(mappings, key=lambda mapping: (mapping.order, mapping.pk))
    agency_id = first.agency_id or next((m.agency_id for m in mappings if m.agency_id), None)
    return Grant(role=first.role, team_ids=frozenset(team.pk for m in mappings for team in m.teams.all()),
                 agency_id=agency_id)
