"""Steps that more than one browser test takes, written once and clicked as a person would.

Each step starts on the page a person would be on, says what it expects to see after each
click, and checks with axe-core the pages it lands on that the calling test does not check
itself. The tests keep their own checks of what goes wrong (errors beside the fields); the
steps here are the ways through.
"""

import re
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.due import review_dates
from earlyhelp.episodes.forms_core import practitioner_label
from earlyhelp.episodes.models import Episode, PlanVersion

from .helpers import assert_accessible


def open_notification(page: Page, text: str) -> None:
    """From any page: the notifications list, then the one that says `text`."""
    page.get_by_role("link", name="Notifications").click()
    notice = page.locator("#notifications li", has_text=text)
    expect(notice).to_be_visible()
    assert_accessible(page)
    notice.get_by_role("link", name=re.compile("^Open")).click()


# --- Dates, as the GOV.UK date input takes them and as the pages show them -------------------


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def choose_from_long_list(page: Page, label: str, *, typed: str, option: str) -> None:
    """A long pick list is an autocomplete: type part of `option`, then pick it.

    The plain select is a combobox too until the script replaces it, so the locator asks for
    the autocomplete's input: it never catches the select in the moment before it is hidden.
    """
    combobox = page.get_by_role("combobox", name=label).and_(page.locator("input"))
    combobox.fill(typed)
    page.get_by_role("option", name=option, exact=True).click()
    expect(combobox).to_have_value(option)


# --- People ----------------------------------------------------------------------------------


def fill_child_row(page: Page, number: int, *, first: str, last: str, born: date) -> None:
    """On a request's "children" question page: the child in row `number`."""
    row = f"#id_children-child-{number}"
    page.locator(f"{row}-first_name").fill(first)
    page.locator(f"{row}-last_name").fill(last)
    page.locator(f"{row}-date_of_birth_0").fill(str(born.day))
    page.locator(f"{row}-date_of_birth_1").fill(str(born.month))
    page.locator(f"{row}-date_of_birth_2").fill(str(born.year))


def misspell(surname: str) -> str:
    """Change one letter after the first, as someone typing from a phone call might."""
    index = 2 if len(surname) > 3 else 1
    letter = surname[index]
    replacement = "e" if letter.lower() != "e" else "a"
    return surname[:index] + replacement + surname[index + 1:]


# --- The front door --------------------------------------------------------------------------


def open_allocation_meeting(page: Page, meeting) -> None:
    """From the allocation meetings list: the meeting the test made, followed by its own link.

    Never by its date: the seed holds a meeting every Tuesday, so on a Tuesday two share a label.
    """
    link = page.locator("#meetings").locator(f'a[href="{reverse("allocation-meeting-detail", args=[meeting.pk])}"]')
    expect(link).to_have_text(f"{meeting.held_on:%A} {long_date(meeting.held_on)}")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Allocation meeting, {meeting.held_on:%A} {long_date(meeting.held_on)}")


def allocate_to_practitioner(page: Page, *, reference: str, worker: User, reasons: str) -> None:
    """On the allocation meeting's decision form for request `reference`: allocate it to `worker`."""
    page.get_by_label("Allocate to a practitioner").check()
    page.get_by_label("If allocated to a practitioner, who?").select_option(str(worker.pk))
    page.get_by_label("Reasons for the decision").fill(reasons)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(f'[data-decision="{reference}"]')).to_contain_text(worker.get_full_name())
    assert_accessible(page)


# --- The episode -----------------------------------------------------------------------------


def open_episode_section(page: Page, name: str, *, heading: str | None = None) -> None:
    """Follow a tab of the episode's sub-navigation ("Consent", "Assessment", "Meetings and plan"...)
    to the page headed `heading` (the tab's name unless told)."""
    page.get_by_role("navigation", name="Episode sections").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading or name)


def choose_lead_professional(page: Page, lead: User, *, chosen_with_family: bool = True) -> None:
    """On the lead professional page, before anyone leads: choose `lead`."""
    page.get_by_label("Lead professional").select_option(label=practitioner_label(lead))
    page.get_by_role("group", name="Was the lead professional chosen with the family?").get_by_label(
        "Yes" if chosen_with_family else "No").check()
    page.get_by_role("button", name="Choose lead professional").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{lead.get_full_name()} is now the lead professional")
    expect(page.locator("#lead-history")).to_contain_text(lead.get_full_name())


def fill_consent_decision(page: Page, *, person: str, decision: str, method: str) -> None:
    """On the consent page: one person's decision about the Early Help Assessment and support."""
    form = page.locator("form").filter(has=page.get_by_role("button", name="Record the decision"))
    form.get_by_role("group", name="Whose decision is it?").get_by_label(person).check()
    form.get_by_label("The Early Help Assessment and support").check()
    form.get_by_role("group", name="What did they decide?").get_by_label(decision).check()
    form.get_by_role("group", name="How was the decision given?").get_by_label(method).check()


# --- The Early Help Assessment ---------------------------------------------------------------


def assessment_part_status(page: Page, name: str) -> Locator:
    """The status tag of a part in the assessment's task list."""
    item = page.locator(".govuk-task-list__item").filter(has=page.get_by_role("link", name=name, exact=True))
    return item.locator(".govuk-task-list__status")


