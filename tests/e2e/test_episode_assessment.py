"""The Early Help Assessment in the browser: start it, fill it in part by part, complete it, fill in
the monitoring form and download the family's copy."""

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import Assessment, EpisodeState, MonitoringForm
from earlyhelp.episodes.services import assessment as service
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


@pytest.fixture
def assessment_episode(seeded_live):
    """An episode at the assessment stage, led by the demo practitioner, with Amara and Tobi."""
    episode, _ = build_episode(lead=User.objects.get(username="practitioner"), reference="EP-E2E-ASSESS")
    return episode


def test_practitioner_completes_the_assessment_and_downloads_the_familys_copy(page, assessment_episode, settings):
    settings.EARLYHELP_ASSESSMENT_SIGN_OFF = False
    episode = assessment_episode
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/assessment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Early Help Assessment")
    assert_accessible(page)

    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_text("Assessment started. It is due by")).to_be_visible()
    expect(assessment_part_status(page, "Amara Adeyemi")).to_have_text("Not started")
    assert_accessible(page)

    # Amara's section, with a score out of range first.
    open_child_section(page, "Amara Adeyemi")
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
    fill_domain(page, "Housing", needs="Damp in the children's bedroom")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("The child's section saved")).to_be_visible()
    expect(assessment_part_status(page, "Amara Adeyemi")).to_have_text("Completed")
    expect(assessment_part_status(page, "Tobi Adeyemi")).to_have_text("Not started")
    assert_accessible(page)

    # Tobi, then each whole-family part in turn with "Save and continue".
    open_child_section(page, "Tobi Adeyemi")
    fill_childs_views(page, "Tobi", wishes_and_feelings="Tobi pointed to the happy face for nursery.",
                      how_heard="Played with him at nursery, with his key worker.")
    fill_domain(page, "Basic care", needs="Breakfast is often missed")
    page.get_by_role("button", name="Save and continue").click()
    fill_whole_family_parts(
        page, parents_views="Bola says she is exhausted and wants help.",
        what_needs_to_change="Morning routines, and support for Bola's mood.",
        impact_if_not="Amara's attendance will keep falling.",
        needs=["Mental health: concerns about the parent or carer", "Young carer"],
    )
    assert_accessible(page)
    page.get_by_role("button", name="Complete the assessment").click()

    # The monitoring form comes next, with the agreed needs already ticked.
    expect(page.get_by_role("heading", level=1)).to_have_text("EHA monitoring form")
    expect(page.get_by_text("Assessment completed. Now fill in the EHA monitoring form.")).to_be_visible()
    assert_accessible(page)
    factors = page.get_by_role("group", name="Which factors were identified?")
    expect(factors.get_by_label("Young carer")).to_be_checked()
    fill_monitoring_form(page, factors=["Family in acute stress"],
                         services=["Child and adolescent mental health services (CAMHS)"])
    expect(page.get_by_role("button", name="Complete the assessment")).to_have_count(0)
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
    page.goto(f"/episodes/{episode.pk}/assessment/")
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
