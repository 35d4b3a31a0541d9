"""Management oversight of an episode (issue 12, point 2): who records and reads it, when the next
is due and where that is stored, the episode's overview, and the manager's late work."""

import importlib
from datetime import timedelta

import django.utils.timezone
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AccessRecord
from earlyhelp.episodes.models import Episode, EpisodeState
from earlyhelp.episodes.selectors_core import team_late_work_list
from earlyhelp.policy import may
from earlyhelp.recording.models import OversightKind, OversightNote
from earlyhelp.recording.services import oversight_record
from earlyhelp.web.refusals import Refused

pytestmark = pytest.mark.django_db


def _record(world, by="manager", **extra) -> OversightNote:
    fields = {"kind": OversightKind.SUPERVISION, "decision": "Keep the plan; refer Dawn to the parenting course",
              "actions": "Lead to call the school by Friday"}
    fields.update(extra)
    return oversight_record(episode=world["episode"], by=world["users"][by], **fields)


@pytest.fixture
def later(monkeypatch):
    """Moves Django's clock on by some days (the clock only: the tests never depend on today's date)."""
    real_now = django.utils.timezone.now

    def move(days: int) -> None:
        monkeypatch.setattr(django.utils.timezone, "now", lambda: real_now() + timedelta(days=days))

    return move


def test_the_managers_of_the_episode_record_oversight_and_no_one_else(world):
    users = world["users"]
    for key in ("manager", "allocated_manager"):
        assert may(users[key], "recording.add_oversight", world["episode"]), key
    for key in ("lead", "allocated", "adviser", "partner", "teacher", "outsider", "far_manager"):
        assert not may(users[key], "recording.add_oversight", world["episode"]), key
        with pytest.raises(PermissionDenied):
            _record(world, by=key)
    assert OversightNote.objects.count() == 0
    note = _record(world, by="allocated_manager")
    assert note.family == world["family"] and note.recorded_by == users["allocated_manager"]


def test_the_lead_the_allocated_worker_and_the_managers_read_it_the_rest_of_the_network_does_not(world):
    users = world["users"]
    readers = {"lead", "allocated", "manager", "allocated_manager"}
    for key, user in users.items():
        assert may(user, "recording.view_oversight", world["episode"]) == (key in readers), key


def test_next_due_defaults_to_the_setting_and_is_stored_on_the_episode(world):
    today = timezone.localdate()
    note = _record(world)
    assert note.next_due_on == today + timedelta(weeks=4)
    assert Episode.objects.get(pk=world["episode"].pk).oversight_due_on == note.next_due_on
    with override_settings(EARLYHELP_OVERSIGHT_WEEKS=2):
        assert _record(world).next_due_on == today + timedelta(weeks=2)
    chosen = _record(world, kind=OversightKind.OVERSIGHT, next_due_on=today + timedelta(days=10))
    # The latest oversight sets the date, earlier or later than before.
    assert Episode.objects.get(pk=world["episode"].pk).oversight_due_on == chosen.next_due_on


