"""Reads of messages."""

from .kinds import choosable_kinds
from .models import MessagePreference


def preferences_for_user(user) -> set[str]:
    """The kinds the user receives now: their choice, else each kind's default."""
    chosen = dict(MessagePreference.objects.filter(user=user).values_list("kind", "wanted"))
    return {kind.name for kind in choosable_kinds() if chosen.get(kind.name, kind.default)}
