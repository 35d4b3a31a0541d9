"""A team manager allocates open families to a worker, one or several at once, seeing each
worker's caseload; the change is on the family's timeline and the worker is told (issue 13, point 3)."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import TeamKind, User
from earlyhelp.episodes.models import Episode, EpisodeChild, EpisodeState

from .helpers import assert_accessible, sign_in
from .journeys import open_notification


def _unallocated(name: str, team, *, late_by: int) -> Episode:
    from tests.episodes.test_core_helpers import children_of, make_family

    family = make_family(name=f"{name} family", children=1)
    today = timezone.localdate()
    episode = Episode.objects.create(reference=f"EP-AL-{family.pk}", family=family, state=EpisodeState.ASSESSMENT,
                                     team=team, opened_on=today - timedelta(days=90),
                                     next_due_on=today - timedelta(days=late_by), next_due_kind="assessment")
    EpisodeChild.objects.bulk_create([EpisodeChild(episode=episode, person=child, added_on=episode.opened_on)
                                      for child in children_of(family)])
    return episode


def test_a_manager_allocates_a_family_68_days_late_and_another_at_once(page, second_page, seeded_live):
    manager = User.objects.get(username="manager")
    worker = User.objects.get(username="practitioner")
    team = manager.teams.get(kind=TeamKind.LOCALITY_EARLY_HELP)
    late = _unallocated("Brackenridge", team, late_by=68)
    other = _unallocated("Sallowfield", team, late_by=2)
    caseload = Episode.objects.filter(allocated_worker=worker).exclude(state=EpisodeState.CLOSED).count()

    sign_in(page, "manager")
    # The late family says "Not allocated", and now offers to allocate it.
    page.get_by_role("link", name="My work", exact=True).click()
    page.get_by_role("link", name="Late in your teams").click()
    row = page.locator(f'#my-work [data-episode="{late.reference}"]')
    expect(row).to_contain_text("Not allocated")
    row.get_by_role("link", name="Allocate for the Brackenridge family").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocate families to a worker")
    expect(page.locator(f'[data-episode="{late.reference}"] input[type=checkbox]')).to_be_checked()
    assert_accessible(page)

    # Several at once: from the team's work, the families not allocated yet.
    page.get_by_role("link", name="Team work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your teams' work")
    assert_accessible(page)
    page.get_by_role("link", name="Allocate families not yet allocated").click()
    page.get_by_label("Allocate the Brackenridge family").check()
    page.get_by_label("Allocate the Sallowfield family").check()
    # Nobody chosen: explained beside the field, nothing saved.
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who will hold the families' work")
    assert_accessible(page)
    assert not Episode.objects.filter(pk__in=[late.pk, other.pk], allocated_worker__isnull=False).exists()
    families = "families" if caseload != 1 else "family"
    choice = page.locator("label.govuk-radios__label", has_text=worker.get_full_name())
    expect(choice).to_contain_text(f"({caseload} open {families})")
    choice.click()
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"2 families allocated to {worker.get_full_name()}")
    assert_accessible(page)
    for episode in (late, other):
        episode.refresh_from_db()
        assert episode.allocated_worker == worker

    # On the family's timeline.
    page.goto(f"/episodes/{late.pk}/")
    expect(page.get_by_text(f"Allocated to {worker.get_full_name()} by {manager.get_full_name()}")).to_be_visible()

    # The worker is told, and the families are theirs.
    sign_in(second_page, "practitioner")
    open_notification(second_page, late.reference)
    expect(second_page).to_have_url(re.compile(f"/episodes/{late.pk}/$"))
    expect(second_page.get_by_text(f"Allocated to {worker.get_full_name()}")).to_be_visible()
    second_page.get_by_role("link", name="My work", exact=True).click()
    expect(second_page.locator(f'[data-episode="{late.reference}"]')).to_be_visible()
    expect(second_page.locator(f'[data-episode="{other.reference}"]')).to_be_visible()
    assert_accessible(second_page)
