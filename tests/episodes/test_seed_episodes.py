"""The episode seed: every state, believable histories, stored due dates, deterministic, fast."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from faker import Faker

from earlyhelp.accounts.models import User
from earlyhelp.episodes.due import next_due
from earlyhelp.episodes.models import (
    Closure,
    ClosureReason,
    Episode,
    EpisodeChild,
    EpisodeEvent,
    EpisodeState,
    LeadProfessionalAssignment,
    PlanVersion,
    Review,
    StepDown,
    StepUp,
)
from earlyhelp.seed import seed_database
from earlyhelp.seed.episodes import seed_episodes, seed_reset_episodes
from earlyhelp.seed.families import seed_families
from earlyhelp.seed.organisations import seed_organisations
from earlyhelp.sharing.models import Consent, ConsentDecision

pytestmark = pytest.mark.django_db


def _seed(families: int, seed: int = 5) -> None:
    seed_database(families=families, seed=seed, reset=True)


def _snapshot():
    return (
        sorted(Episode.objects.values_list("reference", "family__name", "state", "opened_on", "closed_on",
                                           "next_due_on", "next_due_kind", "allocated_worker__username",
                                           "lead_professional__username")),
        sorted(EpisodeEvent.objects.values_list("episode__reference", "kind", "summary", "at")),
        Consent.objects.count(), PlanVersion.objects.count(),
    )


def test_every_state_and_closure_reason_appears_with_a_history():
    _seed(400)
    assert set(Episode.objects.values_list("state", flat=True)) == set(EpisodeState)
    assert set(Closure.objects.values_list("reason", flat=True)) == set(ClosureReason)
    # About 60% of families have a current or recent episode and many had earlier ones: about
    # 1.5 episodes per family over five years, never more than one open.
    assert 1.2 * 400 < Episode.objects.count() < 1.8 * 400
    open_per_family = Counter(Episode.objects.exclude(state=EpisodeState.CLOSED).values_list("family_id", flat=True))
    assert max(open_per_family.values()) == 1
    # Each family's episodes follow one another: the earlier one closed before the next opened.
    history: dict[int, list] = {}
    for family_id, opened_on, closed_on in Episode.objects.order_by("family_id", "opened_on").values_list(
            "family_id", "opened_on", "closed_on"):
        history.setdefault(family_id, []).append((opened_on, closed_on))
    assert any(len(episodes) > 1 for episodes in history.values())
    for episodes in history.values():
        for (_, closed_on), (next_opened_on, _) in zip(episodes, episodes[1:]):
            assert closed_on is not None and closed_on < next_opened_on
    assert min(opened_on for episodes in history.values() for opened_on, _ in episodes) > (
        timezone.localdate() - timedelta(days=5 * 366))
    # Every episode has children of concern and starts with an "opened" event.
    assert not Episode.objects.filter(children__isnull=True).exists()
    assert Episode.objects.filter(events__kind="opened").distinct().count() == Episode.objects.count()
    # Every closed episode has its closure and closing date; open ones have neither.
    assert not Episode.objects.filter(state=EpisodeState.CLOSED, closure__isnull=True).exists()
    assert not Episode.objects.filter(state=EpisodeState.CLOSED, closed_on__isnull=True).exists()
    assert not Episode.objects.exclude(state=EpisodeState.CLOSED).filter(closed_on__isnull=False).exists()
    # Consent was refused for some, given for many; step ups waiting, accepted and declined; step downs.
    assert set(Consent.objects.values_list("decision", flat=True)) == set(ConsentDecision)
    assert {True, False, None} <= set(StepUp.objects.values_list("accepted", flat=True))
    assert set(StepDown.objects.values_list("status", flat=True)) == set(StepDown.Status)
    assert Review.objects.exists() and PlanVersion.objects.exists()
    # Some leads were transferred with a handover note; one current lead per episode.
    assert LeadProfessionalAssignment.objects.exclude(handover_note="").filter(ended_on__isnull=True).exists()
    # Nothing happened in the future.
    today = timezone.localdate()
    assert not EpisodeEvent.objects.filter(at__date__gt=today).exists()
    assert not Episode.objects.filter(opened_on__gt=today).exists()


def test_stored_due_dates_match_the_due_rules():
    _seed(300)
    for episode in Episode.objects.select_related("assessment").prefetch_related("step_ups"):
        assert next_due(episode) == (episode.next_due_on, episode.next_due_kind), episode.reference
    assert Episode.objects.filter(next_due_on__lt=timezone.localdate()).exists()
    assert Episode.objects.filter(next_due_on__gte=timezone.localdate()).exists()


def test_the_demo_users_have_real_work():
    _seed(300)
    today = timezone.localdate()
    practitioner = User.objects.get(username="practitioner")
    mine = Episode.objects.exclude(state=EpisodeState.CLOSED).filter(lead_professional=practitioner)
    assert mine.count() >= 4
    assert mine.filter(next_due_on__lt=today).exists()
    partner = User.objects.get(username="partner")
    assert Episode.objects.exclude(state=EpisodeState.CLOSED).filter(lead_professional=partner).count() >= 2
    manager = User.objects.get(username="manager")
    team_work = Episode.objects.exclude(state=EpisodeState.CLOSED).filter(team__in=manager.teams.all())
    assert team_work.count() >= 10 and team_work.filter(next_due_on__lt=today).exists()
    social_worker = User.objects.get(username="socialworker")
    assert Episode.objects.filter(state=EpisodeState.STEP_UP_REQUESTED).count() >= 3
    assert StepDown.objects.filter(social_worker=social_worker, status=StepDown.Status.PROPOSED).exists()


def test_the_same_seed_makes_the_same_episodes():
    _seed(150, seed=9)
    first = _snapshot()
    _seed(150, seed=9)
    assert _snapshot() == first
    _seed(150, seed=10)
    assert _snapshot() != first
    seed_reset_episodes()
    assert not Episode.objects.exists()


def test_the_seed_inserts_in_bulk_not_episode_by_episode():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(3)
    fake = Faker("en_GB")
    fake.seed_instance(3)
    organisations = seed_organisations(families=600, rng=rng, fake=fake)
    families = seed_families(families=600, rng=rng, fake=fake, organisations=organisations)
    with CaptureQueriesContext(connection) as queries:
        episodes = seed_episodes(rng=rng, fake=fake, organisations=organisations, families=families)
    rows = EpisodeEvent.objects.count() + EpisodeChild.objects.count() + Consent.objects.count()
    # One query per episode (or per row) would be at least as many queries as episodes.
    assert len(episodes) > 300 and rows > 10 * len(episodes)
    assert len(queries) < len(episodes)
