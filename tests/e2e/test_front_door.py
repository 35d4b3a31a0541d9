"""The front door in a browser: a practitioner asks for early help, a family asks for help without
signing in, and the front door triages and allocates at the Vulnerable Children's Meeting.

Every page visited is checked with axe-core; bad input gets a message beside the field."""

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.frontdoor.models import (
    AllocationDecision,
    PreAssessmentChecklist,
    RequestForSupport,
    RequestSource,
    RequestStatus,
)

from .helpers import assert_accessible, save_screenshot, sign_in

pytestmark = pytest.mark.e2e


def _error_beside(page, field_id: str, message: str) -> None:
    """The message is in the error summary and in the field's own form group."""
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    expect(page.locator(f"#div_{field_id}")).to_contain_text(message)


def test_a_practitioner_asks_for_early_help(page, seeded_live):
    sign_in(page, "partner")
    page.get_by_role("link", name="Ask for early help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for early help for a family")
    expect(page.locator("main")).to_contain_text(User.objects.get(username="partner").agency.name)
    assert_accessible(page)

    # Sent empty: each problem is explained beside its field and nothing is saved.
    before = RequestForSupport.objects.count()
    page.get_by_role("button", name="Send the request").click()
    _error_beside(page, "id_child-1-first_name", "Enter the name of at least one child")
    _error_beside(page, "id_concern_details", "Describe your concerns about the family")
    assert RequestForSupport.objects.count() == before
    assert_accessible(page)

    page.locator("#id_child-1-first_name").fill("Maisie")
    page.locator("#id_child-1-last_name").fill("Brookes")
    page.locator("#id_child-1-date_of_birth_0").fill("14")
    page.locator("#id_child-1-date_of_birth_1").fill("2")
    page.locator("#id_child-1-date_of_birth_2").fill("2016")
    page.locator("#id_adult-1-first_name").fill("Dawn")
    page.locator("#id_adult-1-last_name").fill("Brookes")
    page.locator("#id_adult-1-relationship").fill("Mother")
    page.get_by_label("Is a young carer").check()
    page.get_by_label("Young carer (7A)").check()
    page.get_by_label("Describe your concerns").fill(
        "Maisie looks after her mum, who has MS, most evenings. She is tired in class and has stopped seeing friends."
    )
    page.get_by_label("What has already been tried?").fill("Homework club and a weekly check-in with her teacher.")
    page.get_by_label("The family has not been told").check()
    page.get_by_label("Soon: within a week").check()
    page.get_by_role("button", name="Send the request").click()
    _error_beside(page, "id_no_agreement_reason", "Explain why the family has not been told")
    expect(page.locator("#id_child-1-first_name")).to_have_value("Maisie")  # what was typed is kept
    assert RequestForSupport.objects.count() == before
    assert_accessible(page)

    page.get_by_label("If the family has not agreed, or has not been told, why not?").fill(
        "Mum is in hospital this week; the school will talk to her on Monday."
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    support_request = RequestForSupport.objects.get(requested_by__username="partner", people__first_name="Maisie")
    expect(page.locator(".govuk-panel")).to_contain_text(support_request.reference)
    assert support_request.status == RequestStatus.AWAITING_TRIAGE
    assert support_request.concerns == ["young_carer"] and support_request.assessment_factors == ["7A"]
    assert_accessible(page)
    save_screenshot(page, "front-door-request-sent")

    page.get_by_role("link", name="Complete the pre-assessment checklist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pre-assessment checklist")
    assert_accessible(page)
    page.get_by_label("Yes, I checked: the child does not have a lead professional").check()
    for legend, answer in (
        ("Is the child progressing well?", "No"),
        ("Can your own service meet all the child's needs?", "No"),
        ("Is another service assessing the child with its own model?", "No"),
        ("Are the needs low enough for a single agency action plan?", "No"),
        ("Does the family need help from more than one service?", "Yes"),
        ("Do you think a child may have been harmed, or is at risk of significant harm?", "No"),
    ):
        page.get_by_role("group", name=legend).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Complete the checklist").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("An Early Help Assessment is needed")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request for support {support_request.reference}")
    expect(page.locator("[data-checklist-outcome]")).to_have_text("An Early Help Assessment is needed")
    assert PreAssessmentChecklist.objects.get(request=support_request).existing_lead_professional_checked
    assert_accessible(page)
    save_screenshot(page, "front-door-request-page")


