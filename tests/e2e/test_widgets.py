"""Long pick lists as an autocomplete, follow-up questions revealed by their answer, sortable work lists
(web/widgets.py, web/static/web/init.js): each with JavaScript, and the first two without it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import assert_accessible, sign_in
from .journeys import fill_date

pytestmark = pytest.mark.e2e


def _an_outcome_of_the_practitioners():
    from earlyhelp.accounts.models import User
    from earlyhelp.episodes.models import EpisodeState, Outcome

    practitioner = User.objects.get(username="practitioner")
    outcome = (Outcome.objects.filter(episode__lead_professional=practitioner,
                                      episode__state=EpisodeState.PLAN_ACTIVE)
               .select_related("episode").order_by("pk").first())
    assert outcome is not None, "the seed gives the demo practitioner a family with a plan"
    return outcome


def _agency_offered(outcome):
    from earlyhelp.accounts.models import User
    from earlyhelp.episodes.services import plan as services

    owners = services.action_owner_choices(outcome.episode, recorder=User.objects.get(username="practitioner"))
    assert len(owners["users"]) + len(owners["agencies"]) + len(owners["family_members"]) > 15
    return owners["agencies"][-1]


def _wait_for_draft_with(page, key, field):
    """The page's script saves a draft a moment after typing stops: wait until it holds `field`."""
    from earlyhelp.web.models import Draft

    for _ in range(100):
        draft = Draft.objects.filter(key=key).values_list("data", flat=True).first()
        if draft and any(name.endswith(field) and values != [""] for name, values in draft["fields"].items()):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no draft with {field} for {key}")


def _add_action(page, outcome, description):
    page.goto(f"/episodes/{outcome.episode_id}/plan/outcomes/{outcome.pk}/actions/new/")
    page.get_by_label("What will be done?").fill(description)


def test_who_will_do_an_action_is_found_by_typing_part_of_a_name(page, seeded_live):
    from earlyhelp.episodes.models import PlanAction

    outcome = _an_outcome_of_the_practitioners()
    agency = _agency_offered(outcome)
    sign_in(page, "practitioner")
    _add_action(page, outcome, "Go to the parenting group on Tuesdays")
    combobox = page.get_by_role("combobox", name="Who will do this?")
    expect(combobox).to_be_visible()
    expect(page.locator("select[name=owner]")).to_be_hidden()
    assert_accessible(page)
    combobox.fill(agency.name[:6])
    option = page.get_by_role("option", name=agency.name, exact=True)
    expect(option).to_be_visible()
    assert_accessible(page)
    option.click()
    expect(combobox).to_have_value(agency.name)

    # Left and come back to: the draft restored shows the chosen name in the box, not an empty one.
    key = page.evaluate("() => location.pathname")
    _wait_for_draft_with(page, key, "owner")
    page.reload()
    page.get_by_role("button", name=re.compile("Restore your unsaved changes from")).click()
    expect(page.get_by_label("What will be done?")).to_have_value("Go to the parenting group on Tuesdays")
    combobox = page.get_by_role("combobox", name="Who will do this?").and_(page.locator("input"))
    expect(combobox).to_have_value(agency.name)
    assert_accessible(page)

    fill_date(page, "Done by", timezone.localdate() + timedelta(days=14))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added to the plan")).to_be_visible()
    assert PlanAction.objects.filter(outcome=outcome, description="Go to the parenting group on Tuesdays",
                                     owner_agency=agency).exists()


def test_without_javascript_the_same_list_is_a_plain_select(no_js_page, seeded_live):
    from earlyhelp.episodes.models import PlanAction

    page = no_js_page
    outcome = _an_outcome_of_the_practitioners()
    agency = _agency_offered(outcome)
    sign_in(page, "practitioner")
    _add_action(page, outcome, "Ask the school about breakfast club")
    expect(page.locator("select#id_owner")).to_be_visible()
    expect(page.get_by_role("combobox", name="Who will do this?")).to_have_count(1)  # the select itself
    expect(page.locator("select[name=owner] option").first).to_have_text("Choose who will do this")
    assert "---------" not in page.content()
    page.locator("select[name=owner]").select_option(label=agency.name)
    fill_date(page, "Done by", timezone.localdate() + timedelta(days=14))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added to the plan")).to_be_visible()
    assert PlanAction.objects.filter(outcome=outcome, owner_agency=agency,
                                     description="Ask the school about breakfast club").exists()


def test_why_they_refused_is_asked_once_refused_is_chosen(page, awaiting_consent_episode):
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{awaiting_consent_episode.pk}/consent/")
    reason = page.get_by_label("Why did they refuse?")
    expect(reason).to_be_hidden()
    assert_accessible(page)
    page.get_by_role("radio", name="Refused").check()
    expect(reason).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("will the children's needs escalate"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    # Sent unfinished: on the page with its errors, "Refused" is still chosen and its follow-ups still shown.
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_role("radio", name="Refused")).to_be_checked()
    expect(page.get_by_label("Why did they refuse?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Given").check()
    expect(page.get_by_label("Why did they refuse?")).to_be_hidden()


def test_without_javascript_every_follow_up_shows(no_js_page, awaiting_consent_episode):
    page = no_js_page
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{awaiting_consent_episode.pk}/consent/")
    expect(page.get_by_label("Why did they refuse?")).to_be_visible()
    expect(page.get_by_label("Explain your judgement")).to_be_visible()


def test_the_front_door_sorts_its_queue_by_urgency(page, seeded_live):
    sign_in(page, "frontdoor")
    page.goto("/front-door/")
    queue = page.locator("table[data-module=moj-sortable-table]").first
    expect(queue).to_be_visible()
    urgency = queue.get_by_role("button", name="Urgency")
    urgency.click()
    expect(queue.locator("th").filter(has=page.get_by_role("button", name="Urgency"))).to_have_attribute("aria-sort", "ascending")
    ranks = queue.locator("tbody tr td:last-child").evaluate_all(
        "cells => cells.map(cell => Number(cell.dataset.sortValue))")
    assert ranks == sorted(ranks) and len(set(ranks)) > 1, ranks
    urgency.click()
    expect(queue.locator("th").filter(has=page.get_by_role("button", name="Urgency"))).to_have_attribute("aria-sort", "descending")
    ranks = queue.locator("tbody tr td:last-child").evaluate_all(
        "cells => cells.map(cell => Number(cell.dataset.sortValue))")
    assert ranks == sorted(ranks, reverse=True), ranks
    assert_accessible(page)
