"""Reads for managers' insight: dashboard aggregates, the lists behind them, team work, Supporting Families.

Aggregates are counted in the database, one query (or two) per figure, whatever the number of
episodes. Lists of families go through people/access.py: a team manager sees named families only
where need-to-know allows; a performance analyst sees reference numbers, teams, dates and stages,
never a name.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from earlyhelp.accounts.models import Locality, Role, Team, TeamKind, User
from earlyhelp.audit.services import access_record_create
from earlyhelp.episodes.models import (
    OPEN_EPISODE_STATES,
    Assessment,
    Closure,
    ClosureReason,
    DueKind,
    Episode,
    EpisodeState,
    LeadProfessionalAssignment,
    MonitoringForm,
    NeedOutcome,
    Outcome,
    StepDown,
    StepUp,
)
from earlyhelp.frontdoor.models import RequestForSupport, RequestStatus
from earlyhelp.people.access import families_visible_to
from earlyhelp.people.models import Family, FamilyMember, MemberRole
from earlyhelp.policy import may, require
from earlyhelp.standards import AssessmentFactor

from .models import FamilyOutcomeNeed

OPEN_STATES = sorted(OPEN_EPISODE_STATES)


def require_insight_role(user: User) -> None:
    require(user, "reporting.view_insight")


def shows_names(user: User) -> bool:
    """Team managers work with families; analysts see figures and reference numbers only."""
    return user.role == Role.TEAM_MANAGER


# --- Filters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    date_from: date
    date_to: date
    locality: Locality | None = None
    team: Team | None = None

    @property
    def starts(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def ends_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))


def default_period(today: date) -> tuple[date, date]:
    """The current month and the eleven before it: twelve whole months on every trend."""
    return date(today.year, today.month, 1) - relativedelta(months=11), today


def filter_choices() -> tuple[QuerySet[Locality], QuerySet[Team]]:
    teams = Team.objects.filter(kind=TeamKind.LOCALITY_EARLY_HELP).select_related("locality").order_by("name")
    return Locality.objects.order_by("name"), teams


def months_between(start: date, end: date) -> list[date]:
    month, months = date(start.year, start.month, 1), []
    while month <= end:
        months.append(month)
        month += relativedelta(months=1)
    return months


def _month_key(value) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return date(value.year, value.month, 1)


def _episode_scope(filters: Filters, prefix: str = "") -> Q:
    """Team and locality for episode-based figures: the episode's team, and that team's locality."""
    q = Q()
    if filters.team is not None:
        q &= Q(**{f"{prefix}team": filters.team})
    if filters.locality is not None:
        q &= Q(**{f"{prefix}team__locality": filters.locality})
    return q


def _request_scope(filters: Filters) -> Q:
    """Requests have no team until allocated: the allocation's team, and the family's locality."""
    q = Q(submitted_at__gte=filters.starts, submitted_at__lt=filters.ends_before)
    if filters.team is not None:
        q &= Q(allocation__team=filters.team)
    if filters.locality is not None:
        q &= Q(family__locality=filters.locality)
    return q


def _step_down_scope(filters: Filters) -> Q:
    q = Q(proposed_at__gte=filters.starts, proposed_at__lt=filters.ends_before)
    if filters.team is not None:
        q &= Q(episode__team=filters.team)
    if filters.locality is not None:
        q &= Q(family__locality=filters.locality)
    return q


def _counts(queryset: QuerySet, by: str) -> dict:
    return {row[by]: row["n"] for row in queryset.values(by).annotate(n=Count("pk")).order_by()}


# --- Aggregates (one or two queries each) ----------------------------------------------------


def requests_by_status(filters: Filters) -> dict[str, int]:
    counts = _counts(RequestForSupport.objects.filter(_request_scope(filters)), "status")
    return {status: counts.get(status, 0) for status in RequestStatus.values}


def open_episodes_by_state(filters: Filters) -> dict[str, int]:
    counts = _counts(Episode.objects.filter(_episode_scope(filters), state__in=OPEN_STATES), "state")
    return {state: counts.get(state, 0) for state in EpisodeState.values if state in OPEN_EPISODE_STATES}


@dataclass(frozen=True)
class Timeliness:
    month: date
    completed: int
    within: int

    @property
    def late(self) -> int:
        return self.completed - self.within

    @property
    def percent(self) -> int | None:
        return round(100 * self.within / self.completed) if self.completed else None


def _assessments_completed(filters: Filters) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        _episode_scope(filters, "episode__"), completed_on__gte=filters.date_from, completed_on__lte=filters.date_to
    )


def assessment_timeliness(filters: Filters) -> list[Timeliness]:
    """Completed within the 10 working days: completed_on on or before the stored due_on."""
    rows = (
        _assessments_completed(filters)
        .annotate(month=TruncMonth("completed_on"))
        .values("month")
        .annotate(completed=Count("pk"), within=Count("pk", filter=Q(completed_on__lte=F("due_on"))))
        .order_by()
    )
    by_month = {_month_key(row["month"]): row for row in rows}
    return [
        Timeliness(month, by_month.get(month, {}).get("completed", 0), by_month.get(month, {}).get("within", 0))
        for month in months_between(filters.date_from, filters.date_to)
    ]


def overdue_by_kind(filters: Filters, today: date) -> dict[str, int]:
    counts = _counts(
        Episode.objects.filter(_episode_scope(filters), state__in=OPEN_STATES, next_due_on__lt=today),
        "next_due_kind",
    )
    return {kind: counts.get(kind, 0) for kind in DueKind.values}


def no_review_in_12_weeks_by_team(filters: Filters, today: date) -> list[tuple[int | None, str, int]]:
    rows = (
        Episode.objects.filter(_episode_scope(filters), state__in=OPEN_STATES, review_latest_on__lt=today)
        .values("team_id", "team__name").annotate(n=Count("pk")).order_by("team__name")
    )
    return [(row["team_id"], row["team__name"] or "No team", row["n"]) for row in rows]


def stepping_by_month(filters: Filters) -> list[tuple[date, int, int]]:
    ups = (
        StepUp.objects.filter(_episode_scope(filters, "episode__"), requested_at__gte=filters.starts,
                              requested_at__lt=filters.ends_before)
        .annotate(month=TruncMonth("requested_at")).values("month").annotate(n=Count("pk")).order_by()
    )
    downs = (
        StepDown.objects.filter(_step_down_scope(filters))
        .annotate(month=TruncMonth("proposed_at")).values("month").annotate(n=Count("pk")).order_by()
    )
    up_counts, down_counts = {}, {}
    for target, rows in ((up_counts, ups), (down_counts, downs)):
        for row in rows:
            key = _month_key(row["month"])
            target[key] = target.get(key, 0) + row["n"]
    return [(month, up_counts.get(month, 0), down_counts.get(month, 0))
            for month in months_between(filters.date_from, filters.date_to)]


@dataclass(frozen=True)
class Caseload:
    worker_id: int | None
    name: str
    count: int


def caseload_by_worker(filters: Filters) -> list[Caseload]:
    rows = (
        Episode.objects.filter(_episode_scope(filters), state__in=OPEN_STATES)
        .values("allocated_worker_id", "allocated_worker__first_name", "allocated_worker__last_name",
                "allocated_worker__username")
        .annotate(n=Count("pk")).order_by()
    )
    caseloads = [
        Caseload(
            row["allocated_worker_id"],
            (f"{row['allocated_worker__first_name']} {row['allocated_worker__last_name']}".strip()
             or row["allocated_worker__username"]) if row["allocated_worker_id"] else "No allocated worker",
            row["n"],
        )
        for row in rows
    ]
    return sorted(caseloads, key=lambda c: (c.worker_id is None, -c.count, c.name))


def _closures(filters: Filters) -> QuerySet[Closure]:
    return Closure.objects.filter(
        _episode_scope(filters, "episode__"),
        episode__closed_on__gte=filters.date_from, episode__closed_on__lte=filters.date_to,
    )


def closures_by_reason(filters: Filters) -> dict[str, int]:
    counts = _counts(_closures(filters), "reason")
    return {reason: counts.get(reason, 0) for reason in ClosureReason.values}


def _factor_pattern(code: str) -> str:
    # The factors are a JSON list of codes; matching the quoted code in its text works on SQLite
    # and PostgreSQL alike, and the quotes stop "1A" matching "11A".
    return f'"{code}"'


def needs_profile(filters: Filters) -> tuple[int, dict[str, int]]:
    """Monitoring forms of assessments completed in the period, and how many list each factor."""
    forms = MonitoringForm.objects.filter(
        _episode_scope(filters, "assessment__episode__"),
        assessment__completed_on__gte=filters.date_from, assessment__completed_on__lte=filters.date_to,
    )
    if connection.vendor == "postgresql":
        # One pass over the forms' factor lists, not a text search per factor (50 of them):
        # at a council's size that is the difference between milliseconds and a second.
        factors_sql, params = forms.values("factors").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH forms (factors) AS ({factors_sql}) "
                "SELECT NULL, COUNT(*) FROM forms "
                "UNION ALL SELECT code, COUNT(*) FROM forms, jsonb_array_elements_text(forms.factors) AS code "
                "GROUP BY code",
                params,
            )
            found = dict(cursor.fetchall())
        total = found.pop(None, 0)
        return total, {code: found[code] for code in AssessmentFactor.values if found.get(code)}
    totals = forms.aggregate(
        forms=Count("pk"),
        **{f"f_{code}": Count("pk", filter=Q(factors__icontains=_factor_pattern(code)))
           for code in AssessmentFactor.values},
    )
    return totals["forms"], {code: totals[f"f_{code}"] for code in AssessmentFactor.values if totals[f"f_{code}"]}


def need_outcomes(filters: Filters) -> dict[str, int]:
    counts = _counts(
        NeedOutcome.objects.filter(
            _episode_scope(filters, "closure__episode__"),
            closure__episode__closed_on__gte=filters.date_from, closure__episode__closed_on__lte=filters.date_to,
        ),
        "result",
    )
    return {result: counts.get(result, 0) for result in NeedOutcome.Result.values}


PLAN_OUTCOME_KEYS = {"yes": True, "no": False, "unknown": None}


def plan_outcomes(filters: Filters) -> dict[str, int]:
    totals = Outcome.objects.filter(
        _episode_scope(filters, "episode__"), episode__state=EpisodeState.CLOSED,
        episode__closed_on__gte=filters.date_from, episode__closed_on__lte=filters.date_to,
    ).aggregate(
        yes=Count("pk", filter=Q(achieved=True)),
        no=Count("pk", filter=Q(achieved=False)),
        unknown=Count("pk", filter=Q(achieved__isnull=True)),
    )
    return {key: totals[key] for key in PLAN_OUTCOME_KEYS}


# --- The lists behind the figures ------------------------------------------------------------

LIST_EPISODES, LIST_REQUESTS, LIST_STEP_DOWNS = "episodes", "requests", "step_downs"


class UnknownFigure(ValueError):
    """The figure or the part of it asked for does not exist."""


def _month_range(key: str) -> tuple[date, date]:
    try:
        start = datetime.strptime(key, "%Y-%m").date()
    except ValueError:
        raise UnknownFigure(key) from None
    return start, start + relativedelta(months=1) - timedelta(days=1)


def _open_episodes(filters: Filters) -> QuerySet[Episode]:
    return Episode.objects.filter(_episode_scope(filters), state__in=OPEN_STATES)


def _episodes_closed_in_period(filters: Filters) -> QuerySet[Episode]:
    return Episode.objects.filter(_episode_scope(filters), state=EpisodeState.CLOSED,
                                  closed_on__gte=filters.date_from, closed_on__lte=filters.date_to)


def _assessment_list(filters: Filters, key: str) -> QuerySet[Episode]:
    month, result = "", key
    if key[:1].isdigit():  # "2026-03" or "2026-03:within"
        month, _, result = key.partition(":")
    assessments = _assessments_completed(filters)
    if month:
        start, end = _month_range(month)
        assessments = assessments.filter(completed_on__gte=start, completed_on__lte=end)
    if result == "within":
        assessments = assessments.filter(completed_on__lte=F("due_on"))
    elif result == "late":
        assessments = assessments.filter(completed_on__gt=F("due_on"))
    elif result:
        raise UnknownFigure(key)
    return Episode.objects.filter(pk__in=assessments.values("episode_id"))


def _step_up_list(filters: Filters, key: str) -> QuerySet[Episode]:
    step_ups = StepUp.objects.filter(_episode_scope(filters, "episode__"), requested_at__gte=filters.starts,
                                     requested_at__lt=filters.ends_before)
    if key:
        start, end = _month_range(key)
        step_ups = step_ups.filter(
            requested_at__gte=timezone.make_aware(datetime.combine(start, time.min)),
            requested_at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
        )
    return Episode.objects.filter(pk__in=step_ups.values("episode_id"))


def _step_down_list(filters: Filters, key: str) -> QuerySet[StepDown]:
    step_downs = StepDown.objects.filter(_step_down_scope(filters))
    if key:
        start, end = _month_range(key)
        step_downs = step_downs.filter(
            proposed_at__gte=timezone.make_aware(datetime.combine(start, time.min)),
            proposed_at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
        )
    return step_downs


def _checked(key: str, allowed) -> str:
    if key and key not in allowed:
        raise UnknownFigure(key)
    return key


def figure_queryset(figure: str, key: str, filters: Filters, today: date) -> tuple[str, QuerySet]:
    """What a figure counts, as a list: (kind of row, queryset), before any access rule."""
    if figure == "requests":
        requests = RequestForSupport.objects.filter(_request_scope(filters))
        if _checked(key, RequestStatus.values):
            requests = requests.filter(status=key)
        return LIST_REQUESTS, requests
    if figure == "open":
        episodes = _open_episodes(filters)
        if _checked(key, OPEN_STATES):
            episodes = episodes.filter(state=key)
        return LIST_EPISODES, episodes
    if figure == "assessments":
        return LIST_EPISODES, _assessment_list(filters, key)
    if figure == "overdue":
        episodes = _open_episodes(filters).filter(next_due_on__lt=today)
        if _checked(key, DueKind.values):
            episodes = episodes.filter(next_due_kind=key)
        return LIST_EPISODES, episodes
    if figure == "no_review":
        episodes = _open_episodes(filters).filter(review_latest_on__lt=today)
        if key == "none":
            episodes = episodes.filter(team__isnull=True)
        elif key:
            if not key.isdigit():
                raise UnknownFigure(key)
            episodes = episodes.filter(team_id=int(key))
        return LIST_EPISODES, episodes
    if figure == "step_ups":
        return LIST_EPISODES, _step_up_list(filters, key)
    if figure == "step_downs":
        return LIST_STEP_DOWNS, _step_down_list(filters, key)
    if figure == "caseload":
        episodes = _open_episodes(filters)
        if key == "none":
            episodes = episodes.filter(allocated_worker__isnull=True)
        elif key:
            if not key.isdigit():
                raise UnknownFigure(key)
            episodes = episodes.filter(allocated_worker_id=int(key))
        return LIST_EPISODES, episodes
    if figure == "closures":
        closures = _closures(filters)
        if _checked(key, ClosureReason.values):
            closures = closures.filter(reason=key)
        return LIST_EPISODES, Episode.objects.filter(pk__in=closures.values("episode_id"))
    if figure == "needs":
        forms = MonitoringForm.objects.filter(
            _episode_scope(filters, "assessment__episode__"),
            assessment__completed_on__gte=filters.date_from, assessment__completed_on__lte=filters.date_to,
        )
        if _checked(key, AssessmentFactor.values):
            forms = forms.filter(factors__icontains=_factor_pattern(key))
        return LIST_EPISODES, Episode.objects.filter(pk__in=forms.values("assessment__episode_id"))
    if figure == "need_outcomes":
        needs = NeedOutcome.objects.filter(
            _episode_scope(filters, "closure__episode__"),
            closure__episode__closed_on__gte=filters.date_from, closure__episode__closed_on__lte=filters.date_to,
        )
        if _checked(key, NeedOutcome.Result.values):
            needs = needs.filter(result=key)
        return LIST_EPISODES, Episode.objects.filter(pk__in=needs.values("closure__episode_id"))
    if figure == "plan_outcomes":
        outcomes = Outcome.objects.filter(episode__in=_episodes_closed_in_period(filters))
        if _checked(key, PLAN_OUTCOME_KEYS):
            achieved = PLAN_OUTCOME_KEYS[key]
            outcomes = outcomes.filter(achieved__isnull=True) if achieved is None else outcomes.filter(achieved=achieved)
        return LIST_EPISODES, Episode.objects.filter(pk__in=outcomes.values("episode_id"))
    raise UnknownFigure(figure)


@dataclass
class FigureList:
    kind: str
    rows: QuerySet
    total: int  # behind the figure, whoever is looking
    named: bool


def figure_list_for_user(user: User, figure: str, key: str, filters: Filters, today: date) -> FigureList:
    """The list behind a figure. Managers: the families they may see, named. Analysts: no names."""
    require_insight_role(user)
    kind, queryset = figure_queryset(figure, key, filters, today)
    total = queryset.count()
    named = shows_names(user)
    if named:
        queryset = queryset.filter(family__in=families_visible_to(user))
    if kind == LIST_REQUESTS:
        rows = queryset.select_related("family", "allocation__team").order_by("-submitted_at", "-pk")
    elif kind == LIST_STEP_DOWNS:
        rows = queryset.select_related("family", "episode__team").order_by("-proposed_at", "-pk")
    else:
        rows = queryset.select_related("family", "team", "allocated_worker").order_by("-opened_on", "-pk")
    if not named:
        # Belt and braces: the family's name is never even read for an analyst's list.
        rows = rows.defer("family__name", "family__address", "family__postcode")
    return FigureList(kind=kind, rows=rows, total=total, named=named)


# --- Team work ------------------------------------------------------------------------------

TEAM_WORK_SORTS = {
    "due": ("next_due_on",),
    "family": ("family__name",),
    "reference": ("reference",),
    "worker": ("allocated_worker__last_name", "allocated_worker__first_name"),
    "kind": ("next_due_kind",),
    "stage": ("state",),
}


def team_work_workers(user: User) -> list[User]:
    team_ids = list(user.teams.values_list("pk", flat=True))
    return list(User.objects.filter(teams__in=team_ids, is_active=True).distinct().order_by("last_name", "first_name"))


def team_work_list(
    user: User, *, worker: str = "", kind: str = "", overdue_only: bool = False, sort: str = "due",
    descending: bool = False, today: date,
) -> QuerySet[Episode]:
    """Every open episode of the manager's teams with its stored next due item."""
    require(user, "reporting.view_team_work")
    team_ids = list(user.teams.values_list("pk", flat=True))
    episodes = Episode.objects.filter(
        team_id__in=team_ids, state__in=OPEN_STATES, family__in=families_visible_to(user)
    ).select_related("family", "allocated_worker", "team")
    if worker == "none":
        episodes = episodes.filter(allocated_worker__isnull=True)
    elif worker.isdigit():
        episodes = episodes.filter(allocated_worker_id=int(worker))
    if kind in DueKind.values:
        episodes = episodes.filter(next_due_kind=kind)
    if overdue_only:
        episodes = episodes.filter(next_due_on__lt=today)
    fields = TEAM_WORK_SORTS.get(sort, TEAM_WORK_SORTS["due"])
    ordering = [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in fields]
    return episodes.order_by(*ordering, "reference")


