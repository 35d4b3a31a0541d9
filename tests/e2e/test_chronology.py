"""The chronology in the browser (issue 12, point 4): a home visit with one child seen alone and a
significant event appears in that child's and the family's chronology, and in its PDF; the page
filters, prints without the service's menus and downloads a CSV."""

import csv
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from earlyhelp.episodes.models import EpisodeEvent
from tests.background.worker import run_worker
from tests.recording.builders import recording_world
from tests.recording.pdf_text import pdf_headings

from .helpers import assert_accessible, save_screenshot, sign_in
from .test_case_recording import record_home_visit

pytestmark = pytest.mark.e2e
PASSWORD = "x" * 12
TITLE = "Significant event: Disclosure by the child (home visit)"


@pytest.fixture
def world(transactional_db, live_server):
    world = recording_world()
    EpisodeEvent.objects.create(episode=world["episode"], kind="plan_agreed", summary="Plan agreed with the family",
                                by=world["users"]["lead"], at=timezone.now() - timedelta(days=30))
    return world


def test_a_significant_home_visit_in_the_childs_and_the_familys_chronology_and_its_pdf(page: Page, world):
    sign_in(page, "lead", PASSWORD)
    record_home_visit(page, world, what_happened="Mia told me about a fight at home last night",
                      significant="Disclosure by the child")
    mia, family = world["people"]["mia"], world["family"]

    # Mia's chronology, from her person page.
    page.goto(f"/people/{mia.pk}/")
    page.locator("[data-chronology]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronology of Mia Hartley")
    entry = page.locator("[data-significant]")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(TITLE)
    expect(entry).to_contain_text("Mia Hartley (seen alone)")
    expect(entry).to_contain_text("Leo Hartley (seen)")
    expect(page.locator("#chronology")).to_contain_text("Plan agreed")
    assert_accessible(page)
    save_screenshot(page, "chronology-child")

    # The family's, from the family page; significant events only, through the filter.
    page.goto(f"/families/{family.pk}/")
    page.get_by_role("link", name="Chronology", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chronology of the family")
    expect(page.locator("[data-significant]")).to_contain_text(TITLE)
    page.get_by_text("Filter the chronology").click()
    assert_accessible(page)
    page.get_by_label("Significant events only").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#chronology-count")).to_contain_text("1 entry, significant events only")
    expect(page.locator("#chronology")).not_to_contain_text("Plan agreed")
    entry_link = page.get_by_role("link", name=TITLE)
    expect(entry_link).to_have_attribute("href", f"/notes/{world['family'].case_notes.get().pk}/")
    assert_accessible(page)
    save_screenshot(page, "chronology-family-significant")

    # Printed: the entries without the service's header, menus, filters and footer.
    page.emulate_media(media="print")
    expect(page.locator("header.govuk-template__header")).to_be_hidden()
    expect(page.locator("footer.govuk-footer")).to_be_hidden()
    expect(page.locator("#chronology-filter")).to_be_hidden()
    expect(page.locator("#chronology")).to_be_visible()
    page.emulate_media(media="screen")

    # The PDF, made in the background, holds it (each entry's title is one of the PDF's bookmarks).
    chronology_address = page.url
    page.get_by_role("button", name="Make a PDF").click()
    expect(page.locator("#background-file-progress")).to_contain_text("Waiting to start")
    run_worker()
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    with page.expect_download() as download_info:
        page.locator("#background-file-download").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"chronology-family-{family.pk}-")
    with open(download.path(), "rb") as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF-") and TITLE in pdf_headings(content)

    # And the CSV, with the same filters.
    page.goto(chronology_address)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as CSV").click()
    with open(download_info.value.path(), newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert [row[3] for row in rows[1:]] == [TITLE]