def open_child_section(page: Page, full_name: str) -> None:
    """From the assessment's task list, open a child's section."""
    page.get_by_role("link", name=full_name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(full_name)
    assert_accessible(page)


def fill_childs_views(page: Page, first_name: str, *, wishes_and_feelings: str, how_heard: str) -> None:
    """In a child's section: what the child said, and how they were seen and listened to."""
    page.get_by_label(f"What {first_name} told us: wishes and feelings").fill(wishes_and_feelings)
    page.get_by_label(f"How {first_name} was seen and listened to").fill(how_heard)


def fill_domain(page: Page, domain: str, *, strengths: str = "", needs: str = "", score: str = "") -> None:
    """In a child's section or the family's part: one area of the assessment framework (blank answers
    are left alone)."""
    group = page.get_by_role("group", name=domain, exact=True)
    for label, value in (("Strengths", strengths), ("Needs", needs), ("Score from 0 to 10", score)):
        if value:
            group.get_by_label(label).fill(value)


def fill_whole_family_parts(page: Page, *, parents_views: str, what_needs_to_change: str, impact_if_not: str,
                            needs: list[str], family_areas: dict[str, str] | None = None) -> None:
    """From the family's part (parenting capacity and family and environmental factors: `family_areas`
    maps an area to its needs) through the parents' and carers' views, the analysis, the agreed
    needs and engagement, each saved with "Save and continue", back to the task list."""
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Parenting capacity, and family and environmental factors")
    assert_accessible(page)
    for area, area_needs in (family_areas or {}).items():
        fill_domain(page, area, needs=area_needs)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Parents' and carers' views")
    assert_accessible(page)
    page.get_by_label("What the parents and carers told us").fill(parents_views)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Analysis: what needs to change")
    assert_accessible(page)
    page.get_by_label("What needs to change").fill(what_needs_to_change)
    page.get_by_label("The impact on the children if nothing changes").fill(impact_if_not)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Agreed needs")
    assert_accessible(page)
    for need in needs:
        page.get_by_label(need).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("When engagement is hard")
    assert_accessible(page)
    page.get_by_role("button", name="Save and come back later").click()
    expect(assessment_part_status(page, "Agreed needs")).to_have_text("Completed")
    expect(assessment_part_status(page, "Analysis: what needs to change")).to_have_text("Completed")


def sign_off_assessment(page: Page) -> None:
    """A team manager, on the sign-off page: sign the assessment off."""
    page.get_by_label("Yes, sign it off").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Assessment signed off.")).to_be_visible()
    assert_accessible(page)


def fill_monitoring_form(page: Page, *, factors: list[str], services: list[str]) -> None:
    """On the EHA monitoring form: more factors and the services needed, then save it."""
    expect(page.get_by_role("heading", level=1)).to_have_text("EHA monitoring form")
    for factor in factors:
        page.get_by_label(factor).check()
    for service in services:
        page.get_by_label(service).check()
    page.get_by_role("group", name="Do the children or family need additional support?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save the monitoring form").click()
    expect(page.get_by_text("EHA monitoring form saved.")).to_be_visible()
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Status")).to_contain_text("Completed")


# --- The Team Around the Family, the plan and reviews ----------------------------------------


def fill_taf_meeting(page: Page, *, held_on: date, family: list[str], practitioner_emails: str, discussed: str,
                     decided: str) -> None:
    """On "Record a Team Around the Family meeting": when, who came and what was said (not saved yet)."""
    fill_date(page, "When was the meeting?", held_on)
    for name in family:
        page.get_by_label(name).check()
    page.get_by_label("Other practitioners who attended").fill(practitioner_emails)
    page.get_by_label("What was discussed?").fill(discussed)
    page.get_by_label("What was decided?").fill(decided)


def add_outcome(page: Page, *, in_familys_words: str, need: str) -> None:
    """From the plan page: an outcome in the family's words, for one agreed need; the action form follows."""
    page.get_by_role("link", name="Add an outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an outcome")
    assert_accessible(page)
    page.get_by_label("What does the family want to change?").fill(in_familys_words)
    page.get_by_label(need).check()
    page.get_by_role("button", name="Add the outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
    assert_accessible(page)


def fill_action(page: Page, *, what: str, due_on: date, owner: str | None) -> None:
    """On "Add an action": what will be done, by when and, unless `owner` is None, by whom."""
    page.get_by_label("What will be done?").fill(what)
    fill_date(page, "Done by", due_on)
    if owner is not None:
        page.get_by_label("Who will do this?").select_option(label=owner)


def agree_plan(page: Page) -> None:
    """From the plan page: the family agrees the plan, which is kept as version 1."""
    page.get_by_role("link", name="Agree the plan with the family").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agree the plan with the family")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the family agrees this plan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Plan agreed with the family and kept as version 1")
    expect(page.get_by_role("link", name="Version 1")).to_be_visible()
    assert_accessible(page)


def plan_agreed_weeks_ago(episode: Episode, weeks: int) -> date:
    """Time passes: the plan was agreed `weeks` ago, and its review dates run from then.

    The browser cannot wait for weeks, so the agreement's date moves back instead. Returns that date.
    The moment moves back in local time, so it falls on that date even across a clock change.
    """
    agreed = timezone.localdate() - timedelta(weeks=weeks)
    PlanVersion.objects.filter(episode=episode).update(made_at=timezone.localtime() - timedelta(weeks=weeks))
    due, latest = review_dates(agreed)
    Episode.objects.filter(pk=episode.pk).update(review_due_on=due, review_latest_on=latest)
    return agreed


def record_review(page: Page, *, held_on: date, score: str, comment: str,
                  decision: str = "Continue with the plan") -> None:
    """From the reviews page: a review of the plan's one outcome, and what happens next."""
    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a review")
    assert_accessible(page)
    fill_date(page, "When was the review?", held_on)
    page.get_by_label("Progress score, from 0 (no progress) to 10 (achieved)").fill(score)
    page.get_by_label("How are things going?").fill(comment)
    page.get_by_label(decision, exact=True).check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review, {long_date(held_on)}")
    expect(page.get_by_text(f"{score} out of 10")).to_be_visible()
    expect(page.locator("#review-decision")).to_have_text(decision)
    assert_accessible(page)