# --- Supporting Families --------------------------------------------------------------------

SIX_MONTHS = relativedelta(months=6)
CRITERIA = (
    ("dependent_children", "Dependent children or an expectant parent"),
    ("three_outcomes", "Needs under at least three headline outcomes"),
    ("lead_practitioner", "A lead practitioner"),
    ("assessment", "A whole-family assessment"),
    ("family_plan", "A family plan covering every need"),
    ("sustained", "Every need's improvement sustained six months after closure"),
)


@dataclass(frozen=True)
class NeedSummary:
    headline_outcome: str
    in_family_plan: bool
    improvement_evidence: str
    sustained: bool | None
    sustained_checked_on: date | None


@dataclass
class FamilySummary:
    family_id: int
    name: str
    episode_reference: str | None
    closed_on: date | None
    youngest_child_born: date | None
    child_without_date_of_birth: bool
    expectant_parent: bool
    lead_practitioner: bool
    completed_assessment: bool
    plan_outcomes: bool
    needs: list[NeedSummary] = field(default_factory=list)
    results: dict[str, bool] = field(default_factory=dict)

    @property
    def meets_all(self) -> bool:
        return all(self.results.values())

    @property
    def result_list(self) -> list[tuple[str, str, bool]]:
        return [(key, label, self.results.get(key, False)) for key, label in CRITERIA]

    @property
    def sustained_due_on(self) -> date | None:
        return self.closed_on + SIX_MONTHS if self.closed_on else None


