"""Reviews in the browser (DOMAIN §7: ideally every 6 weeks, at most every 12): a review past its ideal date
and one past the maximum read differently on the practitioner's My work, the manager's late list and the
episode, never both as "Overdue"."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import assert_accessible, save_screenshot, sign_in

pytestmark = pytest.mark.e2e


def _late_reviews():
    from earlyhelp.accounts.models import User
    from earlyhelp.episodes.models import DueKind, Episode, EpisodeState
    from tests.sharing.builders import make_episode

    practitioner = User.objects.get(username="practitioner")
    today = timezone.localdate()
    episodes = {}
    for name, due_ago, latest_in in (("Ideal", 4, 30), ("Maximum", 50, -8)):
        episode = make_episode(lead=practitioner, name=f"Review{name}", state=EpisodeState.PLAN_ACTIVE,
                               reference=f"EH-REV-{name.upper()}")
        Episode.objects.filter(pk=episode.pk).update(
            next_due_on=today - timedelta(days=due_ago), next_due_kind=DueKind.REVIEW,
            review_due_on=today - timedelta(days=due_ago), review_latest_on=today + timedelta(days=latest_in))
        episodes[name] = episode
    return episodes


def _row(page, episode):
    return page.locator(f'tr[data-episode="{episode.reference}"]').first


def test_the_two_late_reviews_read_differently_for_the_practitioner_and_the_manager(page, seeded_live):
    episodes = _late_reviews()
    sign_in(page, "practitioner")
    page.goto("/my-work/")
    expect(_row(page, episodes["Ideal"])).to_contain_text("Past the ideal 6 weeks")
    expect(_row(page, episodes["Ideal"])).not_to_contain_text("Overdue")
    expect(_row(page, episodes["Maximum"])).to_contain_text("Past the 12-week maximum")
    expect(_row(page, episodes["Maximum"])).not_to_contain_text("Overdue")
    assert_accessible(page)

    page.goto(f"/episodes/{episodes['Maximum'].pk}/")
    expect(page.locator("#due-next")).to_contain_text("Past the 12-week maximum")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "manager")
    page.goto("/my-work/?show=late")
    expect(_row(page, episodes["Ideal"])).to_contain_text("Past the ideal 6 weeks")
    expect(_row(page, episodes["Maximum"])).to_contain_text("Past the 12-week maximum")
    assert_accessible(page)
    save_screenshot(page, "late-list-review-lateness")
