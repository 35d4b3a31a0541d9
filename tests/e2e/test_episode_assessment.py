"""The Early Help Assessment in the browser: start it for a family with three children, fill in each
child's section and the family's part, check the answers, complete it, fill in the monitoring form
and download the family's copy."""

from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import Assessment, EpisodeChild, EpisodeState, MonitoringForm
from earlyhelp.episodes.services import assessment as service
from earlyhelp.people.models import FamilyMember, MemberRole, Person
from tests.episodes.test_assessment_support import build_episode, fill_every_part

from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import (
    assessment_part_status,
    fill_childs_views,
    fill_domain,
    fill_monitoring_form,
    fill_whole_family_parts,
    open_child_section,
    sign_off_assessment,
)

pytestmark = pytest.mark.e2e
FAMILY_PART = service.FAMILY_RATINGS_TITLE


@pytest.fixture
def assessment_episode(seeded_live):
    """An episode at the assessment stage, led by the demo practitioner, with Amara, Tobi and Zara."""
    episode, _ = build_episode(lead=User.objects.get(username="practitioner"), reference="EP-E2E-ASSESS")
    zara = Person.objects.create(first_name="Zara", last_name="Adeyemi", date_of_birth=date(2021, 5, 2))
    FamilyMember.objects.create(family=episode.family, person=zara, role=MemberRole.CHILD)
    EpisodeChild.objects.create(episode=episode, person=zara, added_on=episode.opened_on)
    return episode


def _inputs(page) -> int:
    """What a practitioner can fill in on the page's form (no hidden fields, no buttons)."""
    return page.locator("main form").locator(
        "textarea, select, input:not([type=hidden]):not([type=submit]):not([type=button])").count()