def _has_dependent_children(summary: FamilySummary, today: date) -> bool:
    if summary.expectant_parent or summary.child_without_date_of_birth:
        return True
    if summary.youngest_child_born is None:
        return False
    on = summary.closed_on or today
    born = summary.youngest_child_born
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day)) < 18


def _sustained(need: NeedSummary, closed_on: date | None) -> bool:
    return bool(
        closed_on is not None and need.improvement_evidence.strip() and need.sustained is True
        and need.sustained_checked_on is not None and need.sustained_checked_on >= closed_on + SIX_MONTHS
    )


def family_criteria(summary: FamilySummary, today: date) -> dict[str, bool]:
    """The programme's rules (STANDARDS.md), one answer per rule, in CRITERIA's order."""
    return {
        "dependent_children": _has_dependent_children(summary, today),
        "three_outcomes": len({need.headline_outcome for need in summary.needs}) >= 3,
        "lead_practitioner": summary.lead_practitioner,
        "assessment": summary.completed_assessment,
        "family_plan": summary.plan_outcomes and bool(summary.needs)
        and all(need.in_family_plan for need in summary.needs),
        "sustained": bool(summary.needs) and all(_sustained(need, summary.closed_on) for need in summary.needs),
    }


def _families_with_outcome_needs() -> QuerySet[Family]:
    """Families with recorded needs, annotated with their latest episode and the facts the rules use."""
    latest = Episode.objects.filter(family=OuterRef("pk")).order_by("-opened_on", "-pk")
    children = FamilyMember.objects.filter(
        family=OuterRef("pk"), left_on__isnull=True, role__in=[MemberRole.CHILD, MemberRole.UNBORN]
    )
    return (
        Family.objects.filter(pk__in=FamilyOutcomeNeed.objects.values("family_id"))
        .annotate(
            sf_episode_id=Subquery(latest.values("pk")[:1]),
            sf_episode_reference=Subquery(latest.values("reference")[:1]),
            sf_closed_on=Subquery(latest.values("closed_on")[:1]),
            sf_lead_id=Subquery(latest.values("lead_professional_id")[:1]),
            youngest_child_born=Subquery(
                children.filter(role=MemberRole.CHILD).values("family").annotate(m=Max("person__date_of_birth"))
                .values("m")[:1]
            ),
            child_without_dob=Exists(children.filter(person__date_of_birth__isnull=True)),
            expectant=Exists(FamilyMember.objects.filter(
                family=OuterRef("pk"), left_on__isnull=True, person__expected_date_of_birth__isnull=False
            )),
            sf_lead_history=Exists(LeadProfessionalAssignment.objects.filter(episode_id=OuterRef("sf_episode_id"))),
            sf_assessment=Exists(Assessment.objects.filter(episode_id=OuterRef("sf_episode_id"),
                                                           completed_on__isnull=False)),
            sf_plan=Exists(Outcome.objects.filter(episode_id=OuterRef("sf_episode_id"))),
        )
        .prefetch_related(Prefetch(
            "outcome_needs",
            queryset=FamilyOutcomeNeed.objects.only(
                "family_id", "headline_outcome", "in_family_plan", "improvement_evidence", "sustained",
                "sustained_checked_on",
            ),
        ))
        .order_by("pk")
    )


