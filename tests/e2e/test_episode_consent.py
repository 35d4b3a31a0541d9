"""Consent and information sharing in the browser: consent given verbally then in writing, and
sharing without consent reaching the team manager.

Consent refused, with the route to a harm referral, is in test_episode_journey.py."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.sharing.models import SharingDecision

from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import fill_consent_decision

pytestmark = pytest.mark.e2e


@pytest.fixture
def episode(awaiting_consent_episode):
    # The seed's own sharing decisions count as seen: only this test's decision waits for the manager.
    SharingDecision.objects.update(seen_by_manager_at=timezone.now())
    return awaiting_consent_episode


def test_consent_given_verbally_then_in_writing_changes_the_status_on_every_page(page, episode):
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/consent/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent")
    expect(page.locator("#consent-status")).to_have_text("Consent: Not recorded yet")
    assert_accessible(page)
    save_screenshot(page, "episode-consent-form")

    # Nothing chosen: every question is explained beside it, and nothing is saved.
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whose decision it is")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether consent was given or refused")
    expect(page).to_have_title(re.compile("^Error: Consent"))
    assert_accessible(page)

    fill_consent_decision(page, person="Grace Okafor – parent", decision="Given", method="Verbal")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent recorded")
    expect(page.locator("#consent-status")).to_have_text("Consent: Given")
    expect(page.locator("#consent-status-people")).to_contain_text("Given by Grace Okafor (verbal")
    expect(page.locator(".eh-episode-summary")).to_contain_text("Assessment in progress")
    expect(page.get_by_text("The assessment has started.")).to_be_visible()
    assert_accessible(page)

    # Verbal agreement is confirmed in writing later: the written record is now the current one.
    page.get_by_role("link", name="Back to consent").click()
    fill_consent_decision(page, person="Grace Okafor – parent", decision="Given", method="Written")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#consent-status-people")).to_contain_text("Given by Grace Okafor (written")
    page.get_by_role("link", name="Back to consent").click()
    expect(page.locator(".govuk-summary-card")).to_have_count(2)
    assert_accessible(page)
    save_screenshot(page, "episode-consent-records")

    # The status shows on the episode's other pages too.
    page.get_by_role("link", name="Information sharing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Information sharing")
    expect(page.locator("#consent-status")).to_have_text("Consent: Given")
    assert_accessible(page)
    save_screenshot(page, "episode-consent-given")


def test_sharing_without_consent_is_justified_then_seen_by_the_team_manager(page, episode):
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/consent/")
    page.get_by_role("link", name="information-sharing log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Information sharing")
    assert_accessible(page)
    page.get_by_role("link", name="Record a sharing decision").click()
    assert_accessible(page)

    page.get_by_role("group", name="Did you share information?").get_by_label("Yes, I shared information").check()
    page.get_by_label("What information was shared, or asked for?").fill("What Chidi told me about the adult who hurt him.")
    page.get_by_label("Which agency?").select_option(label="Police Vulnerability Hub")
    page.get_by_label("Why did you decide to share, or not to share?").fill("Chidi may be at risk from an adult outside the home.")
    page.get_by_role("group", name="What is the lawful basis for sharing?").get_by_label("Consent", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "No one in the family has current consent to share information with Police Vulnerability Hub")
    assert_accessible(page)

    page.get_by_label("Reasonable cause to believe the child is suffering, or likely to suffer, significant harm").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Explain why sharing without consent is justified")
    page.get_by_label("Why is sharing without consent justified?").fill(
        "Chidi disclosed an assault; telling his parents first could put him at greater risk.")
    page.get_by_label("Who did you consult before deciding? (optional)").fill("Designated safeguarding lead")
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Information sharing")
    expect(page.get_by_text("your team manager will see this decision")).to_be_visible()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Without consent")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "manager")
    page.get_by_role("link", name="1 decision to share without consent is waiting for you to look at").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Information shared without consent")
    expect(page.locator(".govuk-summary-card")).to_contain_text("telling his parents first could put him at greater risk")
    expect(page.locator(".govuk-summary-card")).to_contain_text(episode.reference)
    assert_accessible(page)
    save_screenshot(page, "sharing-for-review")
    page.get_by_role("button", name=re.compile("^Mark as seen")).click()
    expect(page.get_by_text("Nothing to look at")).to_be_visible()
    assert_accessible(page)
