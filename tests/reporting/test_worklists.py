"""Every role's home page and My work list what is theirs (issue 13, point 2): allocations waiting
to start, step ups and step downs waiting for a decision, assessments an adviser supports and
management oversight due; notifications are read when opened and lead to a page the reader may open."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Role, Team, TeamKind, User
from earlyhelp.episodes.models import (
    Assessment,
    Episode,
    EpisodeChild,
    EpisodeState,
    StepDown,
    StepUp,
)
from earlyhelp.frontdoor import services as frontdoor
from earlyhelp.frontdoor.models import AllocationOutcome, Notification, TriageOutcome
from earlyhelp.reporting.worklists import work_queues_for

from ..episodes.test_core_helpers import children_of, make_family, make_user
from ..frontdoor.factories import make_family as request_family
from ..frontdoor.factories import practitioner_request


def _user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def people(organisations):
    return {name: _user(name) for name in ("partner", "practitioner", "adviser", "manager", "frontdoor",
                                           "socialworker")}


def _allocated(people, **allocation):
    partner, officer = people["partner"], people["frontdoor"]
    support_request = practitioner_request(partner, family=request_family(practitioner=partner))
    frontdoor.triage_decide(support_request=support_request, by=officer, outcome=TriageOutcome.EHA_NEEDED,
                            notes="Needs an assessment")
    meeting = frontdoor.meeting_create(held_on=timezone.localdate(), chair=people["manager"], created_by=officer)
    return frontdoor.allocation_decide(meeting=meeting, support_request=support_request, decided_by=officer,
                                       reasons="Knows the school", **allocation)


def _episode(*, team=None, state=EpisodeState.ASSESSMENT, family=None, **fields) -> Episode:
    family = family or make_family(children=1)
    episode = Episode.objects.create(reference=f"EP-W-{family.pk}", family=family, state=state, team=team,
                                     opened_on=timezone.localdate() - timedelta(days=30), **fields)
    EpisodeChild.objects.bulk_create([EpisodeChild(episode=episode, person=child, added_on=episode.opened_on)
                                      for child in children_of(family)])
    return episode


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


# Allocations waiting to start ---------------------------------------------------------------------


def test_an_allocation_waits_on_the_practitioners_home_page_and_my_work_until_early_help_starts(client, people):
    practitioner = people["practitioner"]
    decision = _allocated(people, outcome=AllocationOutcome.ALLOCATE_PRACTITIONER, practitioner=practitioner)
    family = decision.request.family
    assert [row.pk for row in work_queues_for(practitioner)["allocations"].rows] == [decision.pk]
    home = _home(client, practitioner)
    assert "Allocations waiting to start" in home and decision.request.reference in home
    assert decision.request.reference in client.get(reverse("my-work")).content.decode()
    # The allocated request offers "Start early help", which starts it as the meeting decided.
    request_page = client.get(reverse("request-detail", args=[decision.request_id])).content.decode()
    assert "data-start-from-allocation" in request_page
    response = client.post(reverse("episode-start-from-allocation", args=[family.pk, decision.pk]))
    episode = Episode.objects.get(request=decision.request)
    assert response["Location"] == reverse("episode-detail", args=[episode.pk])
    assert episode.allocated_worker == practitioner
    assert not work_queues_for(practitioner)["allocations"]
    assert "data-start-from-allocation" not in client.get(
        reverse("request-detail", args=[decision.request_id])).content.decode()


def test_an_allocation_to_a_team_waits_for_its_managers_not_its_practitioners(people):
    team = people["manager"].teams.get(kind=TeamKind.LOCALITY_EARLY_HELP)
    decision = _allocated(people, outcome=AllocationOutcome.ALLOCATE_TEAM, team=team)
    assert decision.pk in [row.pk for row in work_queues_for(people["manager"])["allocations"].rows]
    assert decision.pk not in [row.pk for row in work_queues_for(people["practitioner"])["allocations"].rows]


def test_the_officer_who_allocated_still_opens_the_request_another_officer_does_not(client, people):
    decision = _allocated(people, outcome=AllocationOutcome.ALLOCATE_PRACTITIONER,
                          practitioner=people["practitioner"])
    client.force_login(people["frontdoor"])
    assert client.get(reverse("request-detail", args=[decision.request_id])).status_code == 200
    other = make_user(Role.FRONT_DOOR_OFFICER, team=people["frontdoor"].teams.first())
    client.force_login(other)
    assert client.get(reverse("request-detail", args=[decision.request_id])).status_code == 403


# Notifications ----------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_leads_to_its_page(client, people):
    practitioner = people["practitioner"]
    decision = _allocated(people, outcome=AllocationOutcome.ALLOCATE_PRACTITIONER, practitioner=practitioner)
    notice = Notification.objects.get(recipient=practitioner, message__contains=decision.request.reference)
    client.force_login(practitioner)
    page = client.get(reverse("notifications")).content.decode()
    assert ">Unread</strong>" in page and ">New</strong> New" not in page
    assert reverse("notification-open", args=[notice.pk]) in page
    response = client.get(reverse("notification-open", args=[notice.pk]))
    assert response["Location"] == notice.url == reverse("request-detail", args=[decision.request_id])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notification_whose_page_moved_out_of_sight_leads_back_to_the_list_not_to_a_refusal(client, people):
    other = make_user(Role.FRONT_DOOR_OFFICER, team=people["frontdoor"].teams.first())
    decision = _allocated(people, outcome=AllocationOutcome.ALLOCATE_PRACTITIONER,
                          practitioner=people["practitioner"])
    notice = Notification.objects.get(recipient=other, message__contains=decision.request.reference)
    client.force_login(other)
    response = client.get(reverse("notification-open", args=[notice.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("notifications")
    assert "no longer yours to open" in response.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_nobody_opens_someone_elses_notification(client, people):
    notice = Notification.objects.create(recipient=people["manager"], message="Yours", url="/")
    client.force_login(people["practitioner"])
    assert client.get(reverse("notification-open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


# Step ups and step downs --------------------------------------------------------------------------


def test_step_ups_waiting_for_a_decision_are_on_the_social_workers_home_page(client, people):
    episode = _episode(state=EpisodeState.STEP_UP_REQUESTED, allocated_worker=people["practitioner"])
    step_up = StepUp.objects.create(episode=episode, reasons=["safeguarding"], details="Bruises",
                                    requested_by=people["practitioner"], requested_at=timezone.now())
    home = _home(client, people["socialworker"])
    assert "Step ups waiting for your decision" in home
    assert reverse("step-up-decide", args=[step_up.pk]) in home
    step_up.decided_at, step_up.accepted = timezone.now(), False
    step_up.save()
    assert reverse("step-up-decide", args=[step_up.pk]) not in _home(client, people["socialworker"])


def test_families_being_stepped_down_are_the_social_workers_and_wait_for_early_help(client, people):
    manager = people["manager"]
    locality = manager.teams.get(kind=TeamKind.LOCALITY_EARLY_HELP).locality
    family = make_family(children=1)
    family.locality = locality
    family.save()
    step_down = StepDown.objects.create(family=family, social_worker=people["socialworker"],
                                        final_assessment_summary="Risks below threshold", handover_plan="Joint visit",
                                        proposed_at=timezone.now())
    link = reverse("step-down-detail", args=[step_down.pk])
    home = _home(client, people["socialworker"])
    assert "Families you are stepping down" in home and link in home
    assert 'data-empty-state="step-downs"' not in home  # a real list, not the written-in empty state
    for decider in (manager, people["frontdoor"]):
        home = _home(client, decider)
        assert "Step downs waiting for early help" in home and link in home
    step_down.status = StepDown.Status.RETURNED
    step_down.save()
    assert 'data-empty-state="step-downs"' in _home(client, people["socialworker"])


# Assessments and oversight --------------------------------------------------------------------------


def test_an_adviser_supports_the_assessments_in_progress_in_their_teams(client, people):
    adviser = people["adviser"]
    team = adviser.teams.get(kind=TeamKind.LOCALITY_EARLY_HELP)
    organisation = Agency.objects.filter(kind=AgencyKind.LA_EARLY_HELP).first()
    today = timezone.localdate()
    late = _episode(team=team, allocated_worker=people["practitioner"])
    Assessment.objects.create(episode=late, started_on=today - timedelta(days=20), due_on=today - timedelta(days=3),
                              organisation=organisation)
    soon = _episode(team=team)
    Assessment.objects.create(episode=soon, started_on=today, due_on=today + timedelta(days=10),
                              organisation=organisation)
    done = _episode(team=team, state=EpisodeState.PLANNING)
    Assessment.objects.create(episode=done, started_on=today - timedelta(days=30), due_on=today - timedelta(days=16),
                              completed_on=today - timedelta(days=16), organisation=organisation)
    elsewhere = _episode(team=Team.objects.filter(kind=TeamKind.LOCALITY_EARLY_HELP).exclude(pk=team.pk).first())
    Assessment.objects.create(episode=elsewhere, started_on=today, due_on=today, organisation=organisation)
    assert [row.episode for row in work_queues_for(adviser)["assessments_supported"].rows] == [late, soon]
    home = _home(client, adviser)
    assert late.reference in home and soon.reference in home and done.reference not in home
    assert 'data-empty-state="assessments"' not in home
    assert home.index(late.reference) < home.index(soon.reference)


def test_management_oversight_due_is_on_the_managers_home_page_most_overdue_first(client, people):
    manager = people["manager"]
    team = manager.teams.get(kind=TeamKind.LOCALITY_EARLY_HELP)
    today = timezone.localdate()
    later = _episode(team=team, oversight_due_on=today + timedelta(days=2))
    overdue = _episode(team=team, oversight_due_on=today - timedelta(days=4))
    not_yet = _episode(team=team, oversight_due_on=today + timedelta(days=30))
    rows = work_queues_for(manager)["oversight_due"].rows
    assert overdue in rows and later in rows and not_yet not in rows
    assert rows.index(overdue) < rows.index(later)
    assert reverse("episode-oversight", args=[overdue.pk]) in _home(client, manager)


# Menus and cost ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "items"), [
    ("socialworker", ["Step downs", "My work"]),
    ("frontdoor", ["Step downs", "Front door"]),
    ("manager", ["Step downs", "Team work", "My work"]),
])
def test_every_list_a_role_acts_on_is_in_its_menu(client, people, username, items):
    client.force_login(people[username])
    navigation = {item["text"]: item["href"] for item in client.get(reverse("home")).context["navigation"]}
    for item in items:
        assert item in navigation, item
        assert client.get(navigation[item]).status_code == 200, item


def test_the_social_workers_home_page_costs_the_same_however_many_step_ups_wait(client, people,
                                                                                django_assert_num_queries):
    def add_step_ups(count):
        for _ in range(count):
            episode = _episode(state=EpisodeState.STEP_UP_REQUESTED)
            StepUp.objects.create(episode=episode, reasons=["safeguarding"], details="Worry",
                                  requested_by=people["practitioner"], requested_at=timezone.now())

    client.force_login(people["socialworker"])
    add_step_ups(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    add_step_ups(10)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("home")).content.decode()
    assert page.count("data-step-up=") == 5  # the oldest five; the rest are counted
    assert len(many.captured_queries) <= len(few.captured_queries) + 1  # + the count, once the list is full