def test_practitioner_completes_a_three_child_assessment_and_downloads_the_familys_copy(
    page, assessment_episode, settings
):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    episode = assessment_episode
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/assessment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Early Help Assessment")
    assert_accessible(page)

    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_text("Assessment started. It is due by")).to_be_visible()
    for name in ("Amara Adeyemi", "Tobi Adeyemi", "Zara Adeyemi", FAMILY_PART):
        expect(assessment_part_status(page, name)).to_have_text("Not started")
    assert_accessible(page)
    inputs = 0

    # Amara's section: her developmental needs only, with a score out of range first.
    open_child_section(page, "Amara Adeyemi")
    inputs += _inputs(page)
    expect(page.get_by_role("group", name="Housing", exact=True)).to_have_count(0)  # the family's, not hers
    fill_childs_views(page, "Amara", wishes_and_feelings="I want Mum to smile more. I like art club.",
                      how_heard="Seen alone at school, with her drawings.")
    health = page.get_by_role("group", name="Health", exact=True)
    health.get_by_label("Strengths").fill("Fit and well, registered with a GP")
    health.get_by_label("Score from 0 to 10").fill("12")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("Score for Health must be a whole number from 0 to 10")
    expect(page.locator("#div_id_health_score .govuk-error-message")).to_contain_text(
        "Score for Health must be a whole number from 0 to 10")
    expect(page.get_by_label("What Amara told us: wishes and feelings")).to_have_value(
        "I want Mum to smile more. I like art club.")
    expect(health.get_by_label("Score from 0 to 10")).to_have_value("12")
    assert_accessible(page)
    save_screenshot(page, "episode-assessment-score-error")
    assert not Assessment.objects.get(episode=episode).child_sections.get(child__first_name="Amara").wishes_and_feelings

    health.get_by_label("Score from 0 to 10").fill("7")
    page.get_by_role("button", name="Save and continue").click()

    # Tobi and Zara follow with "Save and continue", then the family's part.
    for first_name, words, heard, area in (
        ("Tobi", "Tobi pointed to the happy face for nursery.", "Played with him at nursery, with his key worker.",
         "Self-care skills"),
        ("Zara", "Zara said she likes the park.", "Seen at home with Bola, through play.", "Health"),
    ):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{first_name} Adeyemi")
        assert_accessible(page)
        inputs += _inputs(page)
        fill_childs_views(page, first_name, wishes_and_feelings=words, how_heard=heard)
        fill_domain(page, area, needs="Needs a little help")
        page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY_PART)
    assert_accessible(page)
    inputs += _inputs(page)
    fill_domain(page, "Basic care", needs="Breakfast is often missed", score="5")
    fill_domain(page, "Housing", needs="Damp in the children's bedroom")
    page.get_by_label("Tobi: where family and environmental factors differ").fill(
        "Housing: Tobi's asthma is worse in the damp room.")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("The family's part saved")).to_be_visible()
    for name in ("Amara Adeyemi", "Tobi Adeyemi", "Zara Adeyemi", FAMILY_PART):
        expect(assessment_part_status(page, name)).to_have_text("Completed")
    assert_accessible(page)
    # The three children and the family: far fewer than the 186 inputs of three full sections.
    assert inputs == 3 * (2 + 7 * 3) + 13 * 3 + 2 * 3 == 114

    # From the family's part on through the rest of the whole family's parts.
    page.get_by_role("link", name=FAMILY_PART).click()
    fill_whole_family_parts(
        page, parents_views="Bola says she is exhausted and wants help.",
        what_needs_to_change="Morning routines, and support for Bola's mood.",
        impact_if_not="Amara's attendance will keep falling.",
        needs=["Mental health: concerns about the parent or carer", "Young carer"],
    )
    assert_accessible(page)

    # Check your answers, with a link to change each part, then complete.
    page.get_by_role("link", name="Check your answers and complete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before completing the assessment")
    expect(page.locator("main")).to_contain_text("Tobi's asthma is worse in the damp room.")
    expect(page.locator("main")).to_contain_text("Breakfast is often missed")
    assert_accessible(page)
    save_screenshot(page, "episode-assessment-check-answers")
    page.get_by_role("link", name="Change the agreed needs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreed needs")
    expect(page.get_by_role("group", name="Parenting capacity").get_by_label(
        "Mental health: concerns about the parent or carer")).to_be_checked()
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_role("link", name="Check your answers and complete").click()
    page.get_by_role("button", name="Complete the assessment").click()

    # The monitoring form comes next, with the agreed needs already ticked.
    expect(page.get_by_role("heading", level=1)).to_have_text("EHA monitoring form")
    expect(page.get_by_text("Assessment completed. Now fill in the EHA monitoring form.")).to_be_visible()
    assert_accessible(page)
    factors = page.get_by_role("group", name="Which factors were identified?")
    expect(factors.get_by_label("Young carer")).to_be_checked()
    fill_monitoring_form(page, factors=["Family in acute stress"],
                         services=["Child and adolescent mental health services (CAMHS)"])
    expect(page.get_by_role("link", name="Check your answers and complete")).to_have_count(0)
    assert_accessible(page)
    save_screenshot(page, "episode-assessment-complete")
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING
    assert MonitoringForm.objects.get(assessment__episode=episode).primary_need == "N4"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the assessment (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "early-help-assessment-EP-E2E-ASSESS.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_with_sign_off_on_a_team_manager_signs_off_what_the_practitioner_completed(
    page, assessment_episode, settings
):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = True
    episode = assessment_episode
    practitioner = User.objects.get(username="practitioner")
    assessment = service.assessment_start(episode=episode, by=practitioner)
    fill_every_part(assessment, practitioner)

    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/assessment/check/")
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_text("A team manager has been asked to sign it off.")).to_be_visible()
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Status")).to_contain_text("Waiting for sign-off")
    assert_accessible(page)
    # While it waits, the parts can be read but not changed.
    page.get_by_role("link", name="Amara Adeyemi", exact=True).click()
    expect(page.get_by_text("waiting for a team manager's sign-off")).to_be_visible()
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "manager")
    page.goto(f"/episodes/{episode.pk}/assessment/")
    page.get_by_role("link", name="Sign off or send back").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign off the assessment")
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#div_id_decision .govuk-error-message")).to_contain_text(
        "Select whether you sign off the assessment or send it back")
    assert_accessible(page)
    sign_off_assessment(page)
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Signed off")).to_contain_text("Helen Barker")
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLANNING
