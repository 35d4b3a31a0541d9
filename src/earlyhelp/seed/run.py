import random
from dataclasses import dataclass

from django.db import transaction
from faker import Faker

from earlyhelp.accounts.models import Agency, Locality, Team, User
from earlyhelp.frontdoor.models import HarmReferral

from .episodes import seed_episodes, seed_reset_episodes
from .families import delete_families, seed_families
from .frontdoor import delete_front_door, seed_front_door
from .harm import seed_harm_referrals
from .organisations import seed_organisations
from .outcomes import seed_outcomes


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
def seed_database(*, families: int, seed: int, reset: bool = False) -> SeedSummary:
    """Create a council's organisations and staff, scaled to the number of families.

    Idempotent: a database that already holds data is left as it is unless reset is asked for.
    """
    if reset:
        seed_reset()
    elif database_is_seeded():
        return _counts(created=False)
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    organisations = seed_organisations(families=families, rng=rng, fake=fake)
    family_list = seed_families(families=families, rng=rng, fake=fake, organisations=organisations)
    # The front door draws from its own generator, so the parts after it see the same random draws.
    seed_front_door(rng=random.Random(f"{seed}-front-door"), fake=fake, organisations=organisations,
                    families=family_list)
    # Episodes start from the families and the front door's allocations; their own generator
    # leaves the later parts' random draws unchanged.
    seed_episodes(rng=random.Random(f"{seed}-episodes"), fake=fake, organisations=organisations,
                  families=family_list)
    # Supporting Families outcomes for some families whose early help has closed (own generator too).
    seed_outcomes(rng=random.Random(f"{seed}-outcomes"))
    # Concerns of significant harm, after the others so their random draws are unchanged.
    seed_harm_referrals(rng=rng, fake=fake, organisations=organisations, families=family_list)
    return _counts(created=True)
