"""The demo seed records Supporting Families outcomes for families whose early help has closed."""

import pytest
from dateutil.relativedelta import relativedelta

from earlyhelp.episodes.models import EpisodeState
from earlyhelp.reporting.models import FamilyOutcomeNeed
from earlyhelp.seed import seed_database


def _snapshot():
    return sorted(FamilyOutcomeNeed.objects.values_list(
        "family__name", "headline_outcome", "in_family_plan", "sustained", "sustained_checked_on"))


@pytest.mark.django_db
def test_outcomes_are_seeded_for_closed_episodes_families_and_only_checked_after_six_months():
    seed_database(families=150, seed=7)
    needs = list(FamilyOutcomeNeed.objects.select_related("family"))
    assert needs
    for need in needs:
        closed = need.family.episodes.filter(state=EpisodeState.CLOSED).order_by("-closed_on").first()
        assert closed is not None
        if need.sustained is not None:
            assert need.sustained_checked_on >= closed.closed_on + relativedelta(months=6)
    per_family = {}
    for need in needs:
        per_family.setdefault(need.family_id, set()).add(need.headline_outcome)
    assert all(2 <= len(outcomes) <= 4 for outcomes in per_family.values())


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_outcomes():
    seed_database(families=80, seed=3)
    first = _snapshot()
    seed_database(families=80, seed=3, reset=True)
    assert _snapshot() == first and first
