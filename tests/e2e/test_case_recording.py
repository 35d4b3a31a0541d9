"""Contacts and case notes in the browser (issue 12, point 1): a home visit with one child seen
alone and a significant event, in that child's and the family's notes (and the chronology's
selector); an addendum after completion; a restricted note hidden from a partner in the Team
Around the Family."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from earlyhelp.recording.models import CaseNote
from earlyhelp.recording.selectors import notes_for_chronology
from tests.recording.builders import recording_world

from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import fill_date

pytestmark = pytest.mark.e2e
PASSWORD = "x" * 12


@pytest.fixture
def world(transactional_db, live_server):
    return recording_world()


def record_home_visit(page: Page, world, *, what_happened: str, restricted_reason: str = "",
                      significant: str = "") -> None:
    """From the family page, record a completed home visit: Mia seen alone, Leo seen with others."""
    page.goto(f"/families/{world['family'].pk}/")
    page.get_by_role("link", name="Contacts and case notes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts and case notes")
    assert_accessible(page)
    page.get_by_role("button", name="Record a contact or case note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a contact or case note")
    assert_accessible(page)
    page.get_by_label("Home visit").check()
    fill_date(page, "When did it happen?", timezone.localdate() - timedelta(days=1))
    page.get_by_label("Time (optional)").fill("3:15pm")
    page.get_by_label("Who was present?").fill("Dawn (mum), Mia and Leo")
    page.get_by_role("group", name="Was Mia Hartley seen?").get_by_label("Seen alone").check()
    page.get_by_role("group", name="Was Leo Hartley seen?").get_by_label("Seen, but not alone").check()
    page.get_by_label("What happened?").fill(what_happened)
    page.get_by_label("The child's own words (optional)").fill("I like it when it's quiet")
    if significant:
        page.get_by_label("This is a significant event").check()
        page.get_by_label("What kind of significant event? (if it is one)").select_option(label=significant)
    if restricted_reason:
        page.get_by_label("Restrict this note").check()
        page.get_by_label("Why is it restricted? (if it is)").fill(restricted_reason)
    page.get_by_role("button", name="Complete the note").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Note completed")
    assert_accessible(page)


def test_a_home_visit_with_one_child_seen_alone_and_a_significant_event(page: Page, world):
    sign_in(page, "lead", PASSWORD)
    record_home_visit(page, world, what_happened="Mia told me about a fight at home last night",
                      significant="Disclosure by the child")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Home visit")
    expect(page.locator("strong.govuk-tag--red")).to_have_text("Significant event: Disclosure by the child")
    mia = world["people"]["mia"]
    expect(page.locator(f'tr[data-child="{mia.pk}"] td')).to_have_text(["Yes", "Yes"])  # seen, seen alone
    expect(page.locator(f'tr[data-child="{world["people"]["leo"].pk}"] td')).to_have_text(["Yes", "No"])
    save_screenshot(page, "case-note-home-visit")

    # That child's notes, and the family's.
    page.get_by_role("link", name="Mia Hartley").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts and case notes about Mia Hartley")
    card = page.locator("[data-note]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Significant event: Disclosure by the child")
    expect(card).to_contain_text("Mia Hartley: seen alone")
    expect(card).to_contain_text("Leo Hartley: seen, not alone")
    assert_accessible(page)
    page.get_by_role("link", name="The whole family's notes").click()
    expect(page.locator("[data-note]")).to_have_count(1)
    save_screenshot(page, "case-notes-family")

    # The chronology (point 4) reads the same notes through recording.selectors.
    note = CaseNote.objects.get()
    lead = world["users"]["lead"]
    for child in (mia, None):
        entry, = notes_for_chronology(lead, world["family"], child=child)
        assert entry.note == note and entry.significant
    assert [row.seen_alone for row in note.children.order_by("child__date_of_birth")] == [True, False]

    # And the episode's tab.
    page.goto(f"/episodes/{world['episode'].pk}/")
    page.get_by_role("link", name="Case notes").click()
    expect(page.locator("[data-note]")).to_contain_text("Home visit")
    assert_accessible(page)


def test_an_addendum_after_completion(page: Page, second_page: Page, world):
    sign_in(page, "lead", PASSWORD)
    record_home_visit(page, world, what_happened="Dawn says the boiler is fixed")
    note = CaseNote.objects.get()
    # A completed note has no way to change it.
    expect(page.get_by_role("button", name="Change or complete the draft")).to_have_count(0)
    expect(page.locator("#addenda ~ p")).to_contain_text("None")

    # The partner in the Team Around the Family adds to it.
    sign_in(second_page, "partner", PASSWORD)
    second_page.goto(f"/notes/{note.pk}/")
    expect(second_page.get_by_role("heading", level=1)).to_contain_text("Home visit")
    second_page.get_by_label("Addendum").fill("Mia said at school that the house is warm now")
    second_page.get_by_role("button", name="Add the addendum").click()
    expect(second_page.locator(".govuk-notification-banner")).to_contain_text("Addendum added")
    addendum = second_page.locator("[data-addendum]")
    expect(addendum).to_contain_text("Partner Tester")
    expect(addendum).to_contain_text("Mia said at school that the house is warm now")
    assert_accessible(second_page)
    save_screenshot(second_page, "case-note-addendum")

    # The note itself is unchanged, and an attempt to edit it is refused with the reason.
    page.goto(f"/notes/{note.pk}/edit/")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Add an addendum instead")
    assert_accessible(page)
    note.refresh_from_db()
    assert note.what_happened == "Dawn says the boiler is fixed" and note.addenda.count() == 1


def test_a_restricted_note_hidden_from_a_partner_in_the_team_around_the_family(page: Page, second_page: Page,
                                                                               world):
    sign_in(page, "lead", PASSWORD)
    record_home_visit(page, world, what_happened="Dawn disclosed domestic abuse by her ex-partner",
                      restricted_reason="Disclosure of domestic abuse")
    expect(page.locator(".govuk-warning-text")).to_contain_text("This note is restricted")
    note = CaseNote.objects.get()
    assert note.restricted

    sign_in(second_page, "partner", PASSWORD)
    second_page.goto(f"/families/{world['family'].pk}/notes/")
    notice = second_page.locator("[data-restricted-notice]")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("A restricted note exists")
    expect(second_page.locator("main")).not_to_contain_text("domestic abuse")
    expect(second_page.locator("[data-note]")).to_have_count(0)
    assert_accessible(second_page)
    save_screenshot(second_page, "case-notes-restricted-notice")
    response = second_page.goto(f"/notes/{note.pk}/")
    assert response.status == 403
    expect(second_page.locator("main")).not_to_contain_text("domestic abuse")

    # The allocated worker reads it.
    second_page.context.clear_cookies()
    sign_in(second_page, "allocated", PASSWORD)
    second_page.goto(f"/notes/{note.pk}/")
    expect(second_page.locator("#note")).to_contain_text("Dawn disclosed domestic abuse by her ex-partner")
