"""Opening an episode, children of concern, the lead professional and disagreements."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.calendar.working_days import add_working_days
from earlyhelp.episodes.due import CONSENT_WORKING_DAYS
from earlyhelp.episodes.models import (
    Disagreement,
    DueKind,
    Episode,
    EpisodeChild,
    EpisodeEvent,
    EpisodeState,
    LeadProfessionalAssignment,
)
from earlyhelp.episodes.services.core import (
    disagreement_record,
    disagreement_resolve,
    episode_child_add,
    episode_child_remove,
    episode_open,
    episode_open_from_allocation,
    lead_professional_assign,
)
from earlyhelp.episodes.transitions import Action, episode_transition
from earlyhelp.frontdoor.models import (
    AllocationDecision,
    AllocationMeeting,
    AllocationOutcome,
    FamilyAgreement,
    RequestForSupport,
    RequestPerson,
    RequestSource,
)
from earlyhelp.web.refusals import Refused

from .test_core_helpers import children_of, locality_team, make_family, make_user


@pytest.fixture
def practitioner(demo_user):
    return demo_user("practitioner")


@pytest.fixture
def family(practitioner):
    return make_family(children=2, unborn=1, seen_by=practitioner)


def test_opening_covers_every_child_and_asks_for_consent_first(practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    today = timezone.localdate()
    # The first management oversight's clock starts when the episode opens (EARLYHELP_OVERSIGHT_WEEKS).
    assert episode.oversight_due_on == today + timedelta(weeks=settings.EARLYHELP_OVERSIGHT_WEEKS)
    assert re.fullmatch(rf"EP-{today.year}-\d{{6}}", episode.reference)
    assert episode.state == EpisodeState.AWAITING_CONSENT
    assert episode.opened_on == today
    # Every child and the unborn baby, never the parent.
    assert set(EpisodeChild.objects.filter(episode=episode).values_list("person_id", flat=True)) == {
        child.pk for child in children_of(family)
    }
    event = EpisodeEvent.objects.get(episode=episode)
    assert (event.kind, event.by) == ("opened", practitioner)
    # What is due next is stored on the episode.
    episode.refresh_from_db()
    assert episode.next_due_kind == DueKind.CONSENT
    assert episode.next_due_on == add_working_days(today, CONSENT_WORKING_DAYS)
    # The allocated worker's locality team holds the work.
    assert episode.team == practitioner.teams.get()


def test_references_number_on_within_the_year(practitioner):
    first = episode_open(family=make_family(seen_by=practitioner), opened_by=practitioner)
    second = episode_open(family=make_family(seen_by=practitioner), opened_by=practitioner)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_a_family_has_one_open_episode_at_a_time(practitioner, family):
    first = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    with pytest.raises(ValidationError) as refused:
        episode_open(family=family, opened_by=practitioner)
    assert first.reference in refused.value.messages[0] and "already has an open" in refused.value.messages[0]
    assert Episode.objects.filter(family=family).count() == 1
    # Once it is closed, early help can start again.
    episode_transition(episode=first, action=Action.CONSENT_REFUSED, by=practitioner)
    second = episode_open(family=family, opened_by=practitioner)
    assert second.state == EpisodeState.AWAITING_CONSENT


def test_only_the_familys_children_can_be_chosen(practitioner, family):
    other = make_family(name="Otherby family", seen_by=practitioner)
    with pytest.raises(ValidationError) as refused:
        episode_open(family=family, opened_by=practitioner, children=[children_of(other)[0]])
    assert refused.value.message_dict == {"children": ["Select children who live in this family"]}
    with pytest.raises(ValidationError) as refused:
        episode_open(family=family, opened_by=practitioner, children=[])
    assert refused.value.message_dict == {"children": ["Select at least one child of concern"]}
    chosen = children_of(family)[1]
    episode = episode_open(family=family, opened_by=practitioner, children=[chosen])
    assert list(episode.children.values_list("person_id", flat=True)) == [chosen.pk]


def test_roles_that_never_do_episode_work_cannot_open_one(demo_user, family):
    with pytest.raises(PermissionDenied):
        episode_open(family=family, opened_by=demo_user("analyst"))
    assert not Episode.objects.filter(family=family).exists()


def _allocation(*, family, practitioner, decided_by, outcome=AllocationOutcome.ALLOCATE_PRACTITIONER, named=None):
    now = timezone.now()
    support_request = RequestForSupport.objects.create(
        reference=f"RFS-{family.pk}", source=RequestSource.PRACTITIONER, family=family, requested_by=decided_by,
        concern_details="School attendance has fallen and mum is struggling.", family_agreement=FamilyAgreement.YES,
        submitted_at=now, triage_due_on=timezone.localdate(),
    )
    for child in named or []:
        RequestPerson.objects.create(request=support_request, person=child, first_name=child.first_name,
                                     last_name=child.last_name, is_child=True)
    meeting = AllocationMeeting.objects.create(held_on=timezone.localdate(), chair=decided_by)
    return AllocationDecision.objects.create(
        meeting=meeting, request=support_request, outcome=outcome, team=locality_team(1),
        practitioner=practitioner if outcome == AllocationOutcome.ALLOCATE_PRACTITIONER else None,
        reasons="Needs across school and home: more than one service.", decided_by=decided_by,
    )


def test_starting_from_an_allocation_carries_its_team_practitioner_and_children(demo_user, practitioner, family):
    named = children_of(family)[0]
    decision = _allocation(family=family, practitioner=practitioner, decided_by=demo_user("frontdoor"), named=[named])
    episode = episode_open_from_allocation(decision=decision, by=practitioner)
    assert (episode.team, episode.allocated_worker, episode.request) == (locality_team(1), practitioner, decision.request)
    assert list(episode.children.values_list("person_id", flat=True)) == [named.pk]
    with pytest.raises(Refused, match="already started from this allocation"):
        episode_open_from_allocation(decision=decision, by=practitioner)


def test_an_allocation_elsewhere_cannot_start_early_help(demo_user, practitioner, family):
    decision = _allocation(family=family, practitioner=practitioner, decided_by=demo_user("frontdoor"),
                           outcome=AllocationOutcome.REFER_ELSEWHERE)
    with pytest.raises(ValidationError, match="did not allocate the family to early help"):
        episode_open_from_allocation(decision=decision, by=practitioner)
    assert not Episode.objects.filter(family=family).exists()


def test_children_are_added_and_removed_with_dates_but_never_the_last(practitioner):
    family = make_family(children=3, seen_by=practitioner)
    first, second, third = children_of(family)
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner,
                           children=[first, second])
    episode_child_add(episode=episode, person=third, by=practitioner)
    with pytest.raises(ValidationError) as twice:
        episode_child_add(episode=episode, person=third, by=practitioner)
    assert "already a child of concern" in twice.value.message_dict["person"][0]

    today = timezone.localdate()
    row = EpisodeChild.objects.get(episode=episode, person=third)
    with pytest.raises(ValidationError) as refused:
        episode_child_remove(episode_child=row, by=practitioner, on=today + timedelta(days=1), reason="")
    assert refused.value.message_dict == {
        "reason": ["Enter why the child is no longer a child of concern"],
        "removed_on": ["The date cannot be in the future"],
    }
    episode_child_remove(episode_child=row, by=practitioner, on=today, reason="Moved to live with dad")
    row.refresh_from_db()
    assert (row.removed_on, row.removal_reason) == (today, "Moved to live with dad")
    episode_child_remove(episode_child=EpisodeChild.objects.get(episode=episode, person=second), by=practitioner,
                         on=today, reason="Needs met at school")
    with pytest.raises(ValidationError, match="only child of concern"):
        episode_child_remove(episode_child=EpisodeChild.objects.get(episode=episode, person=first),
                             by=practitioner, on=today, reason="No longer a worry")
    assert EpisodeChild.objects.filter(episode=episode, removed_on__isnull=True).count() == 1
    kinds = list(EpisodeEvent.objects.filter(episode=episode).order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["opened", "child_added", "child_removed", "child_removed"]


def test_a_child_from_another_family_cannot_be_added(practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    stranger = children_of(make_family(name="Elsewhere family"))[0]
    with pytest.raises(ValidationError) as refused:
        episode_child_add(episode=episode, person=stranger, by=practitioner)
    assert refused.value.message_dict == {"person": ["Choose a child who lives in this family"]}


def test_only_those_leading_the_work_can_change_it(demo_user, practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    outsider = make_user(Role.EARLY_HELP_PRACTITIONER, team=locality_team(2))
    with pytest.raises(PermissionDenied):
        lead_professional_assign(episode=episode, lead=outsider, by=outsider, chosen_with_family=True)
    # The manager of the episode's team may.
    manager = demo_user("manager")
    assert manager.teams.filter(pk=episode.team_id).exists()
    lead_professional_assign(episode=episode, lead=practitioner, by=manager, chosen_with_family=True)
    assert LeadProfessionalAssignment.objects.filter(episode=episode).count() == 1


def test_one_current_lead_transfer_needs_a_handover_note_and_history_is_kept(demo_user, practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    partner = demo_user("partner")
    first = lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True)
    episode.refresh_from_db()
    assert episode.lead_professional == practitioner and first.ended_on is None

    with pytest.raises(ValidationError) as refused:
        lead_professional_assign(episode=episode, lead=partner, by=practitioner, chosen_with_family=False,
                                 handover_note="   ")
    assert refused.value.message_dict == {"handover_note": ["Write a handover note for the new lead professional"]}
    with pytest.raises(ValidationError, match="already the lead professional"):
        lead_professional_assign(episode=episode, lead=practitioner, by=practitioner, chosen_with_family=True,
                                 handover_note="Same person")
    episode.refresh_from_db()
    assert episode.lead_professional == practitioner  # nothing half-saved

    lead_professional_assign(episode=episode, lead=partner, by=practitioner, chosen_with_family=False,
                             handover_note="Mum prefers texts. Housing referral made.")
    episode.refresh_from_db()
    assert episode.lead_professional == partner
    history = list(LeadProfessionalAssignment.objects.filter(episode=episode).order_by("pk"))
    assert [row.lead for row in history] == [practitioner, partner]
    assert history[0].ended_on == timezone.localdate() and history[1].ended_on is None
    assert history[1].handover_note == "Mum prefers texts. Housing referral made."
    assert not history[1].chosen_with_family
    kinds = set(EpisodeEvent.objects.filter(episode=episode).values_list("kind", flat=True))
    assert {"lead_professional_chosen", "lead_professional_transferred"} <= kinds


def test_a_lead_professional_must_be_a_practitioner(demo_user, practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    with pytest.raises(ValidationError) as refused:
        lead_professional_assign(episode=episode, lead=demo_user("analyst"), by=practitioner, chosen_with_family=True)
    assert refused.value.message_dict == {"lead": ["Choose a practitioner who can be a lead professional"]}
    # A social worker may lead (the role transfers to statutory services).
    lead_professional_assign(episode=episode, lead=demo_user("socialworker"), by=practitioner,
                             chosen_with_family=False)


def test_a_disagreement_is_recorded_and_later_its_outcome(demo_user, practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    with pytest.raises(ValidationError) as refused:
        disagreement_record(episode=episode, topic="colour", details=" ", by=practitioner)
    assert set(refused.value.message_dict) == {"topic", "details"}
    disagreement = disagreement_record(
        episode=episode, topic=Disagreement.Topic.LEAD, by=practitioner,
        details="School thinks the health visitor should lead.",
    )
    assert disagreement.resolved_at is None
    manager = demo_user("manager")
    with pytest.raises(ValidationError) as blank:
        disagreement_resolve(disagreement=disagreement, outcome="", by=manager)
    assert "outcome" in blank.value.message_dict
    # Someone outside the work cannot close it, nor can whoever raised it: a manager of the team does.
    with pytest.raises(PermissionDenied):
        disagreement_resolve(disagreement=disagreement, outcome="Agreed", by=make_user(Role.EARLY_HELP_PRACTITIONER))
    with pytest.raises(PermissionDenied):
        disagreement_resolve(disagreement=disagreement, outcome="Agreed", by=practitioner)
    resolved = disagreement_resolve(disagreement=disagreement, outcome="Escalation meeting: current lead continues.",
                                    by=manager)
    assert resolved.resolved_by == manager and resolved.outcome.startswith("Escalation meeting")
    with pytest.raises(Refused, match="already been recorded"):
        disagreement_resolve(disagreement=disagreement, outcome="Again", by=manager)
    kinds = list(EpisodeEvent.objects.filter(episode=episode, kind__startswith="disagreement").values_list("kind", flat=True))
    assert sorted(kinds) == ["disagreement_raised", "disagreement_resolved"]


def test_people_outside_the_family_cannot_record_a_disagreement(practitioner, family):
    episode = episode_open(family=family, opened_by=practitioner, allocated_worker=practitioner)
    stranger = make_user(Role.PARTNER_PRACTITIONER)
    with pytest.raises(PermissionDenied):
        disagreement_record(episode=episode, topic=Disagreement.Topic.LEVEL, details="Too high", by=stranger)
