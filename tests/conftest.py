import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures in that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def seeded(db):
    from earlyhelp.seed import seed_database

    return seed_database(families=40, seed=7)


@pytest.fixture
def organisations(db):
    """Localities, agencies, teams and the demo users, without any families (fast)."""
    from earlyhelp.seed import seed_database

    return seed_database(families=0, seed=7)


@pytest.fixture
def demo_user(seeded):
    from earlyhelp.accounts.models import User

    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get
