"""Every read at the front door, through the need-to-know rule.

A request for support is seen by whoever asked for it, by the front door (front door officers and
team managers, who sit on the allocation meeting) while it is still open, by a team manager while
a disagreement about it waits for a manager, and by whoever may see its family (people/access.py).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rapidfuzz import fuzz

from earlyhelp.accounts.models import Team, TeamKind, User
from earlyhelp.audit.models import AccessKind
from earlyhelp.audit.services import access_record_create
from earlyhelp.calendar.working_days import closure_days, working_days_between
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people.access import team_ids_of
from earlyhelp.people.matching import name_variants, normalise_name
from earlyhelp.people.models import Family, FamilyMember, Involvement, Person
from earlyhelp.policy import may, require

from .models import (
    AllocationDecision,
    AllocationMeeting,
    AllocationOutcome,
    Escalation,
    LevelOfNeedDecision,
    RequestForSupport,
    RequestPerson,
    RequestStatus,
)
from .rules import held_by_teams
from .services import ALLOCATABLE_ROLES, CHAIR_ROLES

# Requests on one page of a front-door queue.
QUEUE_PAGE_SIZE = 25
# Families offered when linking a request: enough to choose from, few enough to read.
CANDIDATE_LIMIT = 10
# How alike two names must be (rapidfuzz, 0-100) to offer a family.
NAME_SCORE_THRESHOLD = 75
HOME_QUEUE_ROWS = 5


def request_can_view(user: User, support_request: RequestForSupport) -> bool:
    return may(user, "frontdoor.view_request", support_request)


def _request_with_details() -> QuerySet[RequestForSupport]:
    return RequestForSupport.objects.select_related(
        "family", "requested_by", "requester_agency", "triaged_by", "checklist", "checklist__completed_by",
        "allocation", "allocation__meeting", "allocation__team", "allocation__practitioner",
        "allocation__decided_by",
    ).prefetch_related(
        Prefetch("people", queryset=RequestPerson.objects.select_related("person").order_by("-is_child", "pk")),
    )


@dataclass
class RequestAccess:
    request: RequestForSupport
    can_see_family: bool


def request_get_for_user(user: User, request_id: int, *, page: str = "", path: str = "") -> RequestAccess:
    """The request if the user may see it, and whether they may see its family; the view is audited."""
    support_request = get_object_or_404(_request_with_details(), pk=request_id)
    require(user, "frontdoor.view_request", support_request)
    can_see_family = may(user, "people.view_family", support_request.family_id)
    what = f"Request for support {support_request.reference}" + (f": {page}" if page else "")
    # The request names the family's children whoever reads it: the look is the family's.
    access_record_create(user=user, family=support_request.family, what=what, path=path)
    return RequestAccess(support_request, can_see_family)


def request_level_decisions(support_request: RequestForSupport) -> list[LevelOfNeedDecision]:
    return list(
        LevelOfNeedDecision.objects.filter(request=support_request)
        .select_related("decided_by", "decided_by__agency")
        .prefetch_related(Prefetch(
            "escalations",
            queryset=Escalation.objects.select_related("raised_by", "resolved_by").order_by("raised_at"),
        ))
        .order_by("-decided_at", "-pk")
    )


def request_harm_referrals(support_request: RequestForSupport):
    return list(support_request.harm_referrals.select_related("raised_by").order_by("-raised_at"))


def family_lead_professionals(family_id: int | None) -> list[Involvement]:
    """Who already leads for the family's members (DOMAIN §2: ask before assessing): the people app's one read."""
    return people_selectors.family_lead_professionals(family_id)


def family_for_new_request(user: User, family_id: int, *, path: str = "") -> tuple[Family, list[FamilyMember]]:
    """A family a request is started from, with its current members, if the user may see it (audited)."""
    family = get_object_or_404(Family, pk=family_id)
    require(user, "people.view_family", family)
    access_record_create(user=user, family=family, what="Ask for early help for this family", path=path)
    members = list(
        FamilyMember.objects.filter(family=family, left_on__isnull=True, person__merged_into__isnull=True)
        .select_related("person")
        .order_by("person__date_of_birth", "pk")
    )
    return family, members


def requests_made_by(user: User, *, limit: int = 50) -> list[RequestForSupport]:
    return list(
        RequestForSupport.objects.filter(requested_by=user)
        .select_related("family")
        .prefetch_related(Prefetch("people", queryset=RequestPerson.objects.filter(is_child=True).order_by("pk")))
        .order_by("-submitted_at")[:limit]
    )


def user_may_ask_for_help(user: User) -> bool:
    return may(user, "frontdoor.ask_for_help")


# The front door queue -----------------------------------------------------------------------------


def _require_front_door(user: User) -> None:
    require(user, "frontdoor.work_front_door")


@dataclass
class QueueRow:
    request: RequestForSupport
    age_working_days: int
    is_overdue: bool

    @property
    def children(self) -> list[RequestPerson]:
        return [person for person in self.request.people.all() if person.is_child]


def _queue(status: str) -> QuerySet[RequestForSupport]:
    return (
        RequestForSupport.objects.filter(status=status)
        .select_related("requested_by", "requester_agency", "family")
        .prefetch_related(Prefetch("people", queryset=RequestPerson.objects.order_by("-is_child", "pk")))
        .order_by("submitted_at", "pk")
    )


def _rows(requests, *, today: date, closed: frozenset[date]) -> list[QueueRow]:
    return [
        QueueRow(
            request=support_request,
            age_working_days=working_days_between(timezone.localdate(support_request.submitted_at), today, closed=closed),
            is_overdue=support_request.triage_due_on < today,
        )
        for support_request in requests
    ]


@dataclass
class QueuePage:
    """One page of a queue, oldest first: a council's queue can hold thousands of requests."""

    rows: list[QueueRow]
    page: Page
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.page.paginator.count


