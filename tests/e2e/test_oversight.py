"""Management oversight in the browser (issue 12, point 2): a team manager records supervision on
an episode and sees, on the episode's overview, when it was last recorded, by whom and when the
next is due."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from earlyhelp.episodes.models import Episode
from tests.recording.builders import recording_world

from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import fill_date, long_date

pytestmark = pytest.mark.e2e
PASSWORD = "x" * 12


@pytest.fixture
def world(transactional_db, live_server):
    return recording_world()


def test_a_team_manager_records_oversight_and_sees_it_on_the_episode(page: Page, world):
    episode = world["episode"]
    sign_in(page, "manager", PASSWORD)
    page.goto(f"/episodes/{episode.pk}/")
    summary = page.locator("#oversight-summary")
    expect(summary).to_contain_text("No oversight recorded yet")
    summary.get_by_role("link", name="View management oversight").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Management oversight")
    assert_accessible(page)
    page.get_by_role("button", name="Record oversight").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record oversight")
    assert_accessible(page)
    # Nothing chosen: the errors are shown beside their fields.
    page.get_by_role("button", name="Record oversight").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the decision")
    assert_accessible(page)
    page.get_by_label("Supervision").check()
    page.get_by_label("Decision").fill("Continue the plan; Dawn to be offered the parenting course")
    page.get_by_label("Actions (optional)").fill("Lead professional to call the school about Mia's attendance")
    due = timezone.localdate() + timedelta(days=21)
    fill_date(page, "When is the next oversight due? (optional)", due)
    page.get_by_role("button", name="Record oversight").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Oversight recorded")
    expect(page.locator("#oversight-notes")).to_contain_text("Dawn to be offered the parenting course")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the overview").click()
    expect(page.locator("#oversight-summary")).to_contain_text(
        f"Oversight last recorded on {long_date(timezone.localdate())} by Manager Tester; next due {long_date(due)}")
    assert_accessible(page)
    save_screenshot(page, "oversight-on-the-episode")
    assert Episode.objects.get(pk=episode.pk).oversight_due_on == due
