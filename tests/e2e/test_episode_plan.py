"""The Team Around the Family, the plan and two reviews, clicked through as the lead professional."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import Episode, PlanAction, PlanVersion, TafMeeting

from ..episodes.test_plan_support import build_episode
from .helpers import assert_accessible, save_screenshot, sign_in

pytestmark = pytest.mark.e2e


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@pytest.fixture
def planning_episode(seeded_live):
    """An episode in planning, its assessment complete, led by the demo practitioner."""
    episode, people = build_episode(lead=User.objects.get(username="practitioner"))
    return episode, people


def _record_review(page: Page, held_on: date, score: str, comment: str) -> None:
    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a review")
    assert_accessible(page)
    _fill_date(page, "When was the review?", held_on)
    page.get_by_label("Progress score, from 0 (no progress) to 10 (achieved)").fill(score)
    page.get_by_label("How are things going?").fill(comment)
    page.get_by_label("Continue with the plan").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review, {_long(held_on)}")
    expect(page.get_by_text(f"{score} out of 10")).to_be_visible()
    assert_accessible(page)


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
    _fill_date(page, "When was the meeting?", today + timedelta(days=1))
    page.get_by_label(people["mum"].full_name).check()
    page.get_by_label(people["jack"].full_name).check()
    page.get_by_label("Other practitioners who attended").fill("partner@example.gov.uk")
    page.get_by_label("What was discussed?").fill("Jack's school attendance and Kerry's low mood")
    page.get_by_label("What was decided?").fill("School to start a morning check-in")
    page.get_by_role("button", name="Save the meeting").click()
    # A date in the future is explained beside the field, and nothing typed is lost.
    expect(page.locator(".govuk-error-summary")).to_contain_text("The meeting date cannot be in the future")
    expect(page.locator("#div_id_held_on .govuk-error-message")).to_contain_text("The meeting date cannot be in the future")
    expect(page.get_by_label("What was discussed?")).to_have_value("Jack's school attendance and Kerry's low mood")
    expect(page.get_by_label(people["mum"].full_name)).to_be_checked()
    assert_accessible(page)
    _fill_date(page, "When was the meeting?", today)
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Team Around the Family meeting, {_long(today)}")
    expect(page.locator("#meeting-practitioners")).to_contain_text("Tom Fletcher")
    expect(page.locator("#meeting-practitioners")).to_contain_text("Priya Shah")
    expect(page.locator("#meeting-family")).to_contain_text(people["mum"].full_name)
    expect(page.locator("#meeting-family")).to_contain_text(people["jack"].full_name)
    assert_accessible(page)
    meeting = TafMeeting.objects.get(episode=episode)
    assert {user.username for user in meeting.practitioners.all()} == {"practitioner", "partner"}

    # An outcome in the family's words, then an action: first without an owner.
    page.get_by_role("link", name="Meetings and plan").click()
    page.get_by_role("link", name="Add an outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an outcome")
    assert_accessible(page)
    page.get_by_label("What does the family want to change?").fill("We want Jack to go to school every day")
    page.get_by_label("Socially unacceptable behaviour").check()
    page.get_by_role("button", name="Add the outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    assert_accessible(page)
    page.get_by_label("What will be done?").fill("Morning check-in with Jack at the school gate")
    _fill_date(page, "Done by", today + timedelta(days=21))
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
    page.get_by_role("link", name="Agree the plan with the family").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agree the plan with the family")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the family agrees this plan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Plan agreed with the family and kept as version 1")
    expect(page.get_by_role("link", name="Version 1")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "plan-agreed")
    episode.refresh_from_db()
    assert episode.state == "plan_active"

    page.get_by_role("link", name="Reviews", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews")
    expect(page.locator("#review-due")).to_have_text(_long(today + timedelta(weeks=6)))
    expect(page.locator("#review-latest")).to_have_text(_long(today + timedelta(weeks=12)))
    assert_accessible(page)

    # Ten weeks pass: the review is late, though not yet past 12 weeks.
    agreed = today - timedelta(weeks=10)
    PlanVersion.objects.filter(episode=episode).update(made_at=timezone.now() - timedelta(weeks=10))
    Episode.objects.filter(pk=episode.pk).update(
        review_due_on=agreed + timedelta(weeks=6), review_latest_on=agreed + timedelta(weeks=12))
    page.reload()
    expect(page.locator("#review-due")).to_contain_text("Review late")
    expect(page.locator("#review-latest")).not_to_contain_text("Past 12 weeks")
    assert_accessible(page)

    # The first review, three weeks ago: the dates move to 6 and 12 weeks after it.
    first = today - timedelta(weeks=3)
    _record_review(page, first, "4", "Jack is in school three days a week")
    page.get_by_role("link", name="All reviews").click()
    expect(page.locator("#review-due")).to_have_text(_long(first + timedelta(weeks=6)))
    expect(page.locator("#review-latest")).to_have_text(_long(first + timedelta(weeks=12)))
    expect(page.get_by_role("link", name="Version 2")).to_be_visible()
    expect(page.get_by_role("cell", name=f"After the review on {_long(first)}")).to_be_visible()
    assert_accessible(page)

    # The second review, today: the dates move again and a third version is kept.
    _record_review(page, today, "7", "Jack is in school most days")
    page.get_by_role("link", name="All reviews").click()
    expect(page.locator("#review-due")).to_have_text(_long(today + timedelta(weeks=6)))
    expect(page.locator("#review-latest")).to_have_text(_long(today + timedelta(weeks=12)))
    for number in (1, 2, 3):
        expect(page.get_by_role("link", name=f"Version {number}", exact=True)).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "plan-reviews")

    page.get_by_role("link", name="Version 2", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan version 2")
    expect(page.get_by_text("4 out of 10")).to_be_visible()
    expect(page.get_by_text(f"The plan as it stood after the review on {_long(first)}")).to_be_visible()
    assert_accessible(page)
    assert list(PlanVersion.objects.filter(episode=episode).values_list("number", flat=True).order_by("number")) == [1, 2, 3]
