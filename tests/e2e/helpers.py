"""What every browser journey does: sign in, check accessibility, take screenshots."""

import os
import re
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = Path(os.environ.get("EARLYHELP_SCREENSHOT_DIR", ROOT / "var" / "screenshots"))
DEMO_PASSWORD = "demo-password-2026"


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now and fail on any violation, listing each."""
    page.wait_for_load_state("load")
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                    for node in violation["nodes"][:5])
        for violation in results["violations"]
    ]
    assert not problems, f"axe-core found accessibility problems on {page.url}:\n" + "\n".join(problems)


NARROWEST = {"width": 320, "height": 640}  # a 1280 px screen at 400% zoom (WCAG 1.4.10 reflow)


def assert_reflows(page: Page) -> None:
    """At the page's width the body never scrolls sideways (set NARROWEST first), and axe passes."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]}px wide in a {widths[1]}px window"
    assert_accessible(page)


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def save_screenshot(page: Page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

