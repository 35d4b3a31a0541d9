"""Documents in the browser (issue 12, point 5): a document uploaded to a family, downloaded
(the download recorded) and refused to someone outside the family's network; a renamed program
and an oversized file refused, each with its message beside the file field; axe on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.documents.models import Document
from tests.documents import files
from tests.recording.builders import recording_world

from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import fill_date

pytestmark = pytest.mark.e2e
PASSWORD = "x" * 12


@pytest.fixture
def world(transactional_db, live_server):
    return recording_world()


def open_upload_form(page: Page, world) -> None:
    page.goto(f"/families/{world['family'].pk}/")
    page.get_by_role("link", name="Documents", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    assert_accessible(page)
    page.get_by_role("button", name="Upload a document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a document")
    assert_accessible(page)


def fill_upload_form(page: Page, *, name: str, content: bytes, mime: str = "application/pdf",
                     description: str = "Attendance report from Hill Primary") -> None:
    page.get_by_label("Upload a file").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    page.get_by_label("Report or assessment from an agency").check()
    page.get_by_label("Description").fill(description)
    fill_date(page, "What date is on the document?", timezone.localdate() - timedelta(days=3))
    page.get_by_role("button", name="Upload the document").click()


def test_a_document_uploaded_downloaded_and_refused_outside_the_network(page: Page, second_page: Page, world):
    sign_in(page, "partner", PASSWORD)  # a partner in the Team Around the Family
    open_upload_form(page, world)
    fill_upload_form(page, name="attendance.pdf", content=files.PDF)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Document uploaded: attendance.pdf")
    row = page.locator("table[data-documents] tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Attendance report from Hill Primary")
    expect(row).to_contain_text("Report or assessment from an agency")
    assert_accessible(page)
    save_screenshot(page, "documents-family")

    document = Document.objects.get()
    before = AccessRecord.objects.filter(kind=AccessKind.DOWNLOAD).count()
    with page.expect_download() as started:
        row.get_by_role("link").click()
    download = started.value
    assert download.suggested_filename == "attendance.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == files.PDF
    record = AccessRecord.objects.filter(kind=AccessKind.DOWNLOAD).order_by("-pk").first()
    assert AccessRecord.objects.filter(kind=AccessKind.DOWNLOAD).count() == before + 1
    assert record.user.username == "partner" and record.family_id == world["family"].pk

    # Someone outside the family's network: refused, and nothing of the document shown.
    sign_in(second_page, "outsider", PASSWORD)
    for url in (f"/documents/{document.pk}/download/", f"/families/{world['family'].pk}/documents/"):
        response = second_page.goto(url)
        assert response.status == 403, url
        expect(second_page.locator("body")).not_to_contain_text("Attendance report")
        assert_accessible(second_page)
    assert not AccessRecord.objects.filter(user__username="outsider", kind=AccessKind.DOWNLOAD).exists()


def test_a_renamed_program_and_an_oversized_file_are_refused_with_clear_messages(page: Page, world, settings):
    settings.EARLYHELP_DOCUMENT_MAX_BYTES = 50 * 1024
    sign_in(page, "lead", PASSWORD)
    open_upload_form(page, world)

    fill_upload_form(page, name="school-report.pdf", content=files.PE)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The selected file is a program, not a document")
    expect(page.locator("#file-error, .govuk-error-message").first).to_contain_text("is a program")
    expect(page).to_have_title(re.compile(r"^Error: Upload a document – Hartley family"))
    assert_accessible(page)
    save_screenshot(page, "documents-program-refused")

    fill_upload_form(page, name="big-scan.pdf", content=files.PDF + b"%" * (60 * 1024))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The selected file must be smaller than 50.0 KB")
    assert_accessible(page)
    save_screenshot(page, "documents-too-large")
    assert Document.objects.count() == 0
