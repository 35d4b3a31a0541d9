"""The front door in a browser: a practitioner asks for early help, a family asks for help without
signing in, the front door triages and allocates at the Vulnerable Children's Meeting, a level of
need decision is disagreed with, "Already known?" finds a child from a misspelt name and shows
the lead professional, and a concern of significant harm raised from a family page warns on every
page of the family until social care decides.

Every page visited is checked with axe-core; bad input gets a message beside the field."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.frontdoor.models import (
    AllocationDecision,
    HarmReferral,
    PreAssessmentChecklist,
    RequestForSupport,
    RequestSource,
    RequestStatus,
)
from earlyhelp.people.models import Involvement

from .helpers import NARROWEST, assert_accessible, assert_reflows, save_screenshot, sign_in
from .journeys import allocate_to_practitioner, fill_child_row, misspell

pytestmark = pytest.mark.e2e


def _error_beside(page, field_id: str, message: str) -> None:
    """The message is in the error summary and in the field's own form group."""
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    expect(page.locator(f"#div_{field_id}")).to_contain_text(message)


def _continue(page) -> None:
    page.get_by_role("button", name="Continue").click()


def _ask_for_early_help(page, check_page=assert_accessible) -> RequestForSupport:
    """The practitioner's question pages, each checked with axe (when scripts run), an error state on the
    way, a change from check your answers, and the send."""
    page.get_by_role("link", name="Ask for early help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Before you ask: does a child already have a lead professional?"
    )
    expect(page.get_by_role("link", name="Check whether the family is already known")).to_be_visible()
    check_page(page)
    _continue(page)  # not answered: the message is beside the question
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether you checked for a lead professional")
    check_page(page)
    page.get_by_label("Yes, I checked: the child does not have a lead professional").check()
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Is early help the right help?")
    for legend, answer in (
        ("Is the child progressing well?", "No"),
        ("Can your own service meet all the child's needs?", "No"),
        ("Is another service assessing the child with its own model?", "No"),
        ("Are the needs low enough for a single agency action plan?", "No"),
        ("Does the family need help from more than one service?", "Yes"),
        ("Do you think a child may have been harmed, or is at risk of significant harm?", "No"),
    ):
        page.get_by_role("group", name=legend).get_by_label(answer, exact=True).check()
    check_page(page)
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("The children")
    _continue(page)
    _error_beside(page, "id_children-child-1-first_name", "Enter the name of at least one child")
    check_page(page)
    fill_child_row(page, 1, first="Maisie", last="Brookes", born=date(2016, 2, 14))
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Adults in the family")
    page.locator("#id_adults-adult-1-first_name").fill("Dawn")
    page.locator("#id_adults-adult-1-last_name").fill("Brookes")
    page.locator("#id_adults-adult-1-relationship").fill("Mother")
    check_page(page)
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("What are you worried about?")
    expect(page.locator("main")).not_to_contain_text("(7A)")  # no census codes for the requester
    page.get_by_label("Is a young carer").check()
    page.get_by_label("Describe your concerns").fill(
        "Maisie looks after her mum, who has MS, most evenings. She is tired in class and has stopped seeing friends."
    )
    page.get_by_label("What has already been tried?").fill("Homework club and a weekly check-in with her teacher.")
    check_page(page)
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("The family and the child")
    page.get_by_label("The family has not been told").check()
    page.get_by_label("Soon: within a week").check()
    _continue(page)
    _error_beside(page, "id_family-not_told_reason", "Explain why the family has not been told")
    check_page(page)
    page.get_by_label("Why has the family not been told?").fill(
        "Mum is in hospital this week; the school will talk to her on Monday."
    )
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your details and where the family lives")
    check_page(page)
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the request")
    expect(page.locator("main")).to_contain_text("Maisie Brookes, born 14 February 2016")
    expect(page.locator("main")).to_contain_text("Homework club")
    check_page(page)
    save_screenshot(page, "front-door-request-check-answers")
    page.get_by_role("link", name="Change what has already been tried?").click()
    expect(page.get_by_label("What has already been tried?")).to_have_value(
        "Homework club and a weekly check-in with her teacher."
    )
    page.get_by_label("What has already been tried?").fill("Homework club, and a young carers' group since May.")
    _continue(page)  # straight back to check your answers
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the request")
    expect(page.locator("main")).to_contain_text("a young carers' group since May")

    before = RequestForSupport.objects.count()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    assert RequestForSupport.objects.count() == before + 1
    return RequestForSupport.objects.get(requested_by__username="partner", people__first_name="Maisie")


def _checked_at_320_px(page) -> None:
    """Each question page at 400% zoom too (the clicks at the desktop width, where the menu shows)."""
    desktop = page.viewport_size
    page.set_viewport_size(NARROWEST)
    assert_reflows(page)
    page.set_viewport_size(desktop)