def _summary(family: Family, today: date) -> FamilySummary:
    summary = FamilySummary(
        family_id=family.pk, name=family.name, episode_reference=family.sf_episode_reference,
        closed_on=family.sf_closed_on, youngest_child_born=family.youngest_child_born,
        child_without_date_of_birth=family.child_without_dob, expectant_parent=family.expectant,
        lead_practitioner=bool(family.sf_lead_id) or family.sf_lead_history,
        completed_assessment=family.sf_assessment, plan_outcomes=family.sf_plan,
        needs=[NeedSummary(need.headline_outcome, need.in_family_plan, need.improvement_evidence,
                           need.sustained, need.sustained_checked_on) for need in family.outcome_needs.all()],
    )
    summary.results = family_criteria(summary, today)
    return summary


def supporting_families_list(user: User, *, today: date, meeting_only: bool = True,
                             meeting_ids: list[int] | None = None):
    """Families with recorded needs and how they stand against each rule; names for managers only.

    Managers see the families they may see; analysts see every family, by reference number.
    The whole list is worked out a page at a time (a sequence Paginator can slice); the families
    meeting the criteria are first narrowed in the database to those whose needs could, or given
    as `meeting_ids`, the council's list kept ready (reporting/summaries.py): then only the page's
    rows are worked out, afresh.
    """
    require_insight_role(user)
    named = shows_names(user)
    families = _families_with_outcome_needs()
    if named:
        families = families.filter(pk__in=families_visible_to(user).values("pk"))
    if not meeting_only:
        return _Summaries(families, today=today, named=named)
    if meeting_ids is not None and not named:
        # Every kept family is listed: counted and paged from the kept ids, only the page's asked for.
        return _Summaries(families, today=today, named=named, ids=sorted(meeting_ids))
    if meeting_ids is not None:
        return _Summaries(families.filter(pk__in=meeting_ids), today=today, named=named)
    return _meeting_all(families, today=today, named=named)


