"""Whole journeys through an episode, signed in as the people who do each part.

One family from the allocation meeting to closure: consent, the assessment signed off by a team
manager, the first Team Around the Family meeting, the plan, two reviews and closure with the
outcome for each need. Then the hand-offs between early help and Children's Social Care (a step
up the social worker accepts, a step down early help accepts), and consent refused.

The stages' own browser tests (test_episode_core, _consent, _assessment, _plan) check what goes
wrong at each; the steps both use are in journeys.py.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import (
    Assessment,
    Closure,
    Episode,
    EpisodeChild,
    EpisodeState,
    LeadProfessionalAssignment,
    StepDown,
)
from earlyhelp.frontdoor.models import HarmReferral, TriageOutcome
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person

from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import (
    add_outcome,
    agree_plan,
    allocate_to_practitioner,
    assessment_part_status,
    choose_from_long_list,
    choose_lead_professional,
    fill_action,
    fill_childs_views,
    fill_consent_decision,
    fill_domain,
    fill_monitoring_form,
    fill_taf_meeting,
    fill_whole_family_parts,
    long_date,
    open_allocation_meeting,
    open_child_section,
    open_episode_section,
    open_notification,
    plan_agreed_weeks_ago,
    record_review,
    sign_off_assessment,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def request_at_the_allocation_meeting(seeded_live):
    """The Marsh family's request for support, triaged to the allocation meeting, which meets today."""
    from earlyhelp.frontdoor import services
    from tests.frontdoor.factories import CHILD, PARENT, make_family, practitioner_request

    teacher = User.objects.get(username="partner")
    family = make_family(name="Marsh", practitioner=teacher,
                         children=(("Ellie", date(2015, 3, 9)), ("Sam", date(2019, 6, 1))))
    sam = services.PersonEntry("Sam", "Marsh", date(2019, 6, 1))
    support_request = practitioner_request(teacher, family=family, people=[CHILD, sam, PARENT])
    front_door = User.objects.get(username="frontdoor")
    services.triage_decide(support_request=support_request, by=front_door, outcome=TriageOutcome.EHA_NEEDED,
                           notes="Mum is struggling and Ellie is often late: more than one service is needed.")
    meeting = services.meeting_create(held_on=timezone.localdate(), chair=User.objects.get(username="manager"),
                                      created_by=front_door)
    return support_request, meeting


