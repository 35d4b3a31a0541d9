import os
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures in that same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


_earlyhelp_test_offset = timedelta(0)


@pytest.fixture(scope="session")
def browser():
    """One browser for the run, whichever folder's browser test asks first (tests/e2e/conftest.py)."""
    from tests.e2e.conftest import launch_browser

    yield from launch_browser()


def _shifted_now() -> datetime:
    # Runs as django.utils.timezone.now, among that module's names: datetime and timezone there are
    # these, and _earlyhelp_test_offset is set there. (USE_TZ is on, so always aware, in UTC.)
    return datetime.now(timezone.utc) + _earlyhelp_test_offset  # noqa: UP017 (no UTC name there)


def _shift_the_clock(when: str) -> None:
    """EARLYHELP_TEST_NOW=2028-02-29T10:00 (in England) runs the tests as if it were then, the clock
    ticking on from there, to check that no test depends on the day it runs. Django's timezone.now,
    and so localdate, auto_now and default=timezone.now, moves, and time.time() with it; the
    browser's clock, date.today() and other processes' clocks do not (use faketime for tests that
    start processes, as tests/frontdoor/test_self_referral_workers.py does)."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone as django_timezone

    target = datetime.fromisoformat(when)
    if target.tzinfo is None:
        target = target.replace(tzinfo=ZoneInfo("Europe/London"))
    # Django has set up by now and models hold timezone.now itself (default=timezone.now), so the
    # function's body is swapped, not the name.
    offset = target - datetime.now(timezone.utc)  # noqa: UP017
    django_timezone._earlyhelp_test_offset = offset
    django_timezone.now.__code__ = _shifted_now.__code__
    # Django's database cache stores expiry from time.time() and compares it with timezone.now(), and
    # django-otp checks codes against time.time(): that moves too, where modules already hold it.
    real_time, seconds = time.time, offset.total_seconds()

    def shifted_time() -> float:
        return real_time() + seconds

    time.time = shifted_time
    for module in list(sys.modules.values()):
        if getattr(module, "time", None) is real_time:
            module.time = shifted_time


if os.environ.get("EARLYHELP_TEST_NOW"):
    _shift_the_clock(os.environ["EARLYHELP_TEST_NOW"])


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
