"""My work: each practitioner's open episodes, most urgent first, from the stored due dates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.episodes.due import ReviewLateness, episode_review_lateness, review_lateness_label
from earlyhelp.episodes.models import DueKind, Episode, EpisodeChild, EpisodeState
from earlyhelp.episodes.selectors_core import my_work_list, team_late_work_list
from earlyhelp.episodes.services.core import episode_open

from .test_core_helpers import children_of, locality_team, make_family, make_user, new_team


def _episode(*, worker=None, lead=None, team=None, due_in: int | None = 3, state=EpisodeState.ASSESSMENT,
             kind=DueKind.ASSESSMENT) -> Episode:
    """An episode written directly, with its due date as the services would have stored it."""
    family = make_family(children=2)
    today = timezone.localdate()
    episode = Episode.objects.create(
        reference=f"EP-T-{family.pk}", family=family, state=state, team=team, allocated_worker=worker,
        lead_professional=lead, opened_on=today - timedelta(days=20),
        next_due_on=None if due_in is None else today + timedelta(days=due_in), next_due_kind=kind if due_in is not None else "",
    )
    EpisodeChild.objects.bulk_create(
        [EpisodeChild(episode=episode, person=child, added_on=episode.opened_on) for child in children_of(family)]
    )
    return episode


@pytest.fixture
def worker(seeded):
    return make_user(Role.EARLY_HELP_PRACTITIONER, team=locality_team(0))


def test_most_urgent_first_nothing_due_last_and_only_their_own(worker):
    partner = make_user(Role.PARTNER_PRACTITIONER)
    later = _episode(worker=worker, due_in=10)
    nothing_due = _episode(worker=worker, due_in=None, state=EpisodeState.PLAN_ACTIVE)
    overdue = _episode(worker=worker, due_in=-4)
    leads = _episode(worker=partner, lead=worker, due_in=1)
    _episode(worker=worker, due_in=-30, state=EpisodeState.CLOSED)  # closed: not work any more
    _episode(worker=partner, due_in=-50)  # someone else's
    assert list(my_work_list(worker)) == [overdue, leads, later, nothing_due]
    # The partner sees the episode they hold, not the one they do not.
    assert leads in list(my_work_list(partner))


def test_the_list_is_read_in_a_fixed_number_of_queries(worker, django_assert_max_num_queries):
    for index in range(30):
        _episode(worker=worker, due_in=index - 10)
    with django_assert_max_num_queries(2):  # the episodes, then their children of concern
        rows = list(my_work_list(worker))
    assert len(rows) == 30
    assert all(len(row.current_children) == 2 for row in rows)


@pytest.mark.parametrize("count", [5, 50])
def test_the_page_costs_the_same_whatever_the_length(client, worker, count, django_assert_max_num_queries):
    for index in range(count):
        _episode(worker=worker, due_in=index - count // 2)
    client.force_login(worker)
    # Session, user, teams, navigation badge, the page count, the rows and their children, and the
    # allocations waiting to start: never per row.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("my-work"))
    page = response.content.decode()
    assert page.count('data-episode="EP-T-') == count
    assert "Overdue" in page and "Due soon" in page


def test_the_page_tags_overdue_and_due_soon_work(client, worker):
    overdue = _episode(worker=worker, due_in=-1, kind=DueKind.REVIEW)
    soon = _episode(worker=worker, due_in=5, kind=DueKind.TAF_MEETING)
    later = _episode(worker=worker, due_in=6)
    client.force_login(worker)
    page = client.get(reverse("my-work")).content.decode()
    rows = {episode.reference: page.split(f'data-episode="{episode.reference}"')[1].split("</tr>")[0]
            for episode in (overdue, soon, later)}
    assert "Review due" in rows[overdue.reference] and "Past the ideal 6 weeks" in rows[overdue.reference]
    assert "First Team Around the Family meeting" in rows[soon.reference] and "Due soon" in rows[soon.reference]
    assert "Overdue" not in rows[later.reference] and "Due soon" not in rows[later.reference]
    assert page.index(overdue.reference) < page.index(soon.reference) < page.index(later.reference)


def test_opening_an_episode_puts_it_on_my_work_with_its_stored_due_date(demo_user, worker):
    family = make_family(seen_by=worker)
    episode = episode_open(family=family, opened_by=worker, allocated_worker=worker)
    row = next(row for row in my_work_list(worker) if row.pk == episode.pk)
    assert row.next_due_kind == DueKind.CONSENT and row.next_due_on is not None


def test_home_pages_show_the_first_rows_or_keep_the_empty_state(client, worker):
    client.force_login(worker)
    page = client.get(reverse("home")).content.decode()
    assert 'data-empty-state="my-work"' in page
    episode = _episode(worker=worker, due_in=-2)
    page = client.get(reverse("home")).content.decode()
    assert 'data-empty-state="my-work"' not in page
    assert f'data-episode="{episode.reference}"' in page and "Overdue" in page


def test_partners_see_the_families_they_lead_on_their_home_page(client, seeded):
    partner = make_user(Role.PARTNER_PRACTITIONER)
    client.force_login(partner)
    assert 'data-empty-state="families"' in client.get(reverse("home")).content.decode()
    episode = _episode(lead=partner, due_in=8)
    page = client.get(reverse("home")).content.decode()
    assert f'data-episode="{episode.reference}"' in page and 'data-empty-state="families"' not in page


def test_managers_see_late_work_in_their_teams(client, seeded):
    team, other_team = new_team("Testshire Early Help Team"), new_team("Otherton Early Help Team")
    manager = make_user(Role.TEAM_MANAGER, team=team)
    client.force_login(manager)
    assert 'data-empty-state="late-work"' in client.get(reverse("home")).content.decode()
    late = _episode(team=team, due_in=-3)
    _episode(team=team, due_in=2)  # not late yet
    _episode(team=other_team, due_in=-9)  # another team's
    assert list(team_late_work_list(manager)) == [late]
    page = client.get(reverse("home")).content.decode()
    assert f'data-episode="{late.reference}"' in page and 'data-empty-state="late-work"' not in page
    page = client.get(reverse("my-work") + "?show=late").content.decode()
    assert page.count('data-episode="') == 1 and late.reference in page


def test_my_work_is_for_people_who_hold_families(client, demo_user):
    client.force_login(demo_user("analyst"))
    assert client.get(reverse("my-work")).status_code == 403


def test_rule_a_review_past_the_ideal_6_weeks_and_one_past_the_12_week_maximum_read_differently(client, worker):
    """DOMAIN §7: reviews ideally every 6 weeks, at most every 12; neither is just "Overdue"."""
    today = timezone.localdate()
    past_ideal = _episode(worker=worker, due_in=-3, kind=DueKind.REVIEW, state=EpisodeState.PLAN_ACTIVE)
    past_maximum = _episode(worker=worker, due_in=-45, kind=DueKind.REVIEW, state=EpisodeState.PLAN_ACTIVE)
    Episode.objects.filter(pk=past_ideal.pk).update(review_due_on=today - timedelta(days=3),
                                                    review_latest_on=today + timedelta(weeks=5))
    Episode.objects.filter(pk=past_maximum.pk).update(review_due_on=today - timedelta(days=45),
                                                      review_latest_on=today - timedelta(days=3))
    # An action due before a late review still lets the review's lateness show.
    action_first = _episode(worker=worker, due_in=-50, kind=DueKind.ACTION, state=EpisodeState.PLAN_ACTIVE)
    Episode.objects.filter(pk=action_first.pk).update(review_due_on=today - timedelta(days=10),
                                                      review_latest_on=today + timedelta(weeks=4))
    client.force_login(worker)
    page = client.get(reverse("my-work")).content.decode()
    rows = {episode.reference: page.split(f'data-episode="{episode.reference}"')[1].split("</tr>")[0]
            for episode in (past_ideal, past_maximum, action_first)}
    assert "Past the ideal 6 weeks" in rows[past_ideal.reference]
    assert "12-week maximum" not in rows[past_ideal.reference] and "Overdue" not in rows[past_ideal.reference]
    assert "Past the 12-week maximum" in rows[past_maximum.reference]
    assert "ideal 6 weeks" not in rows[past_maximum.reference] and "Overdue" not in rows[past_maximum.reference]
    assert "Overdue" in rows[action_first.reference] and "Past the ideal 6 weeks" in rows[action_first.reference]


def test_the_managers_late_list_tells_the_two_late_reviews_apart(client, seeded):
    today = timezone.localdate()
    team = new_team("Testshire Early Help Team")
    manager = make_user(Role.TEAM_MANAGER, team=team)
    past_ideal = _episode(team=team, due_in=-3, kind=DueKind.REVIEW, state=EpisodeState.PLAN_ACTIVE)
    past_maximum = _episode(team=team, due_in=-50, kind=DueKind.REVIEW, state=EpisodeState.PLAN_ACTIVE)
    Episode.objects.filter(pk=past_ideal.pk).update(review_due_on=today - timedelta(days=3),
                                                    review_latest_on=today + timedelta(weeks=5))
    Episode.objects.filter(pk=past_maximum.pk).update(review_due_on=today - timedelta(days=50),
                                                      review_latest_on=today - timedelta(days=8))
    client.force_login(manager)
    for url in (reverse("home"), reverse("my-work") + "?show=late"):
        page = client.get(url).content.decode()
        rows = {episode.reference: page.split(f'data-episode="{episode.reference}"')[1].split("</tr>")[0]
                for episode in (past_ideal, past_maximum)}
        assert "Past the ideal 6 weeks" in rows[past_ideal.reference], url
        assert "Past the 12-week maximum" in rows[past_maximum.reference], url
        assert "Overdue" not in rows[past_ideal.reference] + rows[past_maximum.reference], url


def test_rule_review_lateness_counts_from_the_stored_dates_while_a_plan_is_in_place(seeded):
    today = timezone.localdate()
    episode = _episode(due_in=-1, kind=DueKind.REVIEW, state=EpisodeState.PLAN_ACTIVE)
    episode.review_due_on, episode.review_latest_on = today - timedelta(days=1), today + timedelta(weeks=6)
    assert episode_review_lateness(episode, today) == ReviewLateness.PAST_IDEAL
    episode.review_latest_on = today - timedelta(days=1)
    assert episode_review_lateness(episode, today) == ReviewLateness.PAST_MAXIMUM
    episode.review_due_on, episode.review_latest_on = today, today + timedelta(weeks=6)
    assert episode_review_lateness(episode, today) == ReviewLateness.ON_TIME  # due today is not late
    episode.state = EpisodeState.CLOSED
    episode.review_latest_on = today - timedelta(days=1)
    assert episode_review_lateness(episode, today) == ReviewLateness.ON_TIME  # no plan in place
    assert review_lateness_label(ReviewLateness.PAST_IDEAL) == "Past the ideal 6 weeks"
    assert review_lateness_label(ReviewLateness.PAST_MAXIMUM) == "Past the 12-week maximum"
