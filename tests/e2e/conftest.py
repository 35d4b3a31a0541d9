"""Browser journeys: Playwright for Python driving Debian's chromium (never a downloaded browser)."""

import os
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("EARLYHELP_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Flags that keep Chromium off the network it cannot reach here, and working as root.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def launch_browser():
    """Debian's chromium, for the whole run: the `browser` fixture is tests/conftest.py's, so that
    browser tests in any folder share it (Playwright's sync API runs one per thread)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is needed for browser tests: install it (apt-get install chromium); looked for {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def wait_for_live_server_requests(live_server, timeout: float = 10.0) -> None:
    """Wait until the live server has answered every request the closed browser started.

    A request still running when the test ends (the favicon, a beacon) would race the database
    flush that follows: SQLite's shared in-memory database refuses to flush a table another
    thread holds ("couldn't be flushed"), and the request finds its session gone."""
    deadline = time.monotonic() + timeout
    for thread in list(getattr(live_server.thread.httpd, "_threads", None) or []):
        thread.join(max(0.0, deadline - time.monotonic()))


def _browser_page(browser, live_server):
    """A page in a browser context of its own: its own cookies, so its own signed-in user."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE_SOURCE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    wait_for_live_server_requests(live_server)


@pytest.fixture
def page(browser, live_server) -> Page:
    yield from _browser_page(browser, live_server)


@pytest.fixture
def no_js_page(browser, live_server) -> Page:
    """A browser with JavaScript switched off: every journey works without it (axe-core needs scripts,
    so these pages are checked for accessibility with them)."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    wait_for_live_server_requests(live_server)


@pytest.fixture
def second_page(browser, live_server) -> Page:
    """A second person's browser, beside `page` (two people on one record)."""
    yield from _browser_page(browser, live_server)


@pytest.fixture
def seeded_live(transactional_db, live_server):
    from earlyhelp.seed import seed_database

    return seed_database(families=40, seed=7)


@pytest.fixture
def awaiting_consent_episode(seeded_live):
    """The Okafor family's episode, waiting for consent, led by the demo early help practitioner."""
    from earlyhelp.accounts.models import User
    from tests.sharing.builders import make_episode

    return make_episode(lead=User.objects.get(username="practitioner"))


@pytest.fixture
def practitioners_family(seeded_live):
    """A family the demo early help practitioner works with, with children and no concern of
    significant harm waiting for a decision: from the seed when it has one, otherwise built here."""
    from earlyhelp.accounts.models import Locality, User
    from earlyhelp.people.access import families_visible_to
    from earlyhelp.people.models import CHILD_ROLES

    practitioner = User.objects.get(username="practitioner")
    family = (
        families_visible_to(practitioner)
        .filter(memberships__role__in=CHILD_ROLES, memberships__left_on__isnull=True)
        .exclude(harm_referrals__decided_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if family is not None:
        return family
    from tests.frontdoor.test_harm import make_family

    return make_family(locality=Locality.objects.order_by("pk").first(), practitioner=practitioner)
