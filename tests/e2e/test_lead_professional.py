"""One lead professional per child, whoever records it, in the browser (DOMAIN §2, §6, §8).

Signed in as the people who do each part: the early help practitioner who chooses the lead on the
episode (replacing a health visitor who led elsewhere only with a handover) and then finds the same
lead on the family page, the child's page and "already known?"; the practitioner asked, when
starting early help, whether to work with the lead already there; the front door officer shown the
lead at triage; the social worker whose accepted step up makes them the child's lead on the family
page; and the step down whose acceptance asks whether the lead was chosen with the family and
whose handover shows on the new episode and the family page. Axe on every page.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import Agency, AgencyKind, User
from earlyhelp.episodes.models import (
    Assessment,
    Episode,
    EpisodeChild,
    EpisodeState,
    LeadProfessionalAssignment,
    StepDown,
)
from earlyhelp.episodes.services import stepping
from earlyhelp.frontdoor.models import HarmReferral
from earlyhelp.people.models import Family, FamilyMember, Involvement, MemberRole, Person
from tests.frontdoor.factories import practitioner_request

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def _family(name: str, *, known_to: User | None = None) -> tuple[Family, Person]:
    family = Family.objects.create(name=f"{name} family", postcode="ZZ99 3CZ")
    child = Person.objects.create(first_name="Rosie", last_name=name, date_of_birth=date(2016, 5, 5))
    parent = Person.objects.create(first_name="Dana", last_name=name, date_of_birth=date(1987, 2, 2))
    FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
    FamilyMember.objects.create(family=family, person=parent, role=MemberRole.PARENT)
    if known_to is not None:
        Involvement.objects.create(person=parent, agency=known_to.agency, practitioner=known_to,
                                   role_description="Family practitioner")
    return family, child


def _health_visitor_leads(child: Person) -> Involvement:
    agency = Agency.objects.filter(kind=AgencyKind.HEALTH_VISITING).order_by("pk").first()
    return Involvement.objects.create(person=child, agency=agency, practitioner_name="Sam Jones",
                                      role_description="Health visitor", contact_phone="01632 960555",
                                      is_lead_professional=True, started_on=timezone.localdate() - timedelta(days=90))


def test_the_lead_chosen_on_the_episode_is_the_childs_lead_everywhere(page, seeded_live):
    practitioner = User.objects.get(username="practitioner")
    family, child = _family("Hartwell", known_to=practitioner)
    health_visitor = _health_visitor_leads(child)
    episode = Episode.objects.create(reference="EP-LEAD-1", family=family, state=EpisodeState.ASSESSMENT,
                                     opened_on=timezone.localdate(), allocated_worker=practitioner,
                                     team=practitioner.teams.first())
    EpisodeChild.objects.create(episode=episode, person=child, added_on=timezone.localdate())

    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/")
    # The episode shows who leads for the child now, recorded elsewhere.
    expect(page.locator("#children-of-concern")).to_contain_text("Sam Jones")
    page.get_by_role("link", name="Choose the lead professional").click()
    expect(page.locator("[data-leads-elsewhere]")).to_contain_text("Sam Jones, Health visitor")
    assert_accessible(page)
    page.get_by_label("Lead professional").select_option(label=f"{practitioner.get_full_name()}, "
                                                               f"{practitioner.job_title}, {practitioner.agency.name}")
    page.get_by_role("group", name="Was the lead professional chosen with the family?").get_by_label("Yes").check()
    page.get_by_role("button", name="Choose lead professional").click()
    # Replacing the lead already there needs a handover, said beside the field; nothing is saved.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write a handover note for the new lead professional")
    assert_accessible(page)
    health_visitor.refresh_from_db()
    assert health_visitor.ended_on is None
    page.get_by_label("Why the role moves, and the handover").fill("Sam agrees: school and housing are involved now.")
    page.get_by_role("button", name="Choose lead professional").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is now the lead professional")
    expect(page.locator("#lead-history")).to_contain_text(practitioner.get_full_name())

    # The family page, the child's page and "already known?" name the same lead.
    page.goto(f"/families/{family.pk}/")
    expect(page.locator("[data-lead-professional]")).to_contain_text(practitioner.get_full_name())
    expect(page.locator("[data-lead-professional]")).to_contain_text("early help episode EP-LEAD-1")
    expect(page.locator("main")).not_to_contain_text("No lead professional is recorded")
    expect(page.locator("main")).to_contain_text("Sam Jones")  # in the ended involvements, as history
    assert_accessible(page)
    page.goto(f"/people/{child.pk}/")
    lead_row = page.locator("[data-involvement]", has_text="Lead professional")
    expect(lead_row).to_contain_text(practitioner.get_full_name())
    expect(lead_row.get_by_role("link", name="Transfer on the episode")).to_be_visible()
    assert_accessible(page)
    page.goto("/already-known/")
    page.get_by_label("Name", exact=True).fill("Rosie Hartwell")
    page.get_by_role("button", name="Search").click()
    result = page.locator("[data-result]", has_text="Rosie Hartwell")
    expect(result).to_contain_text(practitioner.get_full_name())
    expect(result).not_to_contain_text("Sam Jones")
    expect(result).not_to_contain_text("No lead professional is recorded")
    assert_accessible(page)


def test_starting_early_help_asks_whether_to_work_with_the_lead_already_there(page, seeded_live):
    practitioner = User.objects.get(username="practitioner")
    family, child = _family("Kenwood", known_to=practitioner)
    _health_visitor_leads(child)

    sign_in(page, "practitioner")
    page.goto(f"/families/{family.pk}/start-early-help/")
    expect(page.locator("[data-existing-leads]")).to_contain_text("Sam Jones, Health visitor")
    expect(page.locator("[data-existing-leads]")).to_contain_text("01632 960555")
    assert_accessible(page)
    page.get_by_role("button", name="Start early help").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether you still need to start early help")
    assert_accessible(page)
    page.get_by_label("No: I will work with the existing lead professional instead").check()
    page.get_by_role("button", name="Start early help").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Early help was not started")
    expect(page.locator("[data-lead-professional]")).to_contain_text("Sam Jones")
    assert not Episode.objects.filter(family=family).exists()

    page.goto(f"/families/{family.pk}/start-early-help/")
    page.get_by_label("Yes: early help is still needed").check()
    page.get_by_role("button", name="Start early help").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why early help is still needed")
    page.get_by_label("Why early help is still needed").fill("Sam asked early help to lead")
    page.get_by_role("button", name="Start early help").click()
    expect(page.locator("#timeline")).to_contain_text("Existing lead professional checked")
    expect(page.locator("#timeline")).to_contain_text("Sam asked early help to lead")
    assert_accessible(page)


def test_triage_shows_the_lead_already_working_with_the_family(page, seeded_live):
    practitioner = User.objects.get(username="practitioner")
    family, child = _family("Oakley", known_to=practitioner)
    _health_visitor_leads(child)
    support_request = practitioner_request(practitioner, family=family)

    sign_in(page, "frontdoor")
    page.goto(f"/requests/{support_request.pk}/triage/")
    expect(page.locator("[data-existing-leads]")).to_contain_text("Sam Jones, Health visitor")
    expect(page.locator("[data-work-with-lead]")).to_contain_text("Refer to another service")
    assert_accessible(page)


def test_after_an_accepted_step_up_the_family_page_names_the_social_worker_as_lead(page, seeded_live):
    practitioner = User.objects.get(username="practitioner")
    family, child = _family("Ashcombe")
    opened = timezone.localdate() - timedelta(days=60)
    episode = Episode.objects.create(reference="EP-LEAD-2", family=family, state=EpisodeState.PLAN_ACTIVE,
                                     opened_on=opened, allocated_worker=practitioner, team=practitioner.teams.first())
    EpisodeChild.objects.create(episode=episode, person=child, added_on=opened)
    Assessment.objects.create(episode=episode, started_on=opened, due_on=opened + timedelta(days=14),
                              completed_on=opened + timedelta(days=9), organisation=practitioner.agency,
                              agreed_needs=["3B"], what_needs_to_change="Rosie feels safe at home")
    from earlyhelp.episodes.services.core import lead_professional_assign

    lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True)
    step_up = stepping.episode_step_up(episode=episode, by=practitioner, reasons=["safeguarding"],
                                       details="Rosie disclosed she is frightened at home", assessment_factors=["3B"])

    sign_in(page, "socialworker")
    page.goto(f"/step-ups/{step_up.pk}/")
    page.get_by_label("Yes: accept the step up (I become the lead professional)").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".eh-episode-summary")).to_contain_text("Aisha Rahman")
    page.goto(f"/families/{family.pk}/")
    expect(page.locator("[data-lead-professional]")).to_contain_text("Aisha Rahman")
    expect(page.locator("main")).not_to_contain_text("No lead professional is recorded")
    assert_accessible(page)
    page.goto(f"/episodes/{episode.pk}/lead-professional/")
    expect(page.locator("#lead-history")).to_contain_text("Aisha Rahman")
    expect(page.locator("#lead-history")).to_contain_text(practitioner.get_full_name())
    assert_accessible(page)


def test_a_step_down_asks_about_the_family_and_its_handover_shows_on_the_episode_and_family(page, seeded_live):
    social_worker = User.objects.get(username="socialworker")
    practitioner = User.objects.get(username="practitioner")
    family, child = _family("Brookfield")
    referral = HarmReferral.objects.create(family=family, raised_by=User.objects.get(username="partner"),
                                           raised_at=timezone.now(), what_is_known="Injury", referral_source="2A",
                                           social_worker=social_worker, decision="s17", decided_by=social_worker,
                                           decided_at=timezone.now())
    referral.children.add(child)
    step_down = stepping.step_down_propose(
        family=family, by=social_worker, children=[child],
        final_assessment_summary="Risks are below the threshold; mum engages well.",
        handover_plan="Joint visit with the lead professional; I attend the first TAF.", proposed_lead=practitioner)

    sign_in(page, "frontdoor")
    page.goto(f"/step-downs/{step_down.pk}/")
    page.get_by_label("Yes: accept and open an early help episode").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select yes if the family helped choose the lead professional")
    assert_accessible(page)
    assert StepDown.objects.get(pk=step_down.pk).status == StepDown.Status.PROPOSED
    page.get_by_label("Yes: accept and open an early help episode").check()
    page.get_by_role("group", name="chosen with the family").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#step-down")).to_contain_text("Accepted by early help")
    page.get_by_role("button", name="Sign out").click()

    episode = StepDown.objects.get(pk=step_down.pk).episode
    assert LeadProfessionalAssignment.objects.get(episode=episode).chosen_with_family is False
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/")
    handover = page.locator("[data-step-down]")
    expect(handover.locator("[data-handover-plan]")).to_contain_text("Joint visit with the lead professional")
    expect(handover.locator("[data-final-assessment]")).to_contain_text("Risks are below the threshold")
    expect(handover).to_contain_text("Aisha Rahman")
    assert_accessible(page)
    page.goto(f"/episodes/{episode.pk}/lead-professional/")
    expect(page.locator("#lead-history")).to_contain_text("No")
    page.goto(f"/families/{family.pk}/")
    expect(page.locator("#step-downs [data-handover-plan]")).to_contain_text("Joint visit with the lead professional")
    expect(page.locator("[data-lead-professional]")).to_contain_text(practitioner.get_full_name())
    assert_accessible(page)
    page.locator("#step-downs").get_by_role("link", name="View the step down").click()
    expect(page.locator("#step-down")).to_contain_text("RC9")