def test_a_family_asks_for_help_without_signing_in(page, live_server, seeded_live, settings):
    # A person takes longer than a test: the shortest time is a setting.
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 0
    cache.clear()
    page.goto("/ask-for-help/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for help for your family")
    assert_accessible(page)
    page.get_by_role("link", name="privacy notice").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice: asking for early help")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the form").click()

    page.get_by_label("Your name").fill("Jade Whitfield")
    page.get_by_label("Who are you to the children?").fill("Mum")
    page.locator("#id_child-1-first_name").fill("Tyler")
    page.locator("#id_child-1-last_name").fill("Whitfield")
    page.locator("#id_child-1-date_of_birth_0").fill("3")
    page.locator("#id_child-1-date_of_birth_1").fill("11")
    page.locator("#id_child-1-date_of_birth_2").fill("2013")
    page.get_by_label("A child getting into trouble or with the police").check()
    page.get_by_label("What is worrying you, and what help would you like?").fill(
        "Tyler has been excluded twice this term and stays out late. I want help before it gets worse."
    )
    page.get_by_label("This week").check()
    page.get_by_role("button", name="Send", exact=True).click()
    # No phone number and no email address: a clear message beside the field, nothing saved.
    _error_beside(page, "id_contact_phone", "Enter a phone number or an email address so we can get in touch with you")
    assert not RequestForSupport.objects.filter(requester_name="Jade Whitfield").exists()
    assert_accessible(page)

    page.get_by_label("Phone number").fill("07700 900456")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request has been sent")
    support_request = RequestForSupport.objects.get(requester_name="Jade Whitfield")
    assert support_request.source == RequestSource.SELF_REFERRAL and support_request.requested_by is None
    expect(page.locator(".govuk-panel")).to_contain_text(support_request.reference)
    assert_accessible(page)
    save_screenshot(page, "front-door-self-referral-sent")


