"""A team manager's insight: filter the dashboard by team, follow a figure to the families behind
it, look at the team's work, and download Ofsted Annex A List 2."""

from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import Episode, EpisodeState
from earlyhelp.reporting.annex_a import COLUMNS
from tests.background.worker import run_worker
from tests.reporting.builders import make_family

from .helpers import assert_accessible, save_screenshot, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def late_family(seeded_live):
    """A family in the manager's team whose assessment is late, so it is behind the overdue figure."""
    manager = User.objects.get(username="manager")
    practitioner = User.objects.get(username="practitioner")
    team = manager.teams.get()
    family, _ = make_family("Quartermaine family", locality=team.locality, child_first="Zephyrine",
                            child_last="Quartermaine")
    Episode.objects.create(reference="EP-E2E-1", family=family, state=EpisodeState.ASSESSMENT, team=team,
                           allocated_worker=practitioner, lead_professional=practitioner,
                           opened_on=date(2026, 1, 5), next_due_on=date(2026, 1, 19), next_due_kind="assessment")
    return team


def test_a_manager_filters_the_dashboard_follows_a_figure_and_downloads_annex_a(page, late_family, tmp_path):
    csp_errors = []
    page.on("console", lambda message: csp_errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    sign_in(page, "manager")
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Team", exact=True).select_option(label=late_family.name)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#dashboard-scope")).to_contain_text(f"all localities, {late_family.name}.")
    # Charts are drawn from their data blocks; the table beside each has the numbers.
    expect(page.locator("canvas[data-chart-drawn]").first).to_be_attached()
    assert page.locator("canvas[role=img][aria-label]").count() == page.locator("canvas").count() > 0
    assert_accessible(page)
    save_screenshot(page, "insight-dashboard")

    page.locator('table[data-figure="overdue"] tr.eh-total-row a').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdue assessments, meetings and reviews")
    expect(page.locator("#figure-list")).to_contain_text("Quartermaine family")
    expect(page.locator("#figure-list")).to_contain_text("EP-E2E-1")
    assert_accessible(page)
    page.get_by_role("link", name="EP-E2E-1").click()
    expect(page).to_have_url(f"{page.url.split('/episodes/')[0]}/episodes/"
                             f"{Episode.objects.get(reference='EP-E2E-1').pk}/")

    page.goto("/team-work/")
    expect(page.locator('tr[data-episode="EP-E2E-1"]')).to_contain_text("days late")
    page.get_by_label("What is due").select_option(label="Assessment due")
    page.get_by_label("Only work that is overdue").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator('tr[data-episode="EP-E2E-1"]')).to_be_visible()
    page.get_by_role("link", name="Family", exact=True).click()
    expect(page.locator("#team-work th[aria-sort=ascending]")).to_contain_text("Family")
    assert_accessible(page)

    page.get_by_role("link", name="Reports").first.click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    assert_accessible(page)
    # Annex A is made in the background: the page says how far it has got, then offers the download.
    page.get_by_role("button", name="Make Annex A (XLSX)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annex A, List 2 for")
    expect(page.locator("#background-file-progress")).to_contain_text("Waiting to start")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()
    run_worker()
    # The page loads itself again while the file is being made (no need to press Refresh).
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.locator("#background-file-download").click()
    path = tmp_path / "annex-a.xlsx"
    download_info.value.save_as(path)
    sheet = load_workbook(path)["List 2"]
    rows = list(sheet.values)
    assert rows[0] == COLUMNS
    assert len(rows) > 1

    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Families meeting the Supporting Families criteria").click()
    expect(page.get_by_role("heading", name="Supporting Families", level=1)).to_be_visible()
    assert_accessible(page)
    assert csp_errors == []
