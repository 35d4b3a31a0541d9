"""Consent withdrawn, in the browser, as the early help practitioner who leads the episode: the only parent
who agreed withdraws, every page of the episode shows the work paused, the assessment cannot be completed,
and the practitioner follows the refusal path (DOMAIN §4)."""

import re

import pytest
from playwright.sync_api import expect

from earlyhelp.episodes.models import ClosureReason, EpisodeState

from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import fill_consent_decision

pytestmark = pytest.mark.e2e


def test_withdrawn_consent_pauses_the_work_and_leads_to_the_refusal_path(page, awaiting_consent_episode):
    episode = awaiting_consent_episode
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/consent/")
    fill_consent_decision(page, person="Grace Okafor – parent", decision="Given", method="Written")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".eh-episode-summary")).to_contain_text("Assessment in progress")

    page.get_by_role("link", name="Back to consent").click()
    page.get_by_role("link", name=re.compile("^Record withdrawal")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record withdrawal of consent")
    page.get_by_label("Why was consent withdrawn?").fill("Grace says the family want a break from services.")
    page.get_by_role("button", name="Record the withdrawal").click()
    expect(page.get_by_text("The work it covered is paused")).to_be_visible()

    # Every page of the episode says so, and none reads "Assessment in progress" as if nothing happened.
    for tab in ("Overview", "Assessment", "Meetings and plan", "Information sharing", "Step up, step down and close"):
        page.locator(".moj-sub-navigation").get_by_role("link", name=tab, exact=True).click()
        expect(page.locator("#episode-stage")).to_contain_text("Paused: consent withdrawn")
        expect(page.locator("#episode-stage")).not_to_contain_text("Assessment in progress")
        banner = page.locator("#consent-paused")
        expect(banner).to_contain_text("Grace Okafor withdrew consent to the assessment and support")
        expect(banner.get_by_role("link", name="close the episode because consent was withdrawn")).to_be_visible()
        expect(banner.get_by_role("link", name="request a step up")).to_be_visible()
        expect(banner.get_by_role("link", name="raise a concern of significant harm")).to_be_visible()
        assert_accessible(page)

    # The assessment cannot be completed: a plain refusal instead of the button.
    page.locator(".moj-sub-navigation").get_by_role("link", name="Assessment", exact=True).click()
    expect(page.locator("#complete-refused")).to_contain_text("The assessment cannot be completed")
    expect(page.get_by_role("button", name="Complete the assessment")).to_have_count(0)
    save_screenshot(page, "consent-withdrawn-assessment-paused")

    # The refusal path: closing asks how the needs will be met, and refers on if they will escalate.
    page.locator("#consent-paused").get_by_role("link", name="close the episode because consent was withdrawn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the episode because consent was withdrawn")
    assert_accessible(page)
    page.get_by_label("How will the children's needs be met without early help?").fill(
        "Chidi's school will keep supporting his attendance.")
    page.get_by_role("group", name="In your judgement, will the children's needs escalate without help?") \
        .get_by_label("Yes").check()
    page.get_by_label("What will you tell the family?").fill("You asked us to stop. Call us any time.")
    page.get_by_role("button", name="Close the episode").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("refer to Children's Social Care")
    assert_accessible(page)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.ASSESSMENT

    page.get_by_role("group", name="In your judgement, will the children's needs escalate without help?") \
        .get_by_label("No").check()
    page.get_by_role("button", name="Close the episode").click()
    expect(page.get_by_text(f"Episode {episode.reference} is closed.")).to_be_visible()
    expect(page.locator("#consent-paused")).to_have_count(0)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED and episode.closure.reason == ClosureReason.CONSENT_WITHDRAWN