def test_a_practitioner_asks_for_early_help(page, seeded_live):
    sign_in(page, "partner")
    support_request = _ask_for_early_help(page, check_page=_checked_at_320_px)
    expect(page.locator(".govuk-panel")).to_contain_text(support_request.reference)
    assert support_request.status == RequestStatus.AWAITING_TRIAGE
    assert support_request.concerns == ["young_carer"] and support_request.assessment_factors == []
    assert support_request.already_tried == "Homework club, and a young carers' group since May."
    checklist = PreAssessmentChecklist.objects.get(request=support_request)  # answered before the request
    assert checklist.existing_lead_professional_checked and checklist.outcome
    assert_accessible(page)
    save_screenshot(page, "front-door-request-sent")
    page.get_by_role("link", name="View your request").click()
    expect(page.locator("[data-checklist-outcome]")).to_have_text("An Early Help Assessment is needed")
    assert_accessible(page)
    save_screenshot(page, "front-door-request-page")


def test_a_practitioner_asks_for_early_help_without_javascript(no_js_page, seeded_live):
    sign_in(no_js_page, "partner")
    support_request = _ask_for_early_help(no_js_page, check_page=lambda page: None)  # axe needs scripts
    assert support_request.people.filter(is_child=True).count() == 1


def _phone_page_checked(page, heading: str) -> None:
    """The question is the page's heading; at 320 px nothing scrolls sideways, and axe finds nothing."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_reflows(page)


def test_a_family_asks_for_help_without_signing_in(page, live_server, seeded_live, settings):
    """A parent on a phone: a question a page, an error on the way, a change from check your answers."""
    # A person takes longer than a test: the shortest time is a setting.
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 0
    cache.clear()
    page.set_viewport_size(NARROWEST)  # a small phone, or 400% zoom
    page.goto("/ask-for-help/")
    _phone_page_checked(page, "Your children")
    expect(page.locator(".govuk-caption-l")).to_contain_text("Ask for help for your family")
    page.get_by_role("link", name="privacy notice").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice: asking for early help")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the form").click()

    _phone_page_checked(page, "Your children")
    fill_child_row(page, 1, first="Tyler", last="Whitfield", born=date(2013, 11, 3))
    _continue(page)
    _phone_page_checked(page, "Other adults who live with you")
    _continue(page)  # nobody else at home: skipped
    _phone_page_checked(page, "What is worrying you?")
    page.get_by_label("A child getting into trouble or with the police").check()
    page.get_by_label("What is worrying you, and what help would you like?").fill(
        "Tyler has been excluded twice this term and stays out late. I want help before it gets worse."
    )
    _continue(page)
    _phone_page_checked(page, "How soon do you need help?")
    page.get_by_label("This week").check()
    _continue(page)
    _phone_page_checked(page, "About you and how to contact you safely")
    page.get_by_label("Your name").fill("Jade Whitfield")
    page.get_by_label("Who are you to the children?").fill("Mum")
    _continue(page)
    # No phone number and no email address: a clear message beside the field, nothing saved.
    _error_beside(page, "id_you-contact_phone", "Enter a phone number or an email address so we can get in touch with you")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Phone number").fill("07700 900456")
    _continue(page)

    _phone_page_checked(page, "Check your answers before sending them")
    expect(page.locator("main")).to_contain_text("Tyler Whitfield, born 3 November 2013")
    page.get_by_role("link", name="Change how soon do you need help?").click()
    _phone_page_checked(page, "How soon do you need help?")
    page.get_by_label("Today").check()
    _continue(page)
    _phone_page_checked(page, "Check your answers before sending them")
    expect(page.locator("main")).to_contain_text("Today")
    assert not RequestForSupport.objects.filter(requester_name="Jade Whitfield").exists()  # nothing sent yet
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your request has been sent")
    support_request = RequestForSupport.objects.get(requester_name="Jade Whitfield")
    assert support_request.source == RequestSource.SELF_REFERRAL and support_request.requested_by is None
    assert support_request.urgency == "urgent" and support_request.contact_phone == "07700 900456"
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
    allocate_to_practitioner(page, reference=support_request.reference, worker=worker,
                             reasons="Tom knows the school and has capacity this month.")
    save_screenshot(page, "front-door-allocation-meeting")

    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.ALLOCATED
    assert AllocationDecision.objects.get(request=support_request).practitioner == worker


def test_a_level_of_need_decision_a_disagreement_and_its_outcome(page, seeded_live):
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
    # The disagreement waits on the home page of the managers who hold the request (before
    # allocation, its locality's; this family has none recorded, so every locality's).
    sign_in(page, "manager")
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


def test_a_misspelt_name_finds_the_child_and_their_lead_professional(page, seeded_live):
    partner = User.objects.get(username="partner")
    lead = (
        Involvement.objects.filter(practitioner=partner, is_lead_professional=True, ended_on__isnull=True,
                                   person__last_name__regex=r"^[A-Za-z]{4,}$")
        .select_related("person").order_by("pk").first()
    )
    assert lead is not None, "the seed gives the demo partner families to lead"
    child = lead.person
    typed = f"{child.first_name} {misspell(child.last_name)}"
    assert typed != f"{child.first_name} {child.last_name}"

    sign_in(page, "partner")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Already known?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Already known?")
    assert_accessible(page)

    page.get_by_label("Name", exact=True).fill(typed)
    page.get_by_role("button", name="Search").click()
    result = page.locator("[data-result]").filter(has_text=child.full_name).first
    expect(result).to_be_visible()
    expect(result.locator("[data-contact-name]")).to_contain_text(partner.get_full_name())
    expect(result.locator("[data-contact-phone]")).to_have_text(partner.phone)
    expect(result.locator("[data-contact-email]")).to_contain_text(partner.email)
    assert_accessible(page)
    save_screenshot(page, "already-known-results")

    family = child.families.get()
    result.get_by_role("link", name=family.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(family.name)
    lead_card = page.locator("[data-lead-professional]").filter(has_text=child.full_name)
    expect(lead_card).to_contain_text(partner.get_full_name())
    expect(lead_card).to_contain_text(partner.phone)
    assert_accessible(page)
    save_screenshot(page, "family-page")


WHAT_IS_KNOWN = "Ellie told her teacher this morning that her mum's partner hit her; she has a mark on her neck."


def _pages_of(family, practitioner) -> list[str]:
    """The family's own pages: its family page, a request for support and its early help episode.

    The request and the episode are made here when the family has none, so each kind is visited."""
    from earlyhelp.episodes.models import Episode, EpisodeState
    from earlyhelp.episodes.services.core import episode_open
    from tests.frontdoor.factories import practitioner_request

    support_request = family.requests.order_by("pk").first() or practitioner_request(practitioner, family=family)
    episode = (Episode.objects.filter(family=family).exclude(state=EpisodeState.CLOSED).first()
               or episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner))
    return [
        reverse("family-detail", kwargs={"family_id": family.pk}),
        reverse("request-detail", kwargs={"request_id": support_request.pk}),
        reverse("episode-detail", kwargs={"episode_id": episode.pk}),
        reverse("episode-consent", kwargs={"episode_id": episode.pk}),
    ]


def _expect_harm_warning(page, shown: bool) -> None:
    banner = page.get_by_role("region", name="Concern of significant harm")
    if shown:
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("waiting for Children's Social Care's decision")
        expect(banner).to_contain_text("Tom Fletcher")
    else:
        expect(banner).to_have_count(0)


def test_a_concern_of_significant_harm_warns_on_every_family_page_until_social_care_decides(
    page, practitioners_family
):
    practitioner = User.objects.get(username="practitioner")
    family = practitioners_family
    family_pages = _pages_of(family, practitioner)
    create_url = reverse("harm-referral-create", kwargs={"family_id": family.pk})

    sign_in(page, "practitioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    page.goto(family_pages[0])
    _expect_harm_warning(page, shown=False)
    assert_accessible(page)
    page.get_by_role("link", name="Concern of significant harm").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern of significant harm")
    assert_accessible(page)

    # Nothing typed: a clear message beside the field and in the summary, nothing sent.
    page.get_by_role("button", name="Send to Children's Social Care now").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you know about the concern")
    expect(page.locator("#id_what_is_known").locator("xpath=..")).to_contain_text("Enter what you know about the concern")
    assert not HarmReferral.objects.filter(family=family, decided_at__isnull=True).exists()
    assert_accessible(page)

    page.get_by_label("What do you know?").fill(WHAT_IS_KNOWN)
    page.get_by_role("button", name="Send to Children's Social Care now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern sent to Children's Social Care")
    referral = HarmReferral.objects.get(family=family, decided_at__isnull=True)
    reference = f"HR-{referral.pk:06d}"
    expect(page.locator(".govuk-panel")).to_contain_text(reference)
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.locator("main")).to_contain_text("01632 960000")
    assert_accessible(page)
    save_screenshot(page, "harm-concern-sent")

    # Every page of the family now warns: the family's own pages, the concern form and the referral.
    detail_url = reverse("harm-referral-detail", kwargs={"referral_id": referral.pk})
    for url in [*family_pages, create_url, detail_url]:
        page.goto(url)
        _expect_harm_warning(page, shown=True)
        assert_accessible(page)
    save_screenshot(page, "harm-warning-on-family-page")

    # Children's Social Care decides.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "socialworker")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals and step-downs")
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Concern of significant harm {reference}")
    expect(page.locator("main")).to_contain_text(WHAT_IS_KNOWN)
    _expect_harm_warning(page, shown=True)
    assert_accessible(page)

    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the decision")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reasons for the decision")
    assert_accessible(page)

    page.get_by_label("Section 47 enquiry").check()
    page.get_by_label("Reasons for the decision").fill("Strategy discussion held with police; visiting today.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded: Section 47 enquiry")
    _expect_harm_warning(page, shown=False)
    assert_accessible(page)
    save_screenshot(page, "harm-decision-recorded")

    # The warning has gone from every page of the family.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "practitioner")
    for url in [*family_pages, create_url, detail_url]:
        page.goto(url)
        _expect_harm_warning(page, shown=False)
        assert_accessible(page)
    # The referrer was told of the decision.
    page.get_by_role("link", name="Notifications").click()
    expect(page.locator("#notifications")).to_contain_text(f"{reference}: Section 47 enquiry")
    assert_accessible(page)