def families_meeting_the_criteria(today: date) -> list[int]:
    """Every family in the council meeting each Supporting Families criterion today (the list kept ready)."""
    return [summary.family_id for summary in _meeting_all(_families_with_outcome_needs(), today=today, named=False)]


def _meeting_all(families: QuerySet[Family], *, today: date, named: bool) -> list[FamilySummary]:
    candidates = _Summaries(families.filter(pk__in=_could_meet_the_criteria()), today=today, named=named)
    return [summary for summary in candidates if summary.meets_all]


def _could_meet_the_criteria() -> QuerySet:
    """Families whose recorded needs could meet the rules: three headline outcomes, every need in
    the family plan and its improvement sustained. Necessary, not sufficient: _summary decides."""
    return (
        FamilyOutcomeNeed.objects.values("family_id")
        .annotate(outcomes=Count("headline_outcome", distinct=True),
                  unsustained=Count("pk", filter=~Q(sustained=True)),
                  outside_the_plan=Count("pk", filter=Q(in_family_plan=False)))
        .filter(outcomes__gte=3, unsustained=0, outside_the_plan=0)
        .values("family_id")
    )


class _Summaries:
    """Family summaries worked out only for the rows asked for."""

    def __init__(self, families: QuerySet[Family], *, today: date, named: bool, ids: list[int] | None = None):
        # `ids`: the families listed, in the queryset's order (by pk), when already known.
        self.families, self.today, self.named, self.ids = families, today, named, ids

    def __len__(self) -> int:
        return len(self.ids) if self.ids is not None else self.families.count()

    def __getitem__(self, index):
        if self.ids is not None:
            rows = self.families.filter(pk__in=self.ids[index] if isinstance(index, slice) else [self.ids[index]])
            summaries = [self._summarise(family) for family in rows]
            return summaries if isinstance(index, slice) else summaries[0]
        if not isinstance(index, slice):
            return self._summarise(self.families[index])
        return [self._summarise(family) for family in self.families[index]]

    def __iter__(self):
        families = self.families.filter(pk__in=self.ids) if self.ids is not None else self.families
        return (self._summarise(family) for family in families.iterator(chunk_size=2000))

    def _summarise(self, family: Family) -> FamilySummary:
        summary = _summary(family, self.today)
        if not self.named:
            summary.name = ""
        return summary


