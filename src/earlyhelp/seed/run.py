import random
from dataclasses import dataclass

from django.db import transaction
from faker import Faker

from earlyhelp.accounts.models import Agency, Locality, Team, User

from .organisations import seed_organisations


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
    seed_organisations(families=families, rng=rng, fake=fake)
    return _counts(created=True)