def test_from_allocation_to_closure_with_outcomes(page, request_at_the_allocation_meeting, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = True
    support_request, meeting = request_at_the_allocation_meeting
    reference = support_request.reference
    practitioner = User.objects.get(username="practitioner")
    partner = User.objects.get(username="partner")
    today = timezone.localdate()

    # Allocation: the Vulnerable Children's Meeting allocates the family to Tom Fletcher.
    sign_in(page, "frontdoor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Front door")
    assert_accessible(page)
    page.get_by_role("link", name="Go to the front door queue").click()
    expect(page.locator("#allocation-queue")).to_contain_text(reference)
    assert_accessible(page)
    page.get_by_role("link", name="Allocation meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation meetings")
    assert_accessible(page)
    open_allocation_meeting(page, meeting)
    expect(page.locator("#awaiting-allocation")).to_contain_text(reference)
    assert_accessible(page)
    page.get_by_role("link", name=f"Record a decision for {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decision for {reference}")
    assert_accessible(page)
    allocate_to_practitioner(page, reference=reference, worker=practitioner,
                             reasons="Tom knows Ellie's school and has room for the family this month.")
    page.get_by_role("button", name="Sign out").click()

    # Tom is told, and starts early help from the allocation: the request, the family, "Start early help".
    sign_in(page, "practitioner")
    open_notification(page, f"The allocation meeting allocated the Marsh family to you ({reference})")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request for support {reference}")
    expect(page.locator("[data-allocation]")).to_contain_text("Tom Fletcher")
    assert_accessible(page)
    page.locator("[data-family-link]").get_by_role("link", name="Marsh family").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marsh family")
    assert_accessible(page)
    page.get_by_role("link", name="Start early help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start early help for this family")
    allocation = page.locator("[data-allocation]")
    expect(allocation).to_contain_text(reference)
    assert_accessible(page)
    allocation.get_by_role("button", name="Start early help").click()

    episode = Episode.objects.get(request=support_request)
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Early help started: episode {episode.reference}")
    expect(page.locator("#due-next")).to_contain_text(f"from request for support {reference}")
    expect(page.locator("#due-next")).to_contain_text("Consent to record")
    expect(page.locator("#children-of-concern tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name="Choose the lead professional").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lead professional")
    assert_accessible(page)
    choose_lead_professional(page, practitioner)
    assert_accessible(page)

    # Consent: Kerry agrees, in writing, and that starts the assessment, due in 10 working days.
    open_episode_section(page, "Consent")
    expect(page.locator("#consent-status")).to_have_text("Consent: Not recorded yet")
    assert_accessible(page)
    fill_consent_decision(page, person="Kerry Marsh – parent", decision="Given", method="Written")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent recorded")
    expect(page.locator("#consent-status")).to_have_text("Consent: Given")
    expect(page.locator(".eh-episode-summary")).to_contain_text("Assessment in progress")
    due = Assessment.objects.get(episode=episode).due_on
    expect(page.get_by_text(f"The assessment has started. It is due by {due:%A} {long_date(due)}.")).to_be_visible()
    assert_accessible(page)

    # The assessment: a section for each child with their own views, the family's views, the analysis
    # and the agreed needs.
    open_episode_section(page, "Assessment", heading="Early Help Assessment")
    expect(page.get_by_role("button", name="Start the assessment")).to_have_count(0)
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Due by")).to_contain_text(long_date(due))
    expect(assessment_part_status(page, "Ellie Marsh")).to_have_text("Not started")
    expect(assessment_part_status(page, "Sam Marsh")).to_have_text("Not started")
    assert_accessible(page)
    open_child_section(page, "Ellie Marsh")
    fill_childs_views(page, "Ellie", wishes_and_feelings="I help Mum in the mornings so I'm late. I'd like to go to drama club.",
                      how_heard="Seen alone at school, with her form tutor nearby.")
    fill_domain(page, "Education and learning", strengths="Bright and well liked", needs="Late most days", score="5")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Marsh")
    assert_accessible(page)
    fill_childs_views(page, "Sam", wishes_and_feelings="Sam drew his family holding hands and said he likes bath time.",
                      how_heard="Played with him at home, with Kerry in the room.")
    fill_domain(page, "Self-care skills", needs="Not yet dressing himself", score="6")
    page.get_by_role("button", name="Save and continue").click()
    fill_whole_family_parts(
        page, family_areas={"Basic care": "Breakfast is often missed"},
        parents_views="Kerry says her MS has been worse this winter and she relies on Ellie.",
        what_needs_to_change="Care for Kerry so Ellie can be a child; mornings that get both children to school.",
        impact_if_not="Ellie's attendance and friendships will keep slipping.",
        needs=["Mental health: concerns about the parent or carer", "Young carer"],
    )
    expect(assessment_part_status(page, "Ellie Marsh")).to_have_text("Completed")
    expect(assessment_part_status(page, "Sam Marsh")).to_have_text("Completed")
    assert_accessible(page)
    page.get_by_role("link", name="Check your answers and complete").click()
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_text("A team manager has been asked to sign it off.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The team manager signs it off.
    sign_in(page, "manager")
    open_notification(page, f"completed the assessment for Marsh family ({episode.reference})")
    expect(page.get_by_role("heading", level=1)).to_have_text("Early Help Assessment")
    assert_accessible(page)
    page.get_by_role("link", name="Sign off or send back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off the assessment")
    assert_accessible(page)
    sign_off_assessment(page)
    page.get_by_role("button", name="Sign out").click()

    # Tom fills in the monitoring form, from his list of work.
    sign_in(page, "practitioner")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    row = page.locator(f'tr[data-episode="{episode.reference}"]')
    expect(row).to_contain_text("Marsh family")
    assert_accessible(page)
    row.get_by_role("link", name="Marsh family").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    assert_accessible(page)
    open_episode_section(page, "Assessment", heading="Early Help Assessment")
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Signed off")).to_contain_text("Helen Barker")
    assert_accessible(page)
    page.get_by_role("link", name="Fill in the monitoring form").click()
    assert_accessible(page)
    fill_monitoring_form(page, factors=["Family in acute stress"], services=["Adult services"])
    assert_accessible(page)

    # The first Team Around the Family meeting, with Kerry, Ellie and the school.
    open_episode_section(page, "Meetings and plan")
    expect(page.locator("#agreement-missing")).to_contain_text("Record the Team Around the Family meeting")
    assert_accessible(page)
    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a Team Around the Family meeting")
    assert_accessible(page)
    fill_taf_meeting(page, held_on=today, family=["Kerry Marsh", "Ellie Marsh"],
                     practitioner_emails="partner@example.gov.uk",
                     discussed="Kerry's health, and Ellie caring before school",
                     decided="A carers' assessment for Kerry; a young carers' group for Ellie")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Team Around the Family meeting, {long_date(today)}")
    expect(page.locator("#meeting-practitioners")).to_contain_text("Priya Shah")
    expect(page.locator("#meeting-family")).to_contain_text("Ellie Marsh")
    assert_accessible(page)

    # The plan: an outcome in the family's words with an action, agreed with the family.
    page.get_by_role("link", name="Meetings and plan").click()
    assert_accessible(page)
    add_outcome(page, in_familys_words="Ellie gets to school on time and has time for her friends", need="Young carer")
    fill_action(page, what="Refer Ellie to the young carers' group", due_on=today + timedelta(days=14),
                owner=f"Priya Shah (Designated safeguarding lead, {partner.agency.name})")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings and plan")
    expect(page.get_by_role("cell", name="Refer Ellie to the young carers' group", exact=True)).to_be_visible()
    assert_accessible(page)
    agree_plan(page)
    save_screenshot(page, "journey-plan-agreed")

    # Twelve weeks go by: two reviews, six weeks apart. The second decides to close.
    agreed = plan_agreed_weeks_ago(episode, 12)
    open_episode_section(page, "Reviews")
    expect(page.locator("#review-due")).to_contain_text("Past the ideal 6 weeks")
    assert_accessible(page)
    first = agreed + timedelta(weeks=6)
    record_review(page, held_on=first, score="5", comment="Ellie is late twice a week, not every day")
    page.get_by_role("link", name="All reviews").click()
    expect(page.locator("#review-due")).to_have_text(long_date(first + timedelta(weeks=6)))
    assert_accessible(page)
    record_review(page, held_on=today, score="9", comment="Ellie is on time and goes to the young carers' group",
                  decision="Close")

    # Closure, with the outcome for each agreed need: question pages, then check your answers.
    page.get_by_role("link", name="Close the episode and record the outcome for each need").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Why is the episode closing?")
    page.get_by_label("Needs met").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("group", name="Outcome for: Mental health: concerns about the parent or carer").get_by_label(
        "Improved").check()
    page.get_by_role("group", name="Outcome for: Young carer").get_by_label("Need met").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Closing summary for the family").fill(
        "Kerry has carers twice a day and Ellie is at school on time. Call us if things get hard again.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before closing the episode")
    assert_accessible(page)
    page.get_by_role("button", name="Close the episode").click()
    expect(page.get_by_text("The episode is closed.")).to_be_visible()
    closure = page.locator("#closure")
    expect(closure).to_contain_text("Needs met")
    expect(closure).to_contain_text("Improved")
    expect(closure).to_contain_text("Need met")
    expect(page.locator(".eh-episode-summary")).to_contain_text("Closed")
    assert_accessible(page)
    save_screenshot(page, "journey-closed")

    episode.refresh_from_db()
    assert episode.state == EpisodeState.CLOSED
    assert episode.lead_professional == practitioner
    assert dict(Closure.objects.get(episode=episode).need_outcomes.values_list("need", "result")) == {
        "4B": "improved", "7A": "met"}
    assert episode.reviews.count() == 2


def _family(name: str) -> tuple[Family, Person]:
    family = Family.objects.create(name=f"{name} family")
    child = Person.objects.create(first_name="Rosie", last_name=name, date_of_birth=date(2015, 5, 5))
    parent = Person.objects.create(first_name="Dana", last_name=name, date_of_birth=date(1987, 2, 2))
    FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
    FamilyMember.objects.create(family=family, person=parent, role=MemberRole.PARENT)
    return family, child


@pytest.fixture
def episode_with_a_plan(seeded_live):
    practitioner = User.objects.get(username="practitioner")
    family, child = _family("Ashdown")
    opened = timezone.localdate() - timedelta(days=60)
    episode = Episode.objects.create(reference="EP-JOURNEY-1", family=family, state=EpisodeState.PLAN_ACTIVE,
                                     opened_on=opened, lead_professional=practitioner, allocated_worker=practitioner,
                                     team=practitioner.teams.first())
    EpisodeChild.objects.create(episode=episode, person=child, added_on=opened)
    LeadProfessionalAssignment.objects.create(episode=episode, lead=practitioner, started_on=opened,
                                              assigned_by=practitioner)
    Assessment.objects.create(episode=episode, started_on=opened, due_on=opened + timedelta(days=14),
                              completed_on=opened + timedelta(days=9), organisation=practitioner.agency,
                              agreed_needs=["3B"], what_needs_to_change="Rosie feels safe at home")
    return episode


def test_a_step_up_the_social_worker_accepts_moves_the_lead_professional(page, episode_with_a_plan):
    episode = episode_with_a_plan
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/")
    page.get_by_role("link", name="Step up, step down and close").click()
    assert_accessible(page)
    page.get_by_role("link", name="Step up to Children's Social Care").click()  # its pages: test_stepping_pages.py
    page.get_by_label("Safeguarding concerns have emerged").check()
    page.get_by_label("What has changed").fill("Rosie disclosed that she is frightened at home.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # the assessment factors, as agreed in the assessment
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the step up")
    page.get_by_role("button", name="Send the step up to Children's Social Care").click()
    expect(page.locator("#step-ups")).to_contain_text("Waiting for a decision")
    expect(page.locator(".eh-episode-summary")).to_contain_text("Step up requested")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "socialworker")
    page.goto("/notifications/")
    notice = page.locator("#notifications li", has_text="Early help asks Children's Social Care to take on Ashdown family")
    notice.get_by_role("link").first.click()
    expect(page.locator("#step-up-summary")).to_contain_text("5D")
    expect(page.get_by_text("Rosie feels safe at home")).to_be_visible()  # the assessment travels with it
    assert_accessible(page)
    page.get_by_label("Yes: accept the step up (I become the lead professional)").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".eh-episode-summary")).to_contain_text("Aisha Rahman")
    expect(page.locator(".eh-episode-summary")).to_contain_text("Closed")
    assert_accessible(page)