def test_the_front_door_triages_and_the_meeting_allocates(page, seeded_live):
    from earlyhelp.frontdoor import services
    from tests.frontdoor.factories import make_family

    family = make_family(name="Pemberton", children=(("Oliver", date(2014, 7, 21)),))
    support_request = services.request_create(
        source=RequestSource.SELF_REFERRAL, requester_name="Kerry Pemberton", contact_phone="07700 900789",
        people=[services.PersonEntry("Olly", "Pemberton", date(2014, 7, 21))],
        concern_details="Oliver has stopped going to school and is up all night gaming.",
        family_agreement="yes",
    )
    worker = User.objects.get(username="practitioner")

    sign_in(page, "frontdoor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Front door")
    expect(page.locator("[data-triage-total]")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Go to the front door queue").click()
    expect(page.locator("#triage-queue")).to_contain_text(support_request.reference)
    assert_accessible(page)
    page.get_by_role("link", name=support_request.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request for support {support_request.reference}")
    assert_accessible(page)
    page.get_by_role("link", name="Triage this request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage the request")
    assert_accessible(page)

    # The search starts from the child on the request: a nickname still finds the family.
    page.get_by_role("button", name="Find the family").click()
    expect(page.locator("#family-candidates")).to_contain_text("Pemberton family")
    assert_accessible(page)
    page.locator("#family-candidates").get_by_role("button", name="Link to the Pemberton family").click()
    expect(page.locator("[data-linked-family]")).to_contain_text("Pemberton family")

    # No reasons: explained beside the field, nothing decided.
    page.get_by_label("An Early Help Assessment is needed: to the allocation meeting").check()
    page.get_by_role("button", name="Record the triage decision").click()
    _error_beside(page, "id_notes", "Explain the reasons for the decision")
    assert_accessible(page)
    page.get_by_label("Reasons for the decision").fill("Spoke to mum and school: attendance 60%, sleep and mood.")
    page.get_by_role("button", name="Record the triage decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Triage recorded")
    expect(page.locator("#allocation-queue")).to_contain_text(support_request.reference)
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.AWAITING_ALLOCATION and support_request.family == family
    assert_accessible(page)

    page.get_by_role("link", name="Allocation meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation meetings")
    assert_accessible(page)
    today = timezone.localdate()
    page.locator("#id_held_on_0").fill(str(today.day))
    page.locator("#id_held_on_1").fill(str(today.month))
    page.locator("#id_held_on_2").fill(str(today.year))
    page.get_by_label("Who attends?").fill("Daniel Hughes, hub officer\nHelen Barker, team manager\nSchool nurse")
    page.get_by_role("button", name="Create the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Allocation meeting")
    expect(page.locator("#awaiting-allocation")).to_contain_text(support_request.reference)
    assert_accessible(page)

    page.get_by_role("link", name=f"Record a decision for {support_request.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decision for {support_request.reference}")
    assert_accessible(page)
    page.get_by_label("Allocate to a practitioner").check()
    page.get_by_role("button", name="Record the decision").click()
    _error_beside(page, "id_practitioner", "Choose the practitioner the family is allocated to")
    _error_beside(page, "id_reasons", "Explain the reasons for the decision")
    assert_accessible(page)
    page.get_by_label("Allocate to a practitioner").check()
    page.get_by_label("If allocated to a practitioner, who?").select_option(str(worker.pk))
    page.get_by_label("Reasons for the decision").fill("Tom knows the school and has capacity this month.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(f'[data-decision="{support_request.reference}"]')).to_contain_text("Tom Fletcher")
    assert_accessible(page)
    save_screenshot(page, "front-door-allocation-meeting")

    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.ALLOCATED
    assert AllocationDecision.objects.get(request=support_request).practitioner == worker


def test_a_level_of_need_decision_a_disagreement_and_its_outcome(page, seeded_live):
    from earlyhelp.frontdoor import services
    from earlyhelp.frontdoor.models import Escalation, EscalationOutcome, LevelOfNeedDecision
    from tests.frontdoor.factories import make_family, practitioner_request

    partner = User.objects.get(username="partner")
    family = make_family(name="Ashworth", practitioner=partner)
    support_request = practitioner_request(partner, family=family)
    request_url = f"/requests/{support_request.pk}/"

    sign_in(page, "frontdoor")
    page.goto(request_url)
    page.get_by_role("link", name="Record a level of need decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide the level of need")
    assert_accessible(page)
    page.get_by_label("School attendance falling, or occasional exclusions").check()
    page.get_by_label("Parental conflict").check()
    page.get_by_role("button", name="Show where the indicators point").click()
    expect(page.locator('[data-count-level="2"]')).to_have_text("2")
    expect(page.get_by_label("Parental conflict")).to_be_checked()
    assert not LevelOfNeedDecision.objects.filter(request=support_request).exists()
    assert_accessible(page)
    page.get_by_label("Level 1: Universal").check()
    page.get_by_role("button", name="Record the decision").click()
    _error_beside(page, "id_reasons", "Explain why you decided this level")
    assert_accessible(page)
    page.get_by_label("Why this level?").fill("School can meet these needs with its own pastoral support.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("[data-level-decision]")).to_contain_text("Level 1: Universal")
    expect(page.locator("[data-level-decision]")).to_contain_text("Daniel Hughes")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "partner")
    page.goto(request_url)
    page.get_by_role("link", name="Record a disagreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a disagreement about the level of need")
    assert_accessible(page)
    page.get_by_label("Level 2: Early help / targeted").check()
    page.get_by_label("What do you disagree with, and why?").fill(
        "Attendance is now 72% and mum has asked us for help: more than one service is needed."
    )
    page.get_by_role("button", name="Record the disagreement").click()
    expect(page.locator("[data-escalation]")).to_contain_text("Waiting for a manager")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "manager")
    page.get_by_role("link", name="Front door").click()
    expect(page.locator("#escalations")).to_contain_text(support_request.reference)
    assert_accessible(page)
    page.locator("#escalations").get_by_role("link", name=support_request.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Disagreement about the level of need")
    assert_accessible(page)
    page.get_by_role("radio", name="Decision changed").check()
    page.get_by_role("button", name="Record the outcome").click()
    _error_beside(page, "id_outcome_notes", "Explain the outcome")
    assert_accessible(page)
    page.get_by_label("Reasons for the outcome").fill("The school's evidence shows needs across services.")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.locator("[data-escalation]")).to_contain_text("Decision changed")
    expect(page.locator("[data-level-decision]").first).to_contain_text("Level 2: Early help / targeted")
    assert_accessible(page)
    save_screenshot(page, "front-door-level-of-need")
    assert Escalation.objects.get(decision__request=support_request).outcome == EscalationOutcome.CHANGED
