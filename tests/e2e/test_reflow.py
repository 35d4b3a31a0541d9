"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide (a 1280 px screen at 400% zoom) no page scrolls sideways.

Each demo account signs in and follows the links it is offered, breadth first from its home page and
the lists named below (the front-door queue, the late list, an episode's plan, the dashboards). Every
kind of page it reaches (its address with the numbers taken out) is checked once: the document is no
wider than the window, and axe-core passes, including scrollable-region-focusable for the tables'
scrolling regions. A table wider than the screen scrolls inside its region, which is checked too.
"""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.demo import DEMO_ACCOUNTS

from .conftest import AXE_SOURCE, wait_for_live_server_requests
from .helpers import sign_in

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 640}
PAGES_PER_ACCOUNT = 24
# Lists the issue names as scrolling sideways at 320 px, visited whatever the links offer.
NAMED_PAGES = {
    "frontdoor": ["/front-door/"],
    "manager": ["/my-work/?show=late", "/team-work/"],
    "practitioner": ["/my-work/"],
    "analyst": ["/dashboard/", "/reports/"],
}
# Links not followed: they sign out, download a file, change something, or leave the service's pages.
NOT_FOLLOWED = re.compile(r"sign-out|/admin/|\.(csv|pdf|xlsx|zip)\b|/download/|/open/|break-glass|mailto:")

WIDER_THAN_THE_WINDOW = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .filter((element) => !element.closest('.app-table-scroll') || getComputedStyle(element).position === 'absolute')
    .slice(0, 5)
    .map((element) => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
         + (element.className && typeof element.className === 'string' ? '.' + element.className.split(' ').join('.') : '')
         + ' ' + Math.round(element.getBoundingClientRect().right) + 'px');
}"""


def shape(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path + ("?" + parts.query if parts.query else ""))


def links_on(page) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href], nav a[href]", "links => links.map(link => link.href)")
    origin = urlsplit(page.url)
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc != origin.netloc or NOT_FOLLOWED.search(href):
            continue
        found.append(parts.path + ("?" + parts.query if parts.query else ""))
    return found


def problems_on(page) -> list[str]:
    problems = []
    scroll_width, window_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > window_width:
        problems.append(f"scrolls sideways: {scroll_width}px wide in a {window_width}px window; "
                        + ", ".join(page.evaluate(WIDER_THAN_THE_WINDOW)))
    if "---------" in page.content():
        problems.append("offers Django's '---------' as an empty choice: give it a label that says what to do")
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    problems += [f"axe {violation['id']}: " + "; ".join(str(node["target"]) for node in violation["nodes"][:3])
                 for violation in results["violations"]]
    return problems


@pytest.fixture
def narrow_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=NARROW)
    context.add_init_script(path=str(AXE_SOURCE))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    wait_for_live_server_requests(live_server)


def test_no_page_scrolls_sideways_at_320_px(narrow_page, seeded_live):
    from earlyhelp.accounts.models import User
    from earlyhelp.episodes.models import Episode
    from earlyhelp.people.access import families_visible_to

    page = narrow_page
    practitioner = User.objects.get(username="practitioner")
    episode = (Episode.objects.filter(family__in=families_visible_to(practitioner), plan_versions__isnull=False)
               .order_by("pk").first())
    plan_pages = {"practitioner": [f"/episodes/{episode.pk}/plan/"]}
    checked: dict[str, str] = {}
    failures: list[str] = []
    tables_seen = 0
    for account in DEMO_ACCOUNTS:
        page.context.clear_cookies()
        sign_in(page, account.username)
        queue = deque(["/", *NAMED_PAGES.get(account.username, []), *plan_pages.get(account.username, [])])
        visited_here = 0
        while queue and visited_here < PAGES_PER_ACCOUNT:
            url = queue.popleft()
            key = shape(url) if url != "/" else f"/ ({account.username}'s home)"
            if key in checked:
                continue
            response = page.goto(url)
            checked[key] = account.username
            if response is None or response.status >= 400 or "html" not in response.headers.get("content-type", ""):
                continue
            visited_here += 1
            failures += [f"{url} ({account.username}): {problem}" for problem in problems_on(page)]
            tables_seen += page.locator(".app-table-scroll").count()
            queue.extend(links_on(page))
    assert not failures, "\n".join(failures)
    for named in NAMED_PAGES.values():
        for url in named:
            assert shape(url) in checked
    assert any(re.fullmatch(r"/episodes/N/plan/", visited) for visited in checked), sorted(checked)
    assert len(checked) > 50 and tables_seen > 20, (len(checked), tables_seen)


def test_a_wide_table_scrolls_in_its_own_region_that_the_keyboard_reaches(narrow_page, seeded_live):
    page = narrow_page
    sign_in(page, "frontdoor")
    page.goto("/front-door/")
    region = page.locator(".app-table-scroll").first
    expect(region).to_have_attribute("role", "region")
    widths = region.evaluate("region => [region.scrollWidth, region.clientWidth]")
    assert widths[0] > widths[1], "the queue is wider than a 320 px screen, so its region scrolls"
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    expect(region).to_be_focused()
    # The keys scroll smoothly, so the region gets there after the key press returns.
    page.wait_for_function("region => region.scrollLeft > 0", arg=region.element_handle())
    assert page.evaluate("() => window.scrollX") == 0