def _queue_page(requests: QuerySet[RequestForSupport], page_number, *, today: date) -> QueuePage:
    page = Paginator(requests, QUEUE_PAGE_SIZE).get_page(page_number)
    return QueuePage(rows=_rows(page.object_list, today=today, closed=closure_days()), page=page)


def triage_queue(user: User, *, page_number=1) -> QueuePage:
    """Requests waiting for triage, oldest first, a page at a time, with their age in working days
    and how many in the whole queue are overdue (a bounded number of queries)."""
    _require_front_door(user)
    today = timezone.localdate()
    waiting = _queue(RequestStatus.AWAITING_TRIAGE)
    queue = _queue_page(waiting, page_number, today=today)
    queue.overdue = waiting.filter(triage_due_on__lt=today).count()
    return queue


def allocation_queue(user: User, *, page_number=1) -> QueuePage:
    """Requests the front door has sent to the allocation meeting, oldest first, a page at a time."""
    _require_front_door(user)
    return _queue_page(_queue(RequestStatus.AWAITING_ALLOCATION).select_related("triaged_by"), page_number,
                       today=timezone.localdate())


def allocation_queue_total(user: User) -> int:
    _require_front_door(user)
    return RequestForSupport.objects.filter(status=RequestStatus.AWAITING_ALLOCATION).count()


def triage_queue_summary(user: User, *, limit: int = HOME_QUEUE_ROWS) -> tuple[int, list[QueueRow]]:
    """How many requests wait for triage, and the oldest few (for a home page)."""
    _require_front_door(user)
    waiting = _queue(RequestStatus.AWAITING_TRIAGE)
    oldest = list(waiting[:limit])
    total = waiting.count() if len(oldest) == limit else len(oldest)
    return total, _rows(oldest, today=timezone.localdate(), closed=closure_days())


def escalations_waiting(user: User, *, limit: int = 50) -> list[Escalation]:
    """Disagreements about the level of need waiting for this manager: those about requests their
    teams hold (or, before allocation, in their locality), as "frontdoor.resolve_escalation" says."""
    # The list form of "frontdoor.resolve_escalation" (held_by_teams is its rule from the teams' side;
    # a test holds the two to the same answers), asked of each waiting disagreement's own request (a
    # few hundred at most), not by listing every request the teams hold, which PostgreSQL can only
    # find by reading them all.
    held = Exists(requests_held_by(user).filter(pk=OuterRef("decision__request_id")))
    return list(
        Escalation.objects.filter(held, resolved_at__isnull=True)
        .exclude(raised_by=user)
        .select_related("raised_by", "decision", "decision__decided_by", "decision__request",
                        "decision__request__family")
        .order_by("raised_at", "pk")[:limit]
    )


