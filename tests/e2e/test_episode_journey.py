"""Whole journeys through an episode, signed in as the people who do each part.

The stages each have their own browser tests (test_episode_core, _consent, _assessment,
_plan); these follow a family across the hand-offs between early help and Children's
Social Care.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import (
    Assessment,
    Episode,
    EpisodeChild,
    EpisodeState,
    LeadProfessionalAssignment,
    StepDown,
)
from earlyhelp.frontdoor.models import HarmReferral
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


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
    page.get_by_role("link", name="Step up to Children's Social Care").click()
    page.get_by_role("button", name="Send the step up to Children's Social Care").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one reason for stepping up")
    assert_accessible(page)
    page.get_by_label("Safeguarding concerns have emerged").check()
    page.get_by_label("What has changed").fill("Rosie disclosed that she is frightened at home.")
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
    page.get_by_label("Proposed lead professional").select_option(label="Tom Fletcher, early help practitioner, Early Help Service")
    page.get_by_role("button", name="Propose the step down").click()
    expect(page.locator("#step-down")).to_contain_text("Proposed")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "frontdoor")
    step_down = StepDown.objects.get(family=family)
    page.goto(f"/step-downs/{step_down.pk}/")
    page.get_by_label("Yes: accept and open an early help episode").check()
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