def test_a_step_down_accepted_by_early_help_opens_an_episode(page, seeded_live):
    social_worker = User.objects.get(username="socialworker")
    family, child = _family("Brierley")
    # The social worker knows the family through a concern of significant harm they decided.
    referral = HarmReferral.objects.create(family=family, raised_by=User.objects.get(username="partner"),
                                           raised_at=timezone.now(), what_is_known="Injury", referral_source="2A",
                                           social_worker=social_worker, decision="s17", decided_by=social_worker,
                                           decided_at=timezone.now())
    referral.children.add(child)

    sign_in(page, "socialworker")
    page.goto(f"/families/{family.pk}/")
    page.get_by_role("link", name="Propose a step down to early help").click()
    page.get_by_role("button", name="Propose the step down").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Summarise the final assessment")
    assert_accessible(page)
    page.get_by_label("Rosie Brierley").check()
    page.get_by_label("Final assessment summary").fill("Risks are below the threshold; mum engages well.")
    page.get_by_label("Handover plan").fill("Joint visit with the lead professional; I attend the first TAF.")
    lead_name = "Tom Fletcher, early help practitioner, Early Help Service"
    choose_from_long_list(page, "Proposed lead professional", typed="Tom Fle", option=lead_name)
    page.get_by_role("button", name="Propose the step down").click()
    expect(page.locator("#step-down")).to_contain_text("Proposed")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "frontdoor")
    step_down = StepDown.objects.get(family=family)
    page.goto(f"/step-downs/{step_down.pk}/")
    page.get_by_label("Yes: accept and open an early help episode").check()
    page.get_by_role("group", name="chosen with the family").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#step-down")).to_contain_text("Accepted by early help")
    expect(page.locator("#step-down")).to_contain_text("RC9")
    assert_accessible(page)
    step_down.refresh_from_db()
    assert step_down.episode.lead_professional.username == "practitioner"
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "practitioner")
    page.goto(f"/episodes/{step_down.episode.pk}/")
    expect(page.locator(".moj-timeline")).to_contain_text("Stepped down from Children's Social Care")
    assert_accessible(page)


def test_consent_refused_with_needs_escalating_leads_to_a_harm_referral(page, awaiting_consent_episode):
    episode = awaiting_consent_episode
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/consent/")
    assert_accessible(page)
    fill_consent_decision(page, person="Grace Okafor – parent", decision="Refused", method="Written")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why consent was refused")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Explain your judgement")
    assert_accessible(page)

    page.get_by_label("Why did they refuse?").fill("They say they do not need help and want to be left alone.")
    page.get_by_role("group", name="In your judgement, will the children's needs escalate without help?").get_by_label("Yes").check()
    page.get_by_label("Explain your judgement").fill("Ada is often hungry at nursery and Chidi has stopped attending school.")
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Refusal recorded")
    expect(page.locator("#consent-status")).to_have_text("Consent: Refused")
    expect(page.get_by_role("link", name="Close the episode because consent was refused")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "episode-consent-refused")

    page.get_by_role("link", name="Raise a concern of significant harm", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern of significant harm")
    expect(page).to_have_url(re.compile(rf"/families/{episode.family_id}/harm-concern/$"))
    assert_accessible(page)
