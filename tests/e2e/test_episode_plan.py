"""The Team Around the Family, the plan and two reviews, clicked through as the lead professional."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import PlanAction, PlanVersion, TafMeeting

from ..episodes.test_plan_support import build_episode
from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import (
    add_outcome,
    agree_plan,
    fill_action,
    fill_date,
    fill_taf_meeting,
    long_date,
    plan_agreed_weeks_ago,
    record_review,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def planning_episode(seeded_live):
    """An episode in planning, its assessment complete, led by the demo practitioner."""
    episode, people = build_episode(lead=User.objects.get(username="practitioner"))
    return episode, people


def test_first_meeting_plan_agreed_and_two_reviews(page: Page, planning_episode):
    episode, people = planning_episode
    today = timezone.localdate()
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings and plan")
    expect(page.locator("#agreement-missing")).to_contain_text("Record the Team Around the Family meeting")
    assert_accessible(page)

    # The first Team Around the Family meeting, with who attended.
    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a Team Around the Family meeting")
    assert_accessible(page)
    expect(page.get_by_label("Tom Fletcher (Family practitioner, Early Help Service)")).to_be_checked()
    save_screenshot(page, "plan-taf-meeting-form")
    fill_taf_meeting(page, held_on=today + timedelta(days=1), family=[people["mum"].full_name, people["jack"].full_name],
                     practitioner_emails="partner@example.gov.uk",
                     discussed="Jack's school attendance and Kerry's low mood",
                     decided="School to start a morning check-in")
    page.get_by_role("button", name="Save the meeting").click()
    # A date in the future is explained beside the field, and nothing typed is lost.
    expect(page.locator(".govuk-error-summary")).to_contain_text("The meeting date cannot be in the future")
    expect(page.locator("#div_id_held_on .govuk-error-message")).to_contain_text("The meeting date cannot be in the future")
    expect(page.get_by_label("What was discussed?")).to_have_value("Jack's school attendance and Kerry's low mood")
    expect(page.get_by_label(people["mum"].full_name)).to_be_checked()
    assert_accessible(page)
    fill_date(page, "When was the meeting?", today)
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Team Around the Family meeting, {long_date(today)}")
    expect(page.locator("#meeting-practitioners")).to_contain_text("Tom Fletcher")
    expect(page.locator("#meeting-practitioners")).to_contain_text("Priya Shah")
    expect(page.locator("#meeting-family")).to_contain_text(people["mum"].full_name)
    expect(page.locator("#meeting-family")).to_contain_text(people["jack"].full_name)
    assert_accessible(page)
    meeting = TafMeeting.objects.get(episode=episode)
    assert {user.username for user in meeting.practitioners.all()} == {"practitioner", "partner"}

    # An outcome in the family's words, then an action: first without an owner.
    page.get_by_role("link", name="Meetings and plan").click()
    add_outcome(page, in_familys_words="We want Jack to go to school every day", need="Socially unacceptable behaviour")
    fill_action(page, what="Morning check-in with Jack at the school gate", due_on=today + timedelta(days=21), owner=None)
    page.get_by_role("button", name="Add the action").click()
    owner_error = page.locator("#id_owner_1_error")
    expect(owner_error).to_contain_text("Choose who will do this: a practitioner, an agency or a family member")
    expect(page.get_by_label("What will be done?")).to_have_value("Morning check-in with Jack at the school gate")
    assert not PlanAction.objects.filter(outcome__episode=episode).exists()
    assert_accessible(page)
    save_screenshot(page, "plan-action-without-owner")
    page.get_by_label("Who will do this?").select_option(label="Priya Shah (Designated safeguarding lead, "
                                                          f"{User.objects.get(username='partner').agency.name})")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings and plan")
    expect(page.get_by_role("cell", name="Morning check-in with Jack at the school gate", exact=True)).to_be_visible()
    assert_accessible(page)
    # Later meetings can record the actions agreed at them, under the plan's outcomes.
    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_role("group", name="Action 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel and go back to the plan").click()

    # Agree the plan with the family.
    agree_plan(page)
    save_screenshot(page, "plan-agreed")
    episode.refresh_from_db()
    assert episode.state == "plan_active"

    page.get_by_role("link", name="Reviews", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews")
    expect(page.locator("#review-due")).to_have_text(long_date(today + timedelta(weeks=6)))
    expect(page.locator("#review-latest")).to_have_text(long_date(today + timedelta(weeks=12)))
    assert_accessible(page)

    # Ten weeks pass: the review is late, though not yet past 12 weeks.
    plan_agreed_weeks_ago(episode, 10)
    page.reload()
    expect(page.locator("#review-due")).to_contain_text("Past the ideal 6 weeks")
    expect(page.locator("#review-latest")).not_to_contain_text("Past 12 weeks")
    assert_accessible(page)

    # The first review, three weeks ago: the dates move to 6 and 12 weeks after it.
    first = today - timedelta(weeks=3)
    record_review(page, held_on=first, score="4", comment="Jack is in school three days a week")
    page.get_by_role("link", name="All reviews").click()
    expect(page.locator("#review-due")).to_have_text(long_date(first + timedelta(weeks=6)))
    expect(page.locator("#review-latest")).to_have_text(long_date(first + timedelta(weeks=12)))
    expect(page.get_by_role("link", name="Version 2")).to_be_visible()
    expect(page.get_by_role("cell", name=f"After the review on {long_date(first)}")).to_be_visible()
    assert_accessible(page)

    # The second review, today: the dates move again and a third version is kept.
    record_review(page, held_on=today, score="7", comment="Jack is in school most days")
    page.get_by_role("link", name="All reviews").click()
    expect(page.locator("#review-due")).to_have_text(long_date(today + timedelta(weeks=6)))
    expect(page.locator("#review-latest")).to_have_text(long_date(today + timedelta(weeks=12)))
    for number in (1, 2, 3):
        expect(page.get_by_role("link", name=f"Version {number}", exact=True)).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "plan-reviews")

    page.get_by_role("link", name="Version 2", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan version 2")
    expect(page.get_by_text("4 out of 10")).to_be_visible()
    expect(page.get_by_text(f"The plan as it stood after the review on {long_date(first)}")).to_be_visible()
    assert_accessible(page)
    assert list(PlanVersion.objects.filter(episode=episode).values_list("number", flat=True).order_by("number")) == [1, 2, 3]
