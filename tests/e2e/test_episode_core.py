"""Starting early help, the episode overview and timeline, the lead professional, and My work."""

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.forms_core import practitioner_label
from earlyhelp.episodes.models import Episode, LeadProfessionalAssignment
from tests.episodes.test_core_helpers import make_family

from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import choose_lead_professional

pytestmark = pytest.mark.e2e


@pytest.fixture
def family(seeded_live):
    practitioner = User.objects.get(username="practitioner")
    return make_family(name="Hartley family", children=2, seen_by=practitioner)


def test_practitioner_starts_early_help_chooses_and_transfers_the_lead(page, family):
    sign_in(page, "practitioner")
    page.goto(f"/families/{family.pk}/start-early-help/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start early help for this family")
    children = page.get_by_role("group", name="Which children are you worried about?").get_by_role("checkbox")
    expect(children).to_have_count(2)
    for index in range(2):
        expect(children.nth(index)).to_be_checked()
    assert_accessible(page)
    save_screenshot(page, "episode-start")
    page.get_by_role("button", name="Start early help").click()

    episode = Episode.objects.get(family=family)
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Early help started: episode {episode.reference}")
    timeline = page.locator(".moj-timeline")
    expect(timeline.locator(".moj-timeline__title").first).to_have_text("Early help started")
    expect(timeline.locator(".moj-timeline__byline").first).to_contain_text("Tom Fletcher")
    expect(page.locator("#children-of-concern tbody tr")).to_have_count(2)
    expect(page.locator("#due-next")).to_contain_text("Consent to record")
    assert_accessible(page)
    save_screenshot(page, "episode-overview")

    page.get_by_role("link", name="Choose the lead professional").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lead professional")
    assert_accessible(page)
    choose_lead_professional(page, User.objects.get(username="practitioner"))

    # Transfer to the school's designated safeguarding lead, found by searching.
    page.get_by_label("Find a practitioner").fill("Shah")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("New lead professional").select_option(label=practitioner_label(User.objects.get(username="partner")))
    page.get_by_role("group", name="Was the lead professional chosen with the family?").get_by_label("No").check()
    page.get_by_role("button", name="Transfer the lead professional").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write a handover note for the new lead professional")
    expect(page.locator("#id_handover_note_1_error, .govuk-error-message").first).to_contain_text(
        "Write a handover note for the new lead professional")
    expect(page.get_by_label("New lead professional")).to_have_value(str(User.objects.get(username="partner").pk))
    expect(page.get_by_role("group", name="Was the lead professional chosen with the family?").get_by_label("No")).to_be_checked()
    assert_accessible(page)
    save_screenshot(page, "episode-lead-professional-handover-missing")
    page.get_by_label("Handover note").fill("Mum prefers a text before visits. Housing referral made last week.")
    page.get_by_role("button", name="Transfer the lead professional").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Lead professional transferred to Priya Shah")
    history = page.locator("#lead-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("Priya Shah")
    expect(history.first).to_contain_text("Current")
    assert LeadProfessionalAssignment.objects.filter(episode=episode, ended_on__isnull=True).get().lead.username == "partner"
    assert_accessible(page)

    page.get_by_role("navigation", name="Episode sections").get_by_role("link", name="Overview").click()
    expect(page.locator(".moj-timeline__title").first).to_have_text("Lead professional transferred")

    # Tom still holds the family's work: it is on his list, with what is due next.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    row = page.locator(f'tr[data-episode="{episode.reference}"]')
    expect(row).to_contain_text("Hartley family")
    expect(row).to_contain_text("Consent to record")
    assert_accessible(page)
    save_screenshot(page, "my-work")
    row.get_by_role("link", name="Hartley family").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
