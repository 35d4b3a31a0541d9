"""Time-outs that lose nothing, in the browser: the warning before the session ends and "Stay
signed in"; what was typed kept as a draft; a Save that meets an ended session restored after
signing in again."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import Assessment
from earlyhelp.episodes.services import assessment as service
from earlyhelp.web.models import Draft
from tests.episodes.test_assessment_support import build_episode

from .helpers import DEMO_PASSWORD, assert_accessible, save_screenshot, sign_in

pytestmark = pytest.mark.e2e

PARENTS_VIEWS = "What the parents and carers told us"


@pytest.fixture
def family_views_url(transactional_db, live_server):
    from earlyhelp.seed import seed_database

    seed_database(families=0, seed=7)
    practitioner = User.objects.get(username="practitioner")
    episode, _ = build_episode(lead=practitioner)
    service.assessment_start(episode=episode, by=practitioner)
    return reverse("episode-assessment-family", kwargs={"episode_id": episode.pk})


def _sign_in_on_this_page(page):
    """Sign in on the sign-in page the browser was sent to, which knows where to go back to."""
    page.get_by_label("Username").fill("practitioner")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _wait_for_draft(key, page):
    for _ in range(50):
        if Draft.objects.filter(key=key).exists():
            return
        page.wait_for_timeout(200)


def _session_ends():
    return Session.objects.order_by("-expire_date").values_list("expire_date", flat=True).first()


def test_the_warning_comes_before_the_session_ends_and_stay_signed_in_extends_it(page, family_views_url, settings):
    settings.SESSION_COOKIE_AGE = 24
    settings.EARLYHELP_SESSION_WARNING_SECONDS = 12
    sign_in(page, "practitioner")
    page.goto(family_views_url)
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=20_000)
    expect(dialog.get_by_role("heading")).to_be_focused()
    expect(dialog).to_contain_text("we will sign you out in")
    expect(dialog).to_contain_text("What you have typed on this page is kept as a draft.")
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "timeout-warning")

    before = _session_ends()
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    assert _session_ends() > before
    # Still signed in after the first end would have passed.
    page.wait_for_timeout(4_000)
    expect(dialog).to_be_hidden()
    page.get_by_role("link", name="Back to the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Early Help Assessment")


def test_when_the_time_runs_out_the_page_goes_to_sign_in_and_comes_back(page, family_views_url, settings):
    settings.SESSION_COOKIE_AGE = 8
    settings.EARLYHELP_SESSION_WARNING_SECONDS = 4
    sign_in(page, "practitioner")
    page.goto(family_views_url)
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=" + re.escape(family_views_url.replace("/", "%2F"))),
                             timeout=20_000)
    _sign_in_on_this_page(page)
    expect(page).to_have_url(re.compile(re.escape(family_views_url) + "$"))


def test_what_was_typed_is_saved_as_a_draft_and_offered_back(page, family_views_url):
    sign_in(page, "practitioner")
    page.goto(family_views_url)
    typed = "Bola says the mornings are the hardest part of the day."
    page.get_by_label(PARENTS_VIEWS).fill(typed)
    _wait_for_draft(family_views_url, page)
    assert Draft.objects.get(key=family_views_url).data["fields"]["parents_views"] == [typed]

    page.goto(family_views_url)
    expect(page.get_by_text("You have unsaved changes on this page from")).to_be_visible()
    expect(page.get_by_label(PARENTS_VIEWS)).to_have_value("")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Restore your unsaved changes from")).click()
    expect(page.get_by_label(PARENTS_VIEWS)).to_have_value(typed)
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("The family's views saved")).to_be_visible()
    assert not Draft.objects.exists()


def test_a_request_for_support_is_saved_as_a_draft_too(page, family_views_url):
    sign_in(page, "practitioner")
    family_page = reverse("request-create-step", kwargs={"step": "family"})
    page.goto(family_page)
    page.get_by_label("The family has not been told").check()
    reason = "Mum is in hospital this week; the school will talk to her on Monday."
    page.get_by_label("Why has the family not been told?").fill(reason)
    _wait_for_draft(family_page, page)
    fields = Draft.objects.get(key=family_page).data["fields"]
    assert fields["family-not_told_reason"] == [reason]

    page.reload()
    expect(page.get_by_label("Why has the family not been told?")).to_be_hidden()
    page.get_by_role("button", name=re.compile("Restore your unsaved changes from")).click()
    # The answer restored opens its follow-up question, as a click on it would.
    expect(page.get_by_label("The family has not been told")).to_be_checked()
    expect(page.get_by_label("Why has the family not been told?")).to_have_value(reason)
    expect(page.get_by_label("Why has the family not been told?")).to_be_visible()
    expect(page.get_by_label("Why has the family not agreed?")).to_be_hidden()
    assert_accessible(page)


def test_a_save_that_meets_an_ended_session_is_restored_after_signing_in_again(page, family_views_url):
    sign_in(page, "practitioner")
    page.goto(family_views_url)
    typed = "Bola says she is exhausted and wants help with the mornings."
    page.get_by_label(PARENTS_VIEWS).fill(typed)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # the idle time ran out
    page.get_by_role("button", name="Save and continue").click()

    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    _sign_in_on_this_page(page)

    expect(page).to_have_url(re.compile(re.escape(family_views_url) + "$"))
    expect(page.get_by_text("You were signed out. What you typed has been kept: check it and save again.")).to_be_visible()
    expect(page.get_by_label(PARENTS_VIEWS)).to_have_value(typed)
    assert not Assessment.objects.get().parents_views  # kept, never submitted for them
    assert_accessible(page)
    save_screenshot(page, "timeout-kept-after-signing-in")

    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("The family's views saved")).to_be_visible()
    assert Assessment.objects.get().parents_views == typed
    assert not Draft.objects.exists()
