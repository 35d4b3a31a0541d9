"""Alerts that follow the family (issue 12, point 3): a risk to workers recorded as an alert shows
on the family page, on each person's page and on the step up to Children's Social Care, until
someone who may change the family ends it with a reason; axe on every page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .helpers import assert_accessible, save_screenshot, sign_in

pytestmark = pytest.mark.e2e

DETAILS = "Daniel shouted at the health visitor and blocked the door in March. Visit in pairs."
BANNER = "[data-worker-safety-alert]"


def test_a_worker_safety_alert_is_seen_on_the_family_page_a_person_page_and_the_step_up(
        page, awaiting_consent_episode):
    episode = awaiting_consent_episode
    family = episode.family
    sign_in(page, "practitioner")
    page.goto(reverse("family-detail", kwargs={"family_id": family.pk}))
    expect(page.locator(BANNER)).to_have_count(0)
    page.get_by_role("link", name="Alerts about risks to workers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts about risks to workers")
    expect(page.locator("#main-content")).to_contain_text("There are no current alerts")
    assert_accessible(page)

    page.get_by_role("button", name="Record an alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an alert about a risk to workers")
    page.get_by_role("button", name="Record the alert").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what kind of risk to workers it is")
    assert_accessible(page)
    page.get_by_label("Visit in pairs").check()
    page.get_by_label("What do workers need to know?").fill(DETAILS)
    page.get_by_label("Is the risk from someone in the family? (optional)").select_option(label="Daniel Okafor")
    page.get_by_role("button", name="Record the alert").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Alert recorded")
    expect(page.locator("#current-alerts + .govuk-summary-card")).to_contain_text(DETAILS)
    assert_accessible(page)

    # The family page.
    page.get_by_role("link", name="Back to the family").click()
    banner = page.locator(BANNER)
    expect(banner).to_contain_text("Risk to workers")
    expect(banner).to_contain_text("Visit in pairs (Daniel Okafor)")
    expect(banner).to_contain_text(DETAILS)
    assert_accessible(page)
    save_screenshot(page, "worker-safety-alert-on-family-page")

    # A person's page: a child's, not only the person the risk comes from.
    page.goto(reverse("person-detail", kwargs={"person_id": episode.teen.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Chidi Okafor")
    expect(page.locator(BANNER)).to_contain_text(DETAILS)
    assert_accessible(page)

    # The step up to Children's Social Care.
    page.goto(reverse("episode-step-up", kwargs={"episode_id": episode.pk}))
    expect(page.locator(BANNER)).to_contain_text(DETAILS)
    assert_accessible(page)
    save_screenshot(page, "worker-safety-alert-on-step-up")

    # Ended with a reason: it no longer shows, and stays in the family's history.
    page.locator(BANNER).get_by_role("link", name="See or end the alerts about risks to workers").click()
    page.get_by_role("link", name="End this alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("End an alert: visit in pairs")
    page.get_by_role("button", name="End the alert").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the risk to workers has ended")
    assert_accessible(page)
    page.get_by_label("Why has the risk to workers ended?").fill("Daniel has moved out; the police confirm it.")
    page.get_by_role("button", name="End the alert").click()
    expect(page.locator(BANNER)).to_have_count(0)
    expect(page.locator("#main-content")).to_contain_text("There are no current alerts")
    expect(page.locator("#main-content")).to_contain_text("Daniel has moved out; the police confirm it.")
    assert_accessible(page)
    page.goto(reverse("family-detail", kwargs={"family_id": family.pk}))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(BANNER)).to_have_count(0)