def family_summary(family: Family, today: date) -> FamilySummary | None:
    found = _families_with_outcome_needs().filter(pk=family.pk).first()
    return _summary(found, today) if found is not None else None


def family_get_for_outcomes(user: User, family_id: int, *, path: str = "") -> Family:
    """The family, if the user may see it; the look is written to the audit trail."""
    family = get_object_or_404(Family, pk=family_id)
    require(user, "reporting.view_outcomes", family)
    access_record_create(user=user, family=family, what="Supporting Families outcomes", path=path)
    return family


def family_outcome_needs(family: Family) -> dict[str, FamilyOutcomeNeed]:
    return {need.headline_outcome: need for need in FamilyOutcomeNeed.objects.filter(family=family)}


def user_may_record_outcomes(user: User, family: Family) -> bool:
    return may(user, "reporting.record_outcomes", family)


FAMILIES_TO_RECORD = 20


def families_to_record(user: User) -> list[Family]:
    """Families whose early help with the manager's teams has closed, with no needs recorded yet."""
    team_ids = list(user.teams.values_list("pk", flat=True))
    return list(
        families_visible_to(user)
        .filter(episodes__team_id__in=team_ids, episodes__state=EpisodeState.CLOSED, outcome_needs__isnull=True)
        .annotate(last_closed_on=Max("episodes__closed_on"))
        .order_by("-last_closed_on", "pk")[:FAMILIES_TO_RECORD]
    )


def annex_a_problem_links(user: User, problems) -> dict[str, str]:
    """For a manager, where to correct each child's record, when they may see it; analysts get none."""
    from django.urls import NoReverseMatch, reverse

    from earlyhelp.reporting.annex_a import child_unique_id

    if not shows_names(user):
        return {}
    ids = {int(problem.child_id[2:]) for problem in problems if problem.child_id[2:].isdigit()}
    visible = FamilyMember.objects.filter(
        person_id__in=ids, left_on__isnull=True, family__in=families_visible_to(user)
    ).values_list("person_id", flat=True).distinct()
    links = {}
    for person_id in visible:
        try:
            links[child_unique_id(person_id)] = reverse("person-detail", kwargs={"person_id": person_id})
        except NoReverseMatch:  # the person page belongs to the people app
            return {}
    return links


def worker_name(user_id: int) -> str:
    worker = User.objects.filter(pk=user_id).only("first_name", "last_name", "username").first()
    return (worker.get_full_name() or worker.username) if worker else ""


def team_name(team_id: int) -> str:
    return Team.objects.filter(pk=team_id).values_list("name", flat=True).first() or ""