def requests_held_by(user: User) -> QuerySet[RequestForSupport]:
    """Requests the user's teams hold: allocated to them or their practitioners, started as their
    episodes, or, before allocation, about a family in their locality (or with no locality)."""
    team_ids = team_ids_of(user)
    if not team_ids or not may(user, "frontdoor.list_held_requests"):
        return RequestForSupport.objects.none()
    return RequestForSupport.objects.filter(held_by_teams(team_ids)).distinct()


def escalation_get_for_user(user: User, escalation_id: int) -> Escalation:
    escalation = get_object_or_404(
        Escalation.objects.select_related(
            "raised_by", "resolved_by", "decision", "decision__decided_by", "decision__request",
            "decision__family",
        ),
        pk=escalation_id,
    )
    if not (may(user, "frontdoor.view_escalation", escalation)
            or may(user, "frontdoor.view_request", escalation.decision.request)):
        raise PermissionDenied
    return escalation


def level_decision_get_for_user(user: User, decision_id: int) -> LevelOfNeedDecision:
    decision = get_object_or_404(
        LevelOfNeedDecision.objects.select_related("decided_by", "request", "family"), pk=decision_id
    )
    if decision.request_id is None:
        raise PermissionDenied
    require(user, "frontdoor.view_request", decision.request)
    return decision


# Linking a request to a family ----------------------------------------------------------------------


@dataclass
class FamilyCandidate:
    family: Family
    matched: list[Person]
    score: int
    linked_to_request: bool = False


def _name_score(query: str, person: Person) -> int:
    """How alike a typed name and a person's names are, allowing nicknames (0-100)."""
    query = normalise_name(query)
    if not query:
        return 0
    tokens = query.split()
    best = fuzz.token_set_ratio(query, person.search_name)
    if len(tokens) >= 2:
        first, last = tokens[0], tokens[-1]
        person_first = {normalise_name(person.first_name), normalise_name(person.known_as)} - {""}
        if person_first & name_variants(first):
            best = max(best, fuzz.ratio(last, normalise_name(person.last_name)))
    return int(best)


def family_candidates(
    user: User, support_request: RequestForSupport, *, name: str, date_of_birth: date | None,
) -> list[FamilyCandidate]:
    """Families a request may be about: people with a similar name (and the same date of birth, when given).

    The front door sees only the family's name, postcode and the people who match what it typed;
    each family offered is written to the audit trail as a search result.
    """
    _require_front_door(user)
    name = normalise_name(name)
    if not name and date_of_birth is None:
        return []
    people = Person.objects.filter(merged_into__isnull=True, memberships__left_on__isnull=True)
    if date_of_birth is not None:
        people = people.filter(date_of_birth=date_of_birth)
    else:
        # Block on the surname's first letters so the scoring stays small.
        last = name.split()[-1]
        people = people.filter(Q(search_name__contains=last[:4]) | Q(last_name__istartswith=last[:2]))
    people = people.only("pk", "first_name", "last_name", "known_as", "search_name", "date_of_birth")[:500]
    scored: dict[int, tuple[int, Person]] = {}
    for person in people:
        score = _name_score(name, person) if name else 100
        if score >= NAME_SCORE_THRESHOLD and (person.pk not in scored or scored[person.pk][0] < score):
            scored[person.pk] = (score, person)
    if not scored:
        return []
    memberships = (
        FamilyMember.objects.filter(person_id__in=list(scored), left_on__isnull=True)
        .select_related("family")
        .only("person_id", "family__id", "family__name", "family__postcode")
    )
    by_family: dict[int, FamilyCandidate] = {}
    for membership in memberships:
        score, person = scored[membership.person_id]
        candidate = by_family.setdefault(
            membership.family_id, FamilyCandidate(family=membership.family, matched=[], score=0)
        )
        candidate.matched.append(person)
        candidate.score = max(candidate.score, score)
    candidates = sorted(by_family.values(), key=lambda c: (-c.score, -len(c.matched), c.family.name, c.family.pk))
    candidates = candidates[:CANDIDATE_LIMIT]
    for candidate in candidates:
        candidate.linked_to_request = candidate.family.pk == support_request.family_id
        access_record_create(
            user=user, kind=AccessKind.SEARCH, family=candidate.family,
            what=f"Found when linking request for support {support_request.reference}",
        )
    return candidates


