"""Two people on one assessment section (web/versioning.py): the first saves, the second saves from
the page opened before, and is told who changed it and when, with both texts kept to combine. The
same for a change of address: the second move is refused with the first one's address beside it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import AssessmentChildSection
from earlyhelp.episodes.services import assessment as service
from earlyhelp.people.models import Family
from tests.episodes.test_assessment_support import build_episode

from .helpers import assert_accessible, save_screenshot, sign_in
from .journeys import fill_date, open_child_section

pytestmark = pytest.mark.e2e


@pytest.fixture
def section(seeded_live):
    practitioner, manager = User.objects.get(username="practitioner"), User.objects.get(username="manager")
    episode, _ = build_episode(lead=practitioner, team=manager.teams.first(), reference="EP-E2E-LOST")
    assessment = service.assessment_start(episode=episode, by=practitioner)
    return assessment.child_sections.get(child__first_name="Amara")


def test_the_second_save_shows_the_conflict_and_keeps_both_texts(page, second_page, section):
    first, second = page, second_page
    url = f"/episodes/{section.assessment.episode_id}/assessment/"
    sign_in(first, "practitioner")
    sign_in(second, "manager")
    for person in (first, second):
        person.goto(url)
        open_child_section(person, "Amara Adeyemi")
    wishes = "What Amara told us: wishes and feelings"

    first.get_by_label(wishes).fill("Amara wants to go back to art club.")
    first.get_by_role("button", name="Save and come back later").click()
    expect(first.get_by_text("saved. You can come back to it at any time")).to_be_visible()

    second.get_by_label(wishes).fill("Amara says she is scared at night.")
    health = second.get_by_role("group", name="Health", exact=True)
    health.get_by_label("Strengths").fill("Registered with a GP")
    second.get_by_role("button", name="Save and come back later").click()

    summary = second.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("changed this on")
    expect(summary).to_contain_text("after you opened the page")
    field = second.locator("#div_id_wishes_and_feelings")
    expect(field.locator(".govuk-error-message")).to_contain_text("was also changed by")
    expect(field.locator(".eh-their-version")).to_contain_text("Amara wants to go back to art club.")
    expect(second.get_by_label(wishes)).to_have_value("Amara says she is scared at night.")
    expect(health.get_by_label("Strengths")).to_have_value("Registered with a GP")
    assert_accessible(second)
    save_screenshot(second, "assessment-conflict")
    stored = AssessmentChildSection.objects.get(pk=section.pk)
    assert stored.wishes_and_feelings == "Amara wants to go back to art club."

    # Combined and saved again: both people's words are kept.
    second.get_by_label(wishes).fill("Amara wants to go back to art club. Amara says she is scared at night.")
    second.get_by_role("button", name="Save and come back later").click()
    expect(second.get_by_text("saved. You can come back to it at any time")).to_be_visible()
    stored = AssessmentChildSection.objects.get(pk=section.pk)
    assert stored.wishes_and_feelings == "Amara wants to go back to art club. Amara says she is scared at night."
    assert stored.ratings.get(subdimension="health").strengths == "Registered with a GP"


def test_a_move_from_a_page_opened_before_someone_elses_move_shows_their_address(page, second_page, seeded_live):
    practitioner, manager = User.objects.get(username="practitioner"), User.objects.get(username="manager")
    episode, _ = build_episode(lead=practitioner, team=manager.teams.first(), reference="EP-E2E-MOVE")
    Family.objects.filter(pk=episode.family_id).update(address="1 Old Road\nNorthgate", postcode="LS1 1AA")
    first, second = page, second_page
    sign_in(first, "practitioner")
    sign_in(second, "manager")
    for person in (first, second):
        person.goto(f"/families/{episode.family_id}/address/")
    moved_in = timezone.localdate() - timedelta(days=2)

    first.get_by_label("New address").fill("22 Station Road\nNorthgate")
    first.get_by_label("Postcode").fill("LS2 7AB")
    fill_date(first, "When did they move in?", moved_in)
    first.get_by_role("button", name="Save the new address").click()
    expect(first.get_by_text("New address saved")).to_be_visible()

    second.get_by_label("New address").fill("9 Mill Lane\nNorthgate")
    second.get_by_label("Postcode").fill("LS3 1CD")
    fill_date(second, "When did they move in?", moved_in)
    second.get_by_role("button", name="Save the new address").click()

    summary = second.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"{practitioner.get_full_name()} changed this on")
    expect(second.locator('.eh-their-version[data-field="address"]')).to_contain_text("22 Station Road")
    expect(second.get_by_label("New address")).to_have_value("9 Mill Lane\nNorthgate")
    expect(second.get_by_label("Postcode")).to_have_value("LS3 1CD")
    assert_accessible(second)
    save_screenshot(second, "change-of-address-conflict")
    assert Family.objects.get(pk=episode.family_id).postcode == "LS2 7AB"

    # Saved again, having seen their address: the later move is recorded after theirs.
    second.get_by_role("button", name="Save the new address").click()
    expect(second.get_by_text("New address saved")).to_be_visible()
    assert Family.objects.get(pk=episode.family_id).postcode == "LS3 1CD"
