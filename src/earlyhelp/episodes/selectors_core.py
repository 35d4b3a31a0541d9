"""Reads for the episode core pages: starting early help, the overview, the lead professional, My work.

Episode pages fetch the episode itself with selectors.episode_get_for_user (need-to-know and
audit); the reads here take that episode, or the user, and never widen what the user may see.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, Least
from django.shortcuts import get_object_or_404
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.audit.services import access_record_create
from earlyhelp.frontdoor.models import AllocationDecision
from earlyhelp.people.models import Family, Involvement, Person
from earlyhelp.policy import may, require

from .models import (
    OPEN_EPISODE_STATES,
    Disagreement,
    Episode,
    EpisodeChild,
    EpisodeEvent,
    LeadProfessionalAssignment,
)
from .services.core import (
    ALLOCATING_OUTCOMES,
    LEAD_ROLES,
    current_children_of_family,
)

# "Due soon": within this many days (DOMAIN is silent; five days is a working week's notice).
DUE_SOON_DAYS = 5
MY_WORK_PAGE_SIZE = 50
HOME_ROWS = 5
LEAD_SEARCH_LIMIT = 50


def family_get_for_episode_start(user: User, family_id: int, *, path: str = "") -> Family:
    """The family, if the user works with it; the look is written to the audit trail."""
    family = get_object_or_404(Family, pk=family_id)
    require(user, "people.view_family", family)
    access_record_create(user=user, family=family, what="Start early help", path=path)
    return family


def family_children_list(family: Family) -> list[Person]:
    return list(current_children_of_family(family).values())


def open_episode_for_family(family: Family) -> Episode | None:
    return Episode.objects.filter(family=family, state__in=OPEN_EPISODE_STATES).first()


def family_lead_professionals(family: Family) -> list[Involvement]:
    """Who already leads for the family's members, whoever recorded it: the people app's one read."""
    from earlyhelp.people.selectors import family_lead_professionals as leads

    return leads(family.pk)


def allocations_waiting_to_start(family: Family) -> list[AllocationDecision]:
    """Allocation meeting decisions for this family that early help has not started from yet."""
    return list(
        AllocationDecision.objects.filter(
            request__family=family, outcome__in=ALLOCATING_OUTCOMES, request__episodes__isnull=True
        )
        .select_related("request", "team", "practitioner", "meeting")
        .order_by("-decided_at")
    )


def allocated_worker_choices(user: User) -> list[User]:
    """Early help practitioners and advisers in the user's own teams."""
    return list(
        User.objects.filter(
            is_active=True, role__in=[Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER],
            teams__in=user.teams.all(),
        ).distinct().order_by("last_name", "first_name")
    )


@dataclass
class EpisodeOverview:
    children: list[EpisodeChild]
    former_children: list[EpisodeChild]
    addable_children: list[Person]
    events: list[EpisodeEvent]
    can_change: bool
    # Children of concern whose lead professional was recorded outside this episode.
    led_elsewhere: list[EpisodeChild] = field(default_factory=list)


# Titles for the timeline; kinds another stage adds without a title here read as their name.
EVENT_TITLES = {
    "opened": "Early help started",
    "child_added": "Child of concern added",
    "child_removed": "Child of concern removed",
    "lead_professional_chosen": "Lead professional chosen",
    "lead_professional_transferred": "Lead professional transferred",
    "disagreement_raised": "Disagreement recorded",
    "disagreement_resolved": "Outcome of a disagreement recorded",
    "consent_given": "Consent given",
    "consent_refused": "Consent refused",
    "consent_withdrawn": "Consent withdrawn",
    "assessment_completed": "Assessment completed",
    "plan_agreed": "Plan agreed",
    "step_up_requested": "Step up requested",
    "step_up_accepted": "Step up accepted",
    "step_up_declined": "Step up declined",
    "closed": "Episode closed",
    "consent_withdrawn_by_person": "Consent withdrawn",
    "sharing_decision": "Information sharing decision",
    "assessment_started": "Assessment started",
    "assessment_submitted": "Assessment sent for sign-off",
    "assessment_returned": "Assessment returned",
    "monitoring_form": "Monitoring form completed",
    "taf_meeting": "Team Around the Family meeting",
    "outcome_added": "Outcome added to the plan",
    "action_added": "Action added to the plan",
    "action_status": "Action updated",
    "review": "Plan reviewed",
    "stepped_down": "Stepped down from Children's Social Care",
    "existing_lead_checked": "Existing lead professional checked",
    "step_up_declined_to_consent": "Step up declined",
    "step_up_declined_to_assessment": "Step up declined",
    "step_up_declined_to_planning": "Step up declined",
}


def event_title(kind: str) -> str:
    return EVENT_TITLES.get(kind) or kind.replace("_", " ").capitalize()