def family_to_link(user: User, family_id: int, *, offered: list[int]) -> Family | None:
    """The family the front door chose: one its search offered, or one it may already see.

    Any other family is refused, so linking cannot be used to open a family the search did not find.
    """
    _require_front_door(user)
    if family_id not in offered and not may(user, "people.view_family", family_id):
        return None
    return Family.objects.only("pk", "name").filter(pk=family_id).first()


# The allocation meeting -----------------------------------------------------------------------------


def allocation_meetings_list(user: User, *, limit: int = 50) -> list[AllocationMeeting]:
    require(user, "frontdoor.view_meeting")
    return list(
        AllocationMeeting.objects.select_related("chair")
        .annotate(decision_total=Count("decisions"))
        .order_by("-held_on", "-pk")[:limit]
    )


def allocation_meeting_get_for_user(user: User, meeting_id: int) -> AllocationMeeting:
    meeting = get_object_or_404(AllocationMeeting.objects.select_related("chair"), pk=meeting_id)
    require(user, "frontdoor.view_meeting", meeting)
    return meeting


def request_triaged(request_id: int) -> bool:
    """Whether the request has left triage. Its page sent again, or N times at once, is then refused
    (409), not forbidden (403), though a decision that closed it took it out of the front door's sight.
    Nothing of the request is shown: the refusal says only that it has been triaged."""
    return RequestForSupport.objects.filter(pk=request_id).exclude(status=RequestStatus.AWAITING_TRIAGE).exists()


def request_decided_at_meeting(meeting: AllocationMeeting, request_id: int) -> str | None:
    """The reference of the request if this meeting has decided on it (the meeting's page lists it),
    so that a decision sent again is refused (409) even once it took the request out of sight."""
    return meeting.decisions.filter(request_id=request_id).values_list("request__reference", flat=True).first()


def allocation_meeting_decisions(meeting: AllocationMeeting) -> list:
    return list(
        meeting.decisions.select_related(
            "request", "request__family", "team", "practitioner", "decided_by"
        ).order_by("decided_at", "pk")
    )


ALLOCATING = (AllocationOutcome.ALLOCATE_TEAM, AllocationOutcome.ALLOCATE_PRACTITIONER)


def allocation_waiting_to_start(user: User, support_request: RequestForSupport) -> AllocationDecision | None:
    """The request's allocation, if it gave the family to early help, early help has not started
    from it, the family has no open episode, and the user may start early help for the family."""
    allocation = getattr(support_request, "allocation", None)
    if allocation is None or allocation.outcome not in ALLOCATING or not support_request.family_id:
        return None
    # The episodes app sits above this one: its rows are reached through their relation names.
    if support_request.episodes.exists() or support_request.family.episodes.exclude(state="closed").exists():
        return None
    return allocation if may(user, "episodes.open_episode", support_request.family) else None


def request_awaiting_allocation_for_user(user: User, request_id: int) -> RequestForSupport:
    _require_front_door(user)
    support_request = get_object_or_404(_request_with_details(), pk=request_id)
    if support_request.status != RequestStatus.AWAITING_ALLOCATION:
        raise PermissionDenied
    return support_request


def meeting_chairs() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=CHAIR_ROLES).select_related("agency").order_by(
        "last_name", "first_name", "pk"
    )


def allocatable_practitioners() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role__in=ALLOCATABLE_ROLES)
        .prefetch_related(Prefetch("teams", queryset=Team.objects.filter(kind=TeamKind.LOCALITY_EARLY_HELP)))
        .order_by("last_name", "first_name", "pk")
    )


def allocation_teams() -> QuerySet[Team]:
    return Team.objects.filter(kind=TeamKind.LOCALITY_EARLY_HELP).select_related("locality").order_by("name")


def is_front_door(user: User) -> bool:
    return may(user, "frontdoor.work_front_door")
