import gc
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.db import connection, transaction
from faker import Faker

from earlyhelp.accounts.models import Agency, Locality, Team, User
from earlyhelp.audit.models import AccessRecord, BreakGlassAccess
from earlyhelp.frontdoor.models import HarmReferral

from .bulk import loading_in_bulk
from .episodes import seed_episodes, seed_reset_episodes
from .families import delete_families, seed_families
from .frontdoor import delete_front_door, seed_front_door
from .harm import seed_harm_referrals
from .organisations import seed_organisations
from .outcomes import seed_outcomes
from .recording import seed_recording

# From this many families, loading without foreign keys and indexes (added back after) pays.
BULK_LOAD_FROM = 5000


@dataclass(frozen=True)
class SeedSummary:
    created: bool
    localities: int
    agencies: int
    teams: int
    users: int


def _counts(created: bool) -> SeedSummary:
    return SeedSummary(
        created=created,
        localities=Locality.objects.count(),
        agencies=Agency.objects.count(),
        teams=Team.objects.count(),
        users=User.objects.count(),
    )


def database_is_seeded() -> bool:
    return Locality.objects.exists()


@transaction.atomic
def seed_reset() -> None:
    """Remove seeded data (superusers made by hand are kept)."""
    # Episodes protect their families, children and workers: they go first.
    # Access records cannot be deleted through the application; synthetic ones go with the
    # synthetic families they are about (a demo reset, never a council's data).
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(AccessRecord._meta.db_table)}")
    BreakGlassAccess.objects.all().delete()
    seed_reset_episodes()
    # Concerns of significant harm protect their family and the people who raised or decided them.
    HarmReferral.objects.all().delete()
    # Requests for support, decisions and allocation meetings protect families, teams and staff.
    delete_front_door()
    # Families and people, with their involvements (which protect agencies and practitioners).
    delete_families()
    User.objects.filter(is_superuser=False).delete()
    Team.objects.all().delete()
    Agency.objects.all().delete()
    Locality.objects.all().delete()


@transaction.atomic
def seed_database(*, families: int, seed: int, reset: bool = False,
                  progress: Callable[[str], None] | None = None) -> SeedSummary:
    """Create a council's organisations and staff, scaled to the number of families.

    Idempotent: a database that already holds data is left as it is unless reset is asked for.
    `progress`, if given, hears how long each part took.
    """
    step = _Stopwatch(progress)
    if reset:
        with disable_auditlog():
            seed_reset()
        step.done("removed the earlier data")
    elif database_is_seeded():
        return _counts(created=False)
    try:
        if families < BULK_LOAD_FROM:
            _seed_everything(families=families, seed=seed, step=step)
        else:
            with loading_in_bulk():
                _seed_everything(families=families, seed=seed, step=step)
            step.done("foreign keys checked, indexes built, statistics gathered")
    finally:
        gc.unfreeze()
    return _counts(created=True)


def _seed_everything(*, families: int, seed: int, step: "_Stopwatch") -> None:
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    organisations = seed_organisations(families=families, rng=rng, fake=fake)
    step.done("organisations and staff")
    family_list = seed_families(families=families, rng=rng, fake=fake, organisations=organisations)
    # A million rows' objects stay alive to the end: leave them out of every later garbage
    # collection, which would otherwise walk them all again and again.
    gc.collect()
    gc.freeze()
    step.done(f"{len(family_list)} families and their people")
    # The front door draws from its own generator, so the parts after it see the same random draws.
    seed_front_door(rng=random.Random(f"{seed}-front-door"), fake=fake, organisations=organisations,
                    families=family_list)
    step.done("requests for support and front-door decisions")
    # Episodes start from the families and the front door's allocations; their own generator
    # leaves the later parts' random draws unchanged.
    episodes = seed_episodes(rng=random.Random(f"{seed}-episodes"), fake=fake, organisations=organisations,
                             families=family_list, history_rng=random.Random(f"{seed}-earlier-episodes"))
    step.done(f"{len(episodes)} episodes with their assessments, plans, reviews, sharing and audit")
    # Each child's one lead professional: the episodes' leads written as the children's involvements.
    from earlyhelp.episodes.services.lead import child_leads_reconcile

    step.done(f"{child_leads_reconcile(replace_others=True)} children's leads from their episodes")
    # Supporting Families outcomes for some families whose early help has closed (own generator too).
    seed_outcomes(rng=random.Random(f"{seed}-outcomes"))
    # Concerns of significant harm, after the others so their random draws are unchanged.
    seed_harm_referrals(rng=rng, fake=fake, organisations=organisations, families=family_list)
    step.done("outcomes and concerns of significant harm")
    # Case recording reads the episodes back; its own generator leaves everything above unchanged.
    recorded = seed_recording(rng=random.Random(f"{seed}-recording"))
    step.done(", ".join(f"{count} {name}" for name, count in recorded.items()) or "no case recording")


class _Stopwatch:
    def __init__(self, progress: Callable[[str], None] | None):
        self.progress, self.last = progress, time.perf_counter()

    def done(self, what: str) -> None:
        now = time.perf_counter()
        if self.progress is not None:
            self.progress(f"{what}: {now - self.last:.1f} s")
        self.last = now