def episode_overview(user: User, episode: Episode) -> EpisodeOverview:
    today = timezone.localdate()
    memberships = list(EpisodeChild.objects.filter(episode=episode).select_related("person"))
    for child in memberships:
        child.age = child.person.age_on(child.removed_on or today)
    events = list(EpisodeEvent.objects.filter(episode=episode).select_related("by", "by__agency"))
    for event in events:
        event.title = event_title(event.kind)
    current = [child for child in memberships if child.removed_on is None]
    current_ids = {child.person_id for child in current}
    # Each child's one lead professional, whoever recorded it (episodes/services/lead.py).
    leads = {
        involvement.person_id: involvement for involvement in Involvement.objects.filter(
            person_id__in=current_ids, is_lead_professional=True, ended_on__isnull=True,
        ).select_related("agency", "practitioner", "episode")
    }
    for child in current:
        child.lead = leads.get(child.person_id)
    can_change = episode.is_open and may(user, "episodes.change_episode", episode)
    addable = (
        [person for person in family_children_list(episode.family) if person.pk not in current_ids]
        if can_change else []
    )
    return EpisodeOverview(
        children=current,
        former_children=[child for child in memberships if child.removed_on is not None],
        addable_children=addable,
        events=events,
        can_change=can_change,
        led_elsewhere=[child for child in current if child.lead and child.lead.episode_id != episode.pk],
    )


def episode_child_get(episode: Episode, child_id: int) -> EpisodeChild:
    return get_object_or_404(EpisodeChild.objects.select_related("person"), pk=child_id, episode=episode)


def episode_current_child_total(episode: Episode) -> int:
    return EpisodeChild.objects.filter(episode=episode, removed_on__isnull=True).count()


def lead_history(episode: Episode) -> list[LeadProfessionalAssignment]:
    return list(
        LeadProfessionalAssignment.objects.filter(episode=episode).select_related("lead", "lead__agency", "assigned_by")
    )


def children_leads_elsewhere(episode: Episode) -> list[Involvement]:
    """The children of concern's current lead professionals recorded elsewhere than this episode:
    the procedure is to work with them (DOMAIN §2, §6)."""
    from .services.lead import other_leads

    return other_leads(episode)


def disagreements_list(episode: Episode) -> list[Disagreement]:
    return list(
        Disagreement.objects.filter(episode=episode)
        .select_related("raised_by", "raised_by__agency", "resolved_by")
        .order_by("-raised_at")
    )


def disagreement_get(episode: Episode, disagreement_id: int) -> Disagreement:
    return get_object_or_404(
        Disagreement.objects.select_related("raised_by", "episode"), pk=disagreement_id, episode=episode
    )


def lead_candidates_queryset() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=LEAD_ROLES).select_related("agency")


def lead_candidates(episode: Episode, *, search: str = "", include: int | None = None) -> list[User]:
    """Who could lead: matching the search by name, job or organisation, or those already involved.

    Without a search, the people already working with the family come first: the allocated
    worker, the current lead and practitioners recorded as involved with its members.
    """
    base = lead_candidates_queryset().order_by("last_name", "first_name", "pk")
    search = search.strip()
    if search:
        query = Q()
        for word in search.split()[:4]:
            query &= (
                Q(first_name__icontains=word) | Q(last_name__icontains=word)
                | Q(job_title__icontains=word) | Q(agency__name__icontains=word)
            )
        candidates = list(base.filter(query)[:LEAD_SEARCH_LIMIT])
    else:
        involved = Q(pk__in=[pk for pk in (episode.allocated_worker_id, episode.lead_professional_id) if pk])
        involved |= Q(
            involvements__person__memberships__family_id=episode.family_id,
            involvements__ended_on__isnull=True,
        )
        candidates = list(base.filter(involved).distinct()[:LEAD_SEARCH_LIMIT])
    if include and all(candidate.pk != include for candidate in candidates):
        candidates += list(base.filter(pk=include))
    return candidates


def _open_episodes() -> QuerySet[Episode]:
    current_children = Prefetch(
        "children",
        queryset=EpisodeChild.objects.filter(removed_on__isnull=True).select_related("person"),
        to_attr="current_children",
    )
    return (
        Episode.objects.filter(state__in=OPEN_EPISODE_STATES)
        .select_related("family", "team", "lead_professional", "allocated_worker")
        .prefetch_related(current_children)
        # Straight from the stored, indexed due date: most urgent first, nothing due last.
        .order_by(F("next_due_on").asc(nulls_last=True), "opened_on", "pk")
    )


def my_work_list(user: User) -> QuerySet[Episode]:
    """The user's open episodes, as lead professional or allocated worker, most urgent first."""
    return _open_episodes().filter(Q(lead_professional=user) | Q(allocated_worker=user))


def team_late_work_list(user: User) -> QuerySet[Episode]:
    """Open episodes of the manager's teams whose next thing, or management oversight, is already
    late (both stored and indexed with the team), most overdue first."""
    team_ids = list(user.teams.values_list("pk", flat=True))
    today = timezone.localdate()
    # Least of the two, either of which may be empty (SQLite's MIN() is NULL if one is).
    first_late = Least(Coalesce("next_due_on", "oversight_due_on"), Coalesce("oversight_due_on", "next_due_on"))
    return (
        _open_episodes().filter(team_id__in=team_ids)
        .filter(Q(next_due_on__lt=today) | Q(oversight_due_on__lt=today))
        .order_by(first_late.asc(), "opened_on", "pk")
    )


def due_dates() -> dict[str, date]:
    """The dates a work list compares each stored due date with."""
    today = timezone.localdate()
    return {"today": today, "soon": today + timedelta(days=DUE_SOON_DAYS)}