def test_a_decision_a_kind_and_a_future_date_are_needed_and_nothing_is_saved_otherwise(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        _record(world, kind="chat", decision="  ", next_due_on=today)
    assert set(error.value.error_dict) == {"kind", "decision", "next_due_on"}
    assert OversightNote.objects.count() == 0
    assert Episode.objects.get(pk=world["episode"].pk).oversight_due_on is None


def test_a_closed_episode_takes_no_oversight(world):
    Episode.objects.filter(pk=world["episode"].pk).update(state=EpisodeState.CLOSED,
                                                           closed_on=timezone.localdate())
    with pytest.raises(Refused):
        _record(world)


def test_the_episode_shows_when_oversight_was_last_recorded_and_by_whom(client, world):
    url = reverse("episode-detail", kwargs={"episode_id": world["episode"].pk})
    client.force_login(world["users"]["lead"])
    assert "No oversight recorded yet" in client.get(url).content.decode()
    _record(world, next_due_on=timezone.localdate() + timedelta(days=14))
    note = _record(world, by="allocated_manager", next_due_on=timezone.localdate() + timedelta(days=21))
    page = client.get(url).content.decode()
    assert (f"Oversight last recorded on {timezone.localtime(note.recorded_at):%-d %B %Y} by Allocatedmanager "
            f"Tester; next due {note.next_due_on:%-d %B %Y}") in page
    client.force_login(world["users"]["partner"])
    page = client.get(url).content.decode()
    assert client.get(url).status_code == 200 and 'id="oversight-summary"' not in page and "Allocatedmanager" not in page


def test_recording_it_through_the_pages(client, world):
    manager = world["users"]["manager"]
    client.force_login(manager)
    listing = reverse("episode-oversight", kwargs={"episode_id": world["episode"].pk})
    create = reverse("oversight-create", kwargs={"episode_id": world["episode"].pk})
    assert 'data-empty-state="oversight"' in client.get(listing).content.decode()
    assert client.get(create).status_code == 200
    response = client.post(create, {"kind": "", "decision": ""})
    assert response.status_code == 422
    assert "Select whether it is supervision or management oversight" in response.content.decode()
    due = timezone.localdate() + timedelta(days=30)
    response = client.post(create, {"kind": "oversight", "decision": "Step the plan down to universal services",
                                    "actions": "Review in a month", "next_due_on_0": due.day,
                                    "next_due_on_1": due.month, "next_due_on_2": due.year})
    assert response.status_code == 302 and response.url == listing
    note = OversightNote.objects.get()
    assert (note.kind, note.next_due_on, note.recorded_by) == ("oversight", due, manager)
    page = client.get(listing).content.decode()
    assert "Step the plan down to universal services" in page and "Review in a month" in page
    assert AccessRecord.objects.filter(user=manager, what__contains="management oversight").exists()
    # Not the lead's to record; not the partner's to read.
    client.force_login(world["users"]["lead"])
    assert client.get(create).status_code == 403 and client.get(listing).status_code == 200
    client.force_login(world["users"]["partner"])
    assert client.get(listing).status_code == 403


def test_overdue_oversight_is_in_the_managers_late_work_from_the_day_after_it_was_due(client, world, later):
    manager, far_manager = world["users"]["manager"], world["users"]["far_manager"]
    note = _record(world, next_due_on=timezone.localdate() + timedelta(days=14))
    assert list(team_late_work_list(manager)) == []
    later(14)  # due today: not late yet
    assert list(team_late_work_list(manager)) == []
    later(15)
    assert list(team_late_work_list(manager)) == [world["episode"]]
    assert list(team_late_work_list(far_manager)) == []
    client.force_login(manager)
    page = client.get(reverse("my-work") + "?show=late").content.decode()
    assert f'data-episode="{world["episode"].reference}"' in page and "data-oversight-overdue" in page
    assert f"{note.next_due_on:%-d %b %Y}" in page
    home = client.get(reverse("home")).content.decode()
    assert f'data-episode="{world["episode"].reference}"' in home
    client.force_login(far_manager)
    assert world["episode"].reference not in client.get(reverse("my-work") + "?show=late").content.decode()
    # Recording the next oversight takes it off the list.
    later(15)
    _record(world)
    assert list(team_late_work_list(manager)) == []


def test_an_episode_never_overseen_is_late_for_its_first_oversight_weeks_after_it_opened(world, later):
    """Open episodes from before oversight was recorded are given the first clock by migration 0007:
    weeks after they opened, or the day of the upgrade when that has passed (never weeks late at once).
    New episodes get it when they open (tests/episodes/test_core.py)."""
    from django.apps import apps

    first_due = importlib.import_module("earlyhelp.episodes.migrations.0007_first_oversight_due").first_oversight_due
    manager, episode = world["users"]["manager"], world["episode"]
    today = timezone.localdate()
    Episode.objects.filter(pk=episode.pk).update(opened_on=today - timedelta(days=10), oversight_due_on=None)
    long_open = Episode.objects.create(reference="EP-OLD-1", family=episode.family, state=EpisodeState.CLOSED,
                                       team=episode.team, opened_on=today - timedelta(days=400),
                                       closed_on=today - timedelta(days=300))
    first_due(apps, None)
    assert Episode.objects.get(pk=episode.pk).oversight_due_on == today - timedelta(days=10) + timedelta(weeks=4)
    assert Episode.objects.get(pk=long_open.pk).oversight_due_on is None  # closed: nothing is due
    Episode.objects.filter(pk=episode.pk).update(opened_on=today - timedelta(days=400), oversight_due_on=None)
    first_due(apps, None)
    assert Episode.objects.get(pk=episode.pk).oversight_due_on == today  # due on the day of the upgrade
    assert list(team_late_work_list(manager)) == []
    later(1)
    assert list(team_late_work_list(manager)) == [Episode.objects.get(pk=episode.pk)]
