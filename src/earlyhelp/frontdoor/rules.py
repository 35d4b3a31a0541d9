"""Who may see and change requests for support, allocation meetings, disagreements about the
level of need and concerns of significant harm (docs/roles.md), and the front door's ways in.

Requests waiting for triage or allocation are the front door's work (front door officers); once
allocated, a request belongs to the network of its family: the team and practitioner it went
to, and their managers. A disagreement about the level of need is resolved by a manager of the
team that holds the request or, before it is allocated, of the family's locality.
"""

import rules
from django.db.models import Q

from earlyhelp.accounts.models import ROLES_WORKING_WITH_FAMILIES, Role, Team, TeamKind
from earlyhelp.people.access import network_route, team_ids_of
from earlyhelp.people.rules import in_family_network, works_with_families
from earlyhelp.policy import declare, role_in

from .models import (
    OPEN_REQUEST_STATUSES,
    AllocationDecision,
    Escalation,
    HarmReferral,
    RequestForSupport,
)
from .notification_targets import notification_target

TEAM_ROLES = (Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER, Role.EARLY_HELP_PRACTITIONER)

is_front_door_officer = role_in(Role.FRONT_DOOR_OFFICER)
is_team_manager = role_in(Role.TEAM_MANAGER)
is_social_worker = role_in(Role.SOCIAL_WORKER)


def request_holding_teams(support_request) -> Q:
    """The teams that hold a request: where it was allocated (the team, the practitioner's teams)
    and the teams of the episodes started from it. Before allocation, the early help teams of the
    family's locality; with no locality known, every locality early help team (as they are told)."""
    holding = (Q(allocations__request_id=support_request.pk)
               | Q(members__allocations__request_id=support_request.pk)
               | Q(episodes__request_id=support_request.pk))
    if not RequestForSupport.objects.filter(pk=support_request.pk, allocation__isnull=False).exists():
        locality_id = support_request.family.locality_id if support_request.family_id else None
        holding |= Q(kind=TeamKind.LOCALITY_EARLY_HELP, **({"locality_id": locality_id} if locality_id else {}))
    return holding


def held_by_teams(team_ids) -> Q:
    """A Q on requests: those these teams hold (request_holding_teams from the teams' side).
    Before allocation the holding teams are the locality's (any locality's when the family has
    none recorded): a manager of one decides a disagreement about it."""
    held = (Q(allocation__team_id__in=team_ids) | Q(allocation__practitioner__teams__in=team_ids)
            | Q(episodes__team_id__in=team_ids))
    localities = list(Team.objects.filter(pk__in=team_ids, kind=TeamKind.LOCALITY_EARLY_HELP)
                      .values_list("locality_id", flat=True))
    if localities:
        held |= Q(allocation__isnull=True) & (Q(family__locality_id__in=localities) | Q(family__locality__isnull=True))
    return held


@rules.predicate
def asked_for_it(user, support_request) -> bool:
    return support_request.requested_by_id == user.pk


@rules.predicate
def is_open(user, support_request) -> bool:
    return support_request.status in OPEN_REQUEST_STATUSES


@rules.predicate
def triaged_or_allocated_it(user, support_request) -> bool:
    """The officer who triaged the request, or recorded its allocation meeting's decision: the
    request stays theirs to look back at once it has left the front door's queue."""
    if support_request.triaged_by_id == user.pk:
        return True
    return AllocationDecision.objects.filter(request_id=support_request.pk, decided_by=user).exists()


@rules.predicate
def manages_a_holding_team(user, support_request) -> bool:
    return Team.objects.filter(request_holding_teams(support_request), members=user).exists()


def disagreements_for(user) -> Q:
    """Disagreements about the level of need that are a manager's to decide: waiting, or decided by them."""
    return Q(resolved_at__isnull=True) | Q(resolved_by=user)


@rules.predicate
def has_disagreement_for_them(user, support_request) -> bool:
    return Escalation.objects.filter(disagreements_for(user), decision__request=support_request).exists()


@rules.predicate
def level_settled_by_a_manager(user, support_request) -> bool:
    return Escalation.objects.filter(decision__request=support_request, resolved_at__isnull=False).exists()


may_see_request = works_with_families & (
    asked_for_it | (is_front_door_officer & (is_open | triaged_or_allocated_it)) | in_family_network
    | (is_team_manager & has_disagreement_for_them & manages_a_holding_team)
)
declare("frontdoor.view_request", may_see_request, record="Request for support",
        who="whoever asked for it; front door officers while it waits for triage or allocation, and afterwards "
            "the officer who triaged it or recorded its allocation decision; anyone in "
            "its family's network; a manager of a team holding it while a disagreement about it waits for them, and after they decided it")
declare("frontdoor.ask_for_help", role_in(Role.PARTNER_PRACTITIONER, Role.EARLY_HELP_PRACTITIONER,
                                         Role.EARLY_HELP_ADVISER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER),
        record="Request for support",
        who="partner and early help practitioners, advisers, team managers and social workers, signed in; "
            "for a family already recorded, one they are working with")
declare("frontdoor.change_request", is_front_door_officer & is_open, record="Request for support",
        who="front door officers while it waits for triage or allocation: link a family, triage, allocate")
declare("frontdoor.complete_checklist", may_see_request, record="Request for support",
        who="anyone who may see the request")
declare("frontdoor.decide_level", may_see_request & ~level_settled_by_a_manager, record="Level of need",
        who="anyone who may see the request, until a manager has decided a disagreement about it: "
            "after that only a new disagreement changes the level")
