"""The work that is each person's, from the database, for their home page and "My work"
(issue 13, point 2). What each list holds, and why, is in docs/work-queues.md.

Every list is one query, bounded, in the order it should be worked (oldest or most overdue
first), and counted only when full; each is narrowed to the families the user may see
(people/access.py) besides being theirs. The episodes the user leads or holds, and their teams'
late work, stay in episodes.selectors_core (my_work_list, team_late_work_list).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import Role, Team, TeamKind, User
from earlyhelp.episodes.models import (
    OPEN_EPISODE_STATES,
    Assessment,
    Episode,
    EpisodeState,
    StepDown,
    StepUp,
)
from earlyhelp.episodes.rules import step_downs_waiting_for_answer_from
from earlyhelp.episodes.selectors_core import DUE_SOON_DAYS, _open_episodes
from earlyhelp.episodes.services.core import ALLOCATING_OUTCOMES
from earlyhelp.frontdoor.models import AllocationDecision
from earlyhelp.people.access import families_visible_to, team_ids_of
from earlyhelp.policy import may

HOME_QUEUE_ROWS = 5
MY_WORK_QUEUE_ROWS = 50


@dataclass
class Queue:
    rows: list = field(default_factory=list)
    total: int = 0

    def __bool__(self) -> bool:
        return bool(self.rows)


def _bounded(queryset: QuerySet, limit: int) -> Queue:
    rows = list(queryset[:limit])
    # Counted only when the list is full: there may be more.
    return Queue(rows=rows, total=queryset.count() if len(rows) == limit else len(rows))


def allocations_waiting_to_start(user: User) -> QuerySet[AllocationDecision]:
    """The allocation meeting's decisions that gave a family to the user (or, to a team manager,
    to one of their teams without naming a practitioner) from which early help has not started,
    while the family has no open episode; oldest decision first."""
    mine = Q(practitioner=user)
    if user.role == Role.TEAM_MANAGER:
        mine |= Q(practitioner__isnull=True, team_id__in=team_ids_of(user))
    open_episode = Episode.objects.filter(family_id=OuterRef("request__family_id"), state__in=OPEN_EPISODE_STATES)
    # No filter by families_visible_to: these rows are the very ways in that people/access.py's
    # "allocated practitioner" and "allocated team" routes declare, so each family is visible.
    return (
        AllocationDecision.objects.filter(mine, outcome__in=ALLOCATING_OUTCOMES, request__family__isnull=False)
        .exclude(Exists(Episode.objects.filter(request_id=OuterRef("request_id"))))
        .exclude(Exists(open_episode))
        .select_related("request", "request__family", "team", "practitioner", "meeting")
        .order_by("decided_at", "pk")
    )


def step_ups_waiting_for(user: User) -> QuerySet[StepUp]:
    """Step ups waiting for Children's Social Care's decision that a social worker may decide:
    those of families in the localities of their social care teams, and those of families whose
    locality has no social care team (as they are told, episodes/services/stepping.py); oldest first."""
    waiting = StepUp.objects.filter(decided_at__isnull=True, episode__state=EpisodeState.STEP_UP_REQUESTED,
                                    episode__family__in=families_visible_to(user))
    localities = list(Team.objects.filter(members=user, kind=TeamKind.SOCIAL_CARE, locality__isnull=False)
                      .values_list("locality_id", flat=True))
    if localities:
        covered = Team.objects.filter(kind=TeamKind.SOCIAL_CARE, locality__isnull=False).values("locality_id")
        waiting = waiting.filter(Q(episode__family__locality_id__in=localities) | Q(social_worker=user)
                                 | Q(episode__family__locality__isnull=True)
                                 | ~Q(episode__family__locality_id__in=covered))
    return waiting.select_related("episode", "episode__family", "requested_by").order_by("requested_at", "pk")


def step_downs_proposed_by(user: User) -> QuerySet[StepDown]:
    """The social worker's step downs waiting for early help's answer, oldest first."""
    return (StepDown.objects.filter(social_worker=user, status=StepDown.Status.PROPOSED)
            .select_related("family", "proposed_lead").order_by("proposed_at", "pk"))


def step_downs_waiting_for(user: User) -> QuerySet[StepDown]:
    """Step downs waiting for early help's answer that the user may decide (episodes/rules.py:
    the front door, and managers of the family's locality), oldest first. Each opens its family to
    the user ("step down awaiting early help" is the same rows), so no need-to-know filter is added."""
    return (step_downs_waiting_for_answer_from(user)
            .select_related("family", "social_worker").order_by("proposed_at", "pk"))


def assessments_supported_by(user: User) -> QuerySet[Assessment]:
    """An early help adviser helps practitioners progress assessments (DOMAIN §1): the assessments
    in progress in the adviser's teams, the one due first at the top."""
    return (
        Assessment.objects.filter(completed_on__isnull=True, episode__state=EpisodeState.ASSESSMENT,
                                  episode__team_id__in=team_ids_of(user),
                                  episode__family__in=families_visible_to(user))
        .select_related("episode", "episode__family", "episode__allocated_worker", "episode__lead_professional")
        .order_by("due_on", "pk")
    )


def oversight_due_in_teams(user: User) -> QuerySet[Episode]:
    """Open episodes of the manager's teams whose management oversight is due within DUE_SOON_DAYS
    or already late, the most overdue first."""
    soon = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
    return (_open_episodes().filter(team_id__in=team_ids_of(user), oversight_due_on__lte=soon,
                                    family__in=families_visible_to(user))
            .order_by("oversight_due_on", "opened_on", "pk"))


def work_queues_for(user: User, *, limit: int = HOME_QUEUE_ROWS) -> dict[str, Queue]:
    """The queues that are the user's, by role, each bounded to `limit` rows; roles without a
    queue get none (their template shows no section)."""
    role = user.role
    queues: dict[str, Queue] = {}
    if role in (Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.TEAM_MANAGER):
        queues["allocations"] = _bounded(allocations_waiting_to_start(user), limit)
    if role == Role.SOCIAL_WORKER:
        queues["step_ups"] = _bounded(step_ups_waiting_for(user), limit)
        queues["step_downs_proposed"] = _bounded(step_downs_proposed_by(user), limit)
    if role in (Role.TEAM_MANAGER, Role.FRONT_DOOR_OFFICER) and may(user, "episodes.list_step_downs"):
        queues["step_downs_waiting"] = _bounded(step_downs_waiting_for(user), limit)
    if role == Role.EARLY_HELP_ADVISER:
        queues["assessments_supported"] = _bounded(assessments_supported_by(user), limit)
    if role == Role.TEAM_MANAGER:
        queues["oversight_due"] = _bounded(oversight_due_in_teams(user), limit)
    return queues


def queue_family_ids(queues: dict[str, Queue]) -> list[int]:
    """The families the queues list, for the access record of the page that shows them."""
    ids = []
    for name, queue in queues.items():
        for row in queue.rows:
            if isinstance(row, AllocationDecision):
                ids.append(row.request.family_id)
            elif isinstance(row, (StepUp, Assessment)):
                ids.append(row.episode.family_id)
            else:
                ids.append(row.family_id)
    return ids
