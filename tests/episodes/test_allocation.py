"""Allocating open episodes to a worker, and changing their worker, by team managers (issue 13, point 3)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.episodes.forms_allocation import opened_with
from earlyhelp.episodes.models import Episode, EpisodeChild, EpisodeEvent, EpisodeState
from earlyhelp.episodes.services.allocation import allocation_workers, episodes_allocate
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.access import user_can_see_family
from earlyhelp.web.refusals import Refused

from .test_core_helpers import children_of, make_family, make_user, new_team


@pytest.fixture
def team(organisations):
    return new_team("Allocation test team")


@pytest.fixture
def manager(team):
    return make_user(Role.TEAM_MANAGER, team=team)


@pytest.fixture
def workers(team):
    return make_user(Role.EARLY_HELP_PRACTITIONER, team=team), make_user(Role.EARLY_HELP_ADVISER, team=team)


def _episode(team, *, worker=None, state=EpisodeState.ASSESSMENT, late_by=0) -> Episode:
    family = make_family(children=1)
    today = timezone.localdate()
    episode = Episode.objects.create(
        reference=f"EP-A-{family.pk}", family=family, state=state, team=team, allocated_worker=worker,
        opened_on=today - timedelta(days=80), next_due_on=today - timedelta(days=late_by), next_due_kind="assessment",
    )
    EpisodeChild.objects.bulk_create([EpisodeChild(episode=episode, person=child, added_on=episode.opened_on)
                                      for child in children_of(family)])
    return episode


def test_a_manager_allocates_several_families_at_once_on_the_timeline_and_the_worker_is_told(team, manager, workers):
    worker, _ = workers
    first, second = _episode(team, late_by=68), _episode(team)
    changed = episodes_allocate(episodes=[first, second], worker=worker, by=manager)
    assert {episode.pk for episode in changed} == {first.pk, second.pk}
    for episode in (first, second):
        episode.refresh_from_db()
        assert episode.allocated_worker == worker
        event = EpisodeEvent.objects.get(episode=episode, kind="worker_allocated")
        assert event.by == manager and worker.get_full_name() in event.summary
        assert Notification.objects.filter(recipient=worker, url=reverse("episode-detail", args=[episode.pk]),
                                           message__contains=episode.reference).exists()
    # Allocation follows into the family's network: the worker now sees the family.
    assert user_can_see_family(worker, first.family_id)


def test_reallocating_names_both_workers_and_tells_the_one_who_had_it_without_a_link(team, manager, workers):
    before, after = workers
    episode = _episode(team, worker=before)
    episodes_allocate(episodes=[episode], worker=after, by=manager)
    event = EpisodeEvent.objects.get(episode=episode, kind="worker_reallocated")
    assert before.get_full_name() in event.summary and after.get_full_name() in event.summary
    told = Notification.objects.get(recipient=before)
    assert told.url == "" and after.get_full_name() in told.message
    # Already theirs: nothing changes, nothing is written twice.
    assert episodes_allocate(episodes=[episode], worker=after, by=manager) == []
    assert EpisodeEvent.objects.filter(episode=episode, kind__startswith="worker_").count() == 1


def test_caseloads_count_each_workers_open_families(team, manager, workers):
    worker, adviser = workers
    _episode(team, worker=worker)
    _episode(team, worker=worker)
    _episode(team, worker=worker, state=EpisodeState.CLOSED)  # closed: not their caseload
    caseloads = {user.pk: user.caseload for user in allocation_workers(manager)}
    assert caseloads == {worker.pk: 2, adviser.pk: 0}


def test_only_a_manager_of_the_episode_allocates_it(team, manager, workers, organisations):
    worker, _ = workers
    episode = _episode(team)
    other_manager = make_user(Role.TEAM_MANAGER, team=new_team("Another team"))
    with pytest.raises(PermissionDenied):
        episodes_allocate(episodes=[episode], worker=worker, by=worker)
    with pytest.raises((PermissionDenied, ValidationError)):
        episodes_allocate(episodes=[episode], worker=worker, by=other_manager)
    episode.refresh_from_db()
    assert episode.allocated_worker is None


def test_the_worker_is_someone_in_the_managers_teams_and_a_family_must_be_chosen(team, manager, organisations):
    outsider = make_user(Role.EARLY_HELP_PRACTITIONER, team=new_team("Elsewhere"))
    partner = make_user(Role.PARTNER_PRACTITIONER, team=team)
    episode = _episode(team)
    for worker in (outsider, partner):
        with pytest.raises(ValidationError) as error:
            episodes_allocate(episodes=[episode], worker=worker, by=manager)
        assert "worker" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        episodes_allocate(episodes=[], worker=None, by=manager)
    assert set(error.value.message_dict) == {"episodes", "worker"}


def test_a_change_made_meanwhile_refuses_the_whole_allocation(team, manager, workers):
    first_worker, second_worker = workers
    untouched, changed_meanwhile = _episode(team), _episode(team)
    expected = {untouched.pk: None, changed_meanwhile.pk: None}
    episodes_allocate(episodes=[changed_meanwhile], worker=second_worker, by=manager)  # another tab
    with pytest.raises(Refused):
        episodes_allocate(episodes=[untouched, changed_meanwhile], worker=first_worker, by=manager,
                          expected_workers=expected)
    untouched.refresh_from_db()
    assert untouched.allocated_worker is None  # nothing half-saved


def test_a_closed_episode_is_not_allocated(team, manager, workers):
    episode = _episode(team, state=EpisodeState.CLOSED)
    with pytest.raises(Refused):
        episodes_allocate(episodes=[episode], worker=workers[0], by=manager)


# The page --------------------------------------------------------------------------------------


def test_the_page_shows_the_teams_families_not_allocated_first_with_each_workers_caseload(client, team, manager,
                                                                                          workers):
    worker, _ = workers
    held = _episode(team, worker=worker)
    waiting = _episode(team, late_by=68)
    client.force_login(manager)
    page = client.get(reverse("episodes-allocate")).content.decode()
    assert page.index(waiting.reference) < page.index(held.reference)
    assert f"{worker.get_full_name()}" in page and "(1 open family)" in page and "(0 open families)" in page


def test_choosing_families_on_the_page_allocates_them(client, team, manager, workers):
    worker, _ = workers
    chosen = [_episode(team), _episode(team)]
    client.force_login(manager)
    response = client.post(reverse("episodes-allocate"), {
        "episodes": [episode.pk for episode in chosen], "worker": worker.pk, "opened": opened_with(chosen),
    })
    assert response.status_code == 302 and response["Location"] == reverse("team-work")
    assert Episode.objects.filter(allocated_worker=worker).count() == 2


def test_the_page_explains_what_is_missing_and_saves_nothing(client, team, manager, workers):
    episode = _episode(team)
    client.force_login(manager)
    response = client.post(reverse("episodes-allocate"), {"opened": opened_with([episode])})
    page = response.content.decode()
    assert response.status_code == 422  # refused input (web middleware), shown with its messages
    assert "Choose at least one family to allocate" in page and "Choose who will hold the families" in page
    episode.refresh_from_db()
    assert episode.allocated_worker is None


def test_a_family_chosen_from_another_team_is_refused(client, team, manager, workers, organisations):
    elsewhere = _episode(new_team("Not theirs"))
    client.force_login(manager)
    assert client.get(reverse("episodes-allocate"), {"episode": elsewhere.pk}).status_code == 403
    assert client.post(reverse("episodes-allocate"), {"episodes": [elsewhere.pk],
                                                      "worker": workers[0].pk}).status_code == 403


def test_practitioners_do_not_allocate(client, workers):
    client.force_login(workers[0])
    assert client.get(reverse("episodes-allocate")).status_code == 403


def test_the_late_list_offers_to_allocate_a_family_not_allocated(client, team, manager):
    waiting = _episode(team, late_by=68)
    client.force_login(manager)
    page = client.get(reverse("my-work"), {"show": "late"}).content.decode()
    row = page.split(f'data-episode="{waiting.reference}"')[1].split("</tr>")[0]
    assert "Not allocated" in row and f'{reverse("episodes-allocate")}?episode={waiting.pk}' in row


def test_the_episode_overview_offers_its_managers_to_allocate_and_no_one_else(client, team, manager, workers):
    waiting = _episode(team)
    allocate = f'{reverse("episodes-allocate")}?episode={waiting.pk}'
    client.force_login(manager)
    page = client.get(reverse("episode-detail", kwargs={"episode_id": waiting.pk})).content.decode()
    assert allocate in page and "Allocate<span" in page
    allocated = _episode(team, worker=workers[0])
    page = client.get(reverse("episode-detail", kwargs={"episode_id": allocated.pk})).content.decode()
    assert "Change<span class=\"govuk-visually-hidden\"> the allocated worker" in page
    client.force_login(workers[0])
    page = client.get(reverse("episode-detail", kwargs={"episode_id": allocated.pk})).content.decode()
    assert reverse("episodes-allocate") not in page