declare("frontdoor.disagree_level", may_see_request, record="Level of need",
        who="anyone who may see the request, except whoever made the decision")


@rules.predicate
def may_resolve_escalation(user, escalation) -> bool:
    return (escalation.raised_by_id != user.pk
            and manages_a_holding_team.test(user, escalation.decision.request))


declare("frontdoor.view_escalation", is_team_manager & may_resolve_escalation, record="Disagreement about the level",
        who="a manager of a team holding the request (or of the family's locality before allocation)")
declare("frontdoor.resolve_escalation", is_team_manager & may_resolve_escalation,
        record="Disagreement about the level",
        who="a manager of a team holding the request (or of the family's locality before allocation), "
            "not the person who raised it")
declare("frontdoor.list_held_requests", is_team_manager, record="Request for support",
        who="team managers: the requests their teams hold, for the disagreements waiting for them")
declare("frontdoor.view_meeting", is_front_door_officer, record="Allocation meeting",
        who="front door officers")
declare("frontdoor.change_meeting", is_front_door_officer, record="Allocation meeting",
        who="front door officers: create the meeting and record its decisions")
declare("frontdoor.work_front_door", is_front_door_officer, record="Front door queue",
        who="front door officers")


@rules.predicate
def raised_or_decided_it(user, referral) -> bool:
    return user.pk in (referral.raised_by_id, referral.decided_by_id)


@rules.predicate
def referral_awaiting_decision(user, referral) -> bool:
    return referral.decided_at is None


harm_queue = role_in(Role.FRONT_DOOR_OFFICER, Role.SOCIAL_WORKER)
declare("frontdoor.raise_harm", role_in(*ROLES_WORKING_WITH_FAMILIES), record="Concern of significant harm",
        who="every role that works with families, about any family: harm overrides, and raising one shows "
            "nothing more of the family")
declare("frontdoor.view_harm_referral",
        works_with_families & (raised_or_decided_it | in_family_network | (harm_queue & referral_awaiting_decision)),
        record="Concern of significant harm",
        who="whoever raised or decided it; the family's network; social workers and front door officers "
            "while it waits for Children's Social Care")
declare("frontdoor.view_harm_queue", harm_queue, record="Concern of significant harm",
        who="social workers and front door officers")
declare("frontdoor.decide_harm_referral", is_social_worker, record="Concern of significant harm",
        who="social workers (once, while it waits for a decision)")


# Ways into a family's network that the front door owns ----------------------------------------


@network_route("asked for support", who="the practitioner who asked for support for the family")
def _requested_rows(user):
    return RequestForSupport.objects.filter(requested_by=user)


@network_route("allocated practitioner", who="the practitioner a request was allocated to")
def _allocated_practitioner_rows(user):
    return RequestForSupport.objects.filter(allocation__practitioner=user)


@network_route("allocated team", roles=TEAM_ROLES,
               who="the managers, advisers and practitioners of the team a request was allocated to")
def _allocated_team_rows(user):
    team_ids = team_ids_of(user)
    return RequestForSupport.objects.filter(allocation__team_id__in=team_ids) if team_ids else None


@network_route("manager of the allocated practitioner", roles=[Role.TEAM_MANAGER],
               who="the managers of the teams of the practitioner a request was allocated to")
def _allocated_practitioners_manager_rows(user):
    team_ids = team_ids_of(user)
    return RequestForSupport.objects.filter(allocation__practitioner__teams__in=team_ids) if team_ids else None


@network_route("front door: open request", roles=[Role.FRONT_DOOR_OFFICER],
               who="front door officers, while one of the family's requests waits for triage or allocation")
def _open_request_rows(user):
    return RequestForSupport.objects.filter(status__in=OPEN_REQUEST_STATUSES)


# Only a social worker decides a concern (frontdoor.decide_harm_referral), so only one is named.
@network_route("social worker on a referral", roles=[Role.SOCIAL_WORKER],
               who="the social worker named on a concern of significant harm")
def _harm_social_worker_rows(user):
    return HarmReferral.objects.filter(social_worker=user)


@network_route("harm awaiting a decision", roles=[Role.FRONT_DOOR_OFFICER, Role.SOCIAL_WORKER],
               who="social workers and front door officers, while a concern of significant harm about the "
                   "family waits for Children's Social Care's decision")
def _harm_awaiting_rows(user):
    return HarmReferral.objects.filter(decided_at__isnull=True)


@network_route("manager asked to resolve a disagreement", roles=[Role.TEAM_MANAGER],
               who="a manager of a team holding a request while a disagreement about its level of need "
                   "waits for them, and after they decided it")
def _escalation_rows(user):
    team_ids = team_ids_of(user)
    if not team_ids:
        return None
    return RequestForSupport.objects.filter(
        held_by_teams(team_ids),
        pk__in=Escalation.objects.filter(disagreements_for(user)).values("decision__request_id"),
    )


# Pages the front door's notifications lead to (frontdoor/notification_targets.py) ---------------


@notification_target("request-detail", "frontdoor.view_request")
def _request_target(kwargs):
    return RequestForSupport.objects.filter(pk=kwargs["request_id"]).first()


@notification_target("harm-referral-detail", "frontdoor.view_harm_referral")
def _harm_referral_target(kwargs):
    return HarmReferral.objects.filter(pk=kwargs["referral_id"]).first()
