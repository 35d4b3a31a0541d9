"""Early help episodes in every state, with believable histories, made with bulk inserts.

Each episode's story is worked out in Python first (day offsets from its opening), then
dated so that its last step falls on or before today, then written in a handful of
bulk_create calls per chunk of families. What is due next is worked out here with the same
rules as episodes/due.py, so work lists are right without calling a service per episode.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from faker import Faker

from earlyhelp.accounts.models import AgencyKind, Role, Team, TeamKind, User
from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.calendar.working_days import add_working_days, closure_days
from earlyhelp.episodes.due import (
    CONSENT_WORKING_DAYS,
    FIRST_TAF_WORKING_DAYS,
    STEP_UP_DECISION_WORKING_DAYS,
    review_dates,
)
from earlyhelp.episodes.models import (
    ActionStatus,
    Assessment,
    AssessmentChildSection,
    Closure,
    ClosureReason,
    Disagreement,
    DueKind,
    Episode,
    EpisodeChild,
    EpisodeEvent,
    EpisodeState,
    FamilyRating,
    LeadProfessionalAssignment,
    MonitoringForm,
    NeedOutcome,
    Outcome,
    OutcomeProgress,
    PlanAction,
    PlanVersion,
    Review,
    ReviewDecision,
    StepDown,
    StepUp,
    StepUpReason,
    SubdimensionRating,
    TafMeeting,
)
from earlyhelp.episodes.transitions import TRANSITIONS, Action
from earlyhelp.frontdoor.models import AllocationDecision, AllocationOutcome, Notification
from earlyhelp.people.models import CHILD_ROLES, Family, FamilyMember, MemberRole
from earlyhelp.sharing.models import (
    Consent,
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
    LawfulBasis,
    SharingDecision,
)
from earlyhelp.standards import (
    FRAMEWORK_SUBDIMENSIONS,
    AssessmentFactor,
    CinReferralSource,
    FrameworkDomain,
    PrimaryNeed,
)

from .bulk import bulk_insert, new_row
from .organisations import Organisations, area_team, teams_by_locality

S = EpisodeState
# The share of families with an episode, and how many families are worked on at once.
EPISODE_SHARE = 0.6
CHUNK = 1000
# SQLite allows a limited number of query parameters: look rows up in smaller pieces.
LOOKUP_CHUNK = 500
ADULT_ROLES = (MemberRole.PARENT, MemberRole.STEP_PARENT, MemberRole.CARER)


@dataclass(frozen=True)
class Scenario:
    state: str
    closure: str = ""
    declined_step_up: bool = False


# Every state and every closure reason, with how often each happens.
SCENARIOS: tuple[tuple[Scenario, int], ...] = (
    (Scenario(S.AWAITING_CONSENT), 7),
    (Scenario(S.ASSESSMENT), 12),
    (Scenario(S.PLANNING), 6),
    (Scenario(S.PLAN_ACTIVE), 22),
    (Scenario(S.PLAN_ACTIVE, declined_step_up=True), 2),
    (Scenario(S.STEP_UP_REQUESTED), 3),
    (Scenario(S.CLOSED, ClosureReason.NEEDS_MET), 14),
    (Scenario(S.CLOSED, ClosureReason.STEPPED_UP), 4),
    (Scenario(S.CLOSED, ClosureReason.STEPPED_DOWN), 5),
    (Scenario(S.CLOSED, ClosureReason.CONSENT_REFUSED), 5),
    (Scenario(S.CLOSED, ClosureReason.CONSENT_WITHDRAWN), 4),
    (Scenario(S.CLOSED, ClosureReason.MOVED_AWAY), 4),
    (Scenario(S.CLOSED, ClosureReason.REACHED_18), 2),
    (Scenario(S.CLOSED, ClosureReason.OTHER), 2),
)
OVERDUE_SHARE = 0.3
# Earlier, closed episodes per family over the five years before the current one: with the
# current episodes (about 60% of families) a council has about 1.5 episodes per family.
EARLIER_EPISODES = {0: 30, 1: 50, 2: 20}
HISTORY_DAYS = 5 * 365
# How often a timeline step also left a record of someone opening the episode's pages.
VIEWED_SHARE = 0.6
# Decisions to share without consent, each with its public-interest basis (DOMAIN §4).
WITHOUT_CONSENT_SHARE = 0.03
SHARED_WHAT = (
    "The Early Help Assessment and the family's plan",
    "The plan and the dates of the next Team Around the Family meeting",
    "Attendance concerns and the actions agreed at the last review",
)

CHILD_WORDS = (
    "I want mum and dad to stop shouting.", "I like school but I get tired because I can't sleep.",
    "I want to see my dad more.", "I worry about mum when I'm at school.",
    "I'd like my own space to do homework.", "I don't like it when people come round late at night.",
    "I want to go to football club again.", "Nobody listens to me at home.",
)
HOW_HEARD = (
    "Seen alone at school with the designated safeguarding lead.", "Talked during a home visit while drawing together.",
    "Used a three houses worksheet at the children's centre.", "Observed at nursery; too young to talk about it.",
    "Talked in the car on the way to an appointment.",
)
PARENT_VIEWS = (
    "Mum says things have been hard since she lost her job and she wants help with the rent arrears.",
    "Dad feels the school blames him for the attendance and wants someone to help with mornings.",
    "Both parents agree the arguments have got worse and want the children not to hear them.",
    "Mum wants help to get the youngest assessed for autism; she feels nobody has listened.",
)
CHANGE = (
    "Regular routines at bedtime and in the morning so the children get to school on time.",
    "The parents to manage conflict away from the children.",
    "Secure housing and a plan for the debts.",
    "The children to be safe online and to know who to talk to.",
)
IMPACT = (
    "Attendance will keep falling and the children will fall further behind.",
    "The children will keep being exposed to conflict, which is already affecting their sleep and behaviour.",
    "The family may lose their home, which would mean a move away from school and friends.",
)
OUTCOME_WORDS = (
    "We want the kids to get to school every day, on time.", "We want a calmer house with less shouting.",
    "We want to stay in our home and not be worried about money.", "I want to feel less anxious and go out more.",
    "We want Jake to have friends and enjoy school again.", "We want to know how to keep the children safe online.",
)
ACTIONS = (
    ("Make a morning routine chart with the children", "person"),
    ("Refer to the parenting programme at the family hub", "user"),
    ("Arrange a meeting with the housing officer about the arrears", "agency"),
    ("Attend the school attendance meeting", "person"),
    ("Complete the referral to CAMHS", "agency"),
    ("Weekly check-in with the children at school", "agency"),
    ("Apply for the household support fund", "person"),
    ("Book a GP appointment for mum's anxiety", "person"),
    ("Home visit to review progress with the family", "user"),
)
TAF_DISCUSSED = (
    "Attendance, the housing situation and what the children said in the assessment.",
    "Progress since the last meeting; school reports things are calmer at home.",
    "Mum's health and who can help with the school run.",
)
TAF_DECIDED = (
    "Family agreed the plan; the lead professional will chase the housing referral.",
    "Continue with the plan; school to feed back weekly on attendance.",
    "Add an action for a young carers assessment.",
)
REVIEW_NEEDS = (
    "", "", "School now worried about the eldest's friendships.", "Rent arrears have grown since the last review.",
)
STEP_UP_DETAILS = (
    "The eldest disclosed that mum's partner hit him last weekend. Police were called.",
    "No engagement for eight weeks despite visits and letters; the baby has missed health checks.",
    "Needs have not reduced after six months of coordinated support and school reports the children hungry.",
)
STEP_UP_DECISIONS = (
    "Threshold met. Allocated for a child and family assessment.",
    "Section 47 enquiry started; strategy discussion held today.",
)
STEP_UP_DECLINED_NOTES = (
    "Below the threshold for social care: early help should continue with the added support of the school nurse.",
    "Needs can be met by early help; advice given to the lead professional about the family's engagement.",
)
CLOSING_SUMMARIES = {
    ClosureReason.NEEDS_MET: "You have done really well: the children are in school every day and things at home are calmer. "
                             "If you need help again, contact the early help hub.",
    ClosureReason.STEPPED_UP: "Children's Social Care is now working with your family. Your social worker is your main contact.",
    ClosureReason.STEPPED_DOWN: "Your family no longer needs a plan; the school and health visitor will keep in touch.",
    ClosureReason.CONSENT_REFUSED: "You told us you do not want early help now. You can ask for help at any time.",
    ClosureReason.CONSENT_WITHDRAWN: "You told us you no longer want early help. You can ask for help again at any time.",
    ClosureReason.MOVED_AWAY: "We have shared your plan with your new council, with your agreement, so you need not start again.",
    ClosureReason.REACHED_18: "Now that you are 18, adult services will support you; we have introduced you to them.",
    ClosureReason.OTHER: "Your family is now supported by another service; we have handed over your plan.",
}
NEW_AUTHORITIES = ("Leeds City Council", "Bristol City Council", "Kent County Council", "Cornwall Council")
HANDOVER_NOTES = (
    "Family prefer texts before visits. Housing referral made; waiting for the appointment. Next review due soon.",
    "Mum works Tuesdays and Thursdays. The school DSL is the best contact for the children. Actions are up to date.",
    "I am leaving the team. The family know and agreed to the change; introduced at the last home visit.",
)
DISAGREEMENT_DETAILS = {
    Disagreement.Topic.LEAD: "The school feels the health visitor should lead as the concerns are mainly about the baby.",
    Disagreement.Topic.LEVEL: "The police vulnerability hub thinks the concerns meet the threshold for social care; early help disagrees.",
}
DISAGREEMENT_OUTCOMES = (
    "Discussed at the locality escalation meeting: the current lead continues, with the health visitor at every TAF.",
    "Consultation with Children's Social Care: below threshold, early help continues with a review in four weeks.",
)
REMOVAL_REASONS = (
    "Moved to live with their father in another authority.", "Needs now met through school support alone.",
    "Now supported by the disabled children's service.",
)
REFUSAL_REASONS = (
    "Mum says they are managing and does not want services involved.",
    "Dad does not want information shared with the school.",
)
WITHDRAWAL_REASONS = (
    "The family said they no longer want support now that dad has moved out.",
    "Mum felt the visits were too much alongside work.",
)
STEP_DOWN_SUMMARIES = (
    "Child and family assessment complete: risks reduced since mum's partner left; the family engage well.",
    "Child in need plan ended: the children are safe, but the family still need help with routines and school.",
)
STEP_DOWN_HANDOVERS = (
    "Introduce the early help practitioner at a joint visit; social worker attends the first TAF and stays available.",
    "Share the final assessment with the family's agreement; school to continue the daily check-ins.",
)
STEP_DOWN_RETURNS = (
    "The family have not been told about the step down and have not agreed to early help.",
)
SERVICES_NEEDED = (AgencyKind.SCHOOL, AgencyKind.HEALTH_VISITING, AgencyKind.HOUSING, AgencyKind.CAMHS, AgencyKind.VOLUNTARY)
NEEDS = (
    AssessmentFactor.DOMESTIC_ABUSE_PARENT, AssessmentFactor.MENTAL_HEALTH_PARENT, AssessmentFactor.MENTAL_HEALTH_CHILD,
    AssessmentFactor.ALCOHOL_PARENT, AssessmentFactor.DRUGS_PARENT, AssessmentFactor.NEGLECT,
    AssessmentFactor.YOUNG_CARER, AssessmentFactor.SOCIALLY_UNACCEPTABLE, AssessmentFactor.PHYSICAL_DISABILITY_CHILD,
    AssessmentFactor.LEARNING_DISABILITY_CHILD, AssessmentFactor.MISSING, AssessmentFactor.OTHER,
)
SUBDIMENSIONS = [key for items in FRAMEWORK_SUBDIMENSIONS.values() for key, _ in items]
SUBDIMENSION_LABELS = {key: label for items in FRAMEWORK_SUBDIMENSIONS.values() for key, label in items}
CHILD_SUBDIMENSIONS = {key for key, _ in FRAMEWORK_SUBDIMENSIONS[FrameworkDomain.CHILD_DEVELOPMENT]}
FAMILY_ENVIRONMENT_KEYS = {key for key, _ in FRAMEWORK_SUBDIMENSIONS[FrameworkDomain.FAMILY_ENVIRONMENT]}


@dataclass
class Member:
    person_id: int
    role: str
    first_name: str
    last_name: str
    date_of_birth: date | None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class People:
    """The users the seed can give work to."""

    workers_by_team: dict[int, list[User]]
    managers_by_team: dict[int, list[User]]
    locality_teams: list[Team]
    teams_by_locality: dict[int, list[Team]]
    partners: list[User]
    social_workers: list[User]
    demo: dict[str, User]
    agency_names: dict[int, str]


@dataclass
class Batch:
    """Everything one chunk of families will insert, in dependency order."""

    episodes: list = field(default_factory=list)
    children: list = field(default_factory=list)
    leads: list = field(default_factory=list)
    disagreements: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    consent_agencies: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    family_ratings: list = field(default_factory=list)
    monitoring: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    meeting_practitioners: list = field(default_factory=list)
    meeting_agencies: list = field(default_factory=list)
    meeting_family: list = field(default_factory=list)
    outcomes: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    progress: list = field(default_factory=list)
    versions: list = field(default_factory=list)  # (episode, number, made_on, by, review, progress map)
    step_ups: list = field(default_factory=list)
    closures: list = field(default_factory=list)
    need_outcomes: list = field(default_factory=list)
    events: list = field(default_factory=list)
    step_downs: list = field(default_factory=list)
    step_down_children: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    sharing: list = field(default_factory=list)
    access: list = field(default_factory=list)


class Clock:
    """Times for one episode's rows, in working hours: later than anything earlier the same day."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.last: dict[date, datetime] = {}

    def at(self, day: date) -> datetime:
        last = self.last.get(day)
        if last is None:
            moment = timezone.make_aware(datetime.combine(day, time(9, 0)) + timedelta(minutes=self.rng.randrange(0, 300)))
        else:
            moment = last + timedelta(minutes=self.rng.randrange(1, 20))
        self.last[day] = moment
        return moment


def seed_episodes(
    *, rng: random.Random, fake: Faker, organisations: Organisations, families: Sequence[Family],
    history_rng: random.Random | None = None,
) -> list[Episode]:
    """Episodes for about 60% of the families, and earlier closed ones over five years.

    Every state and closure reason appears. The earlier episodes draw from `history_rng`, so
    the current episodes are the same with or without them.
    """
    history_rng = history_rng or random.Random(f"{rng.random()}-history")
    ordered = sorted(families, key=lambda family: family.pk)
    people = _people(organisations)
    if not ordered or not people.locality_teams or not any(people.workers_by_team.values()):
        return []
    today = timezone.localdate()
    closed = closure_days()
    references = _ReferenceCounter()
    agencies = [agency for kind in (AgencyKind.SCHOOL, AgencyKind.HEALTH_VISITING, AgencyKind.HOUSING,
                                    AgencyKind.VOLUNTARY, AgencyKind.CAMHS, AgencyKind.GP_PRACTICE)
                for agency in organisations.agencies.get(kind, [])]
    demo_plan = _demo_plan(people)
    created: list[Episode] = []
    current_count = 0
    all_members = _members_by_family([family.pk for family in ordered])
    all_allocations = _allocations_by_family([family.pk for family in ordered])
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        members, allocations = all_members, all_allocations
        batch = Batch()
        for family in chunk:
            family_members = members.get(family.pk, [])
            children = [member for member in family_members if member.role in CHILD_ROLES]
            adults = [member for member in family_members if member.role in ADULT_ROLES]
            if not children or not adults:
                continue
            demo = demo_plan.pop(0) if demo_plan and _fits_demo(family, people) else None
            if demo is not None and demo["scenario"] is None:
                _step_down_without_episode(batch, rng=rng, family=family, children=children, people=people,
                                           today=today, status=demo["step_down_status"],
                                           social_worker=demo["step_down_by"])
                continue
            story_args = dict(batch=batch, today=today, closed=closed, references=references, people=people,
                              agencies=agencies, family=family, adults=adults)
            if demo is None and rng.random() >= EPISODE_SHARE:
                if rng.random() < 0.02:
                    _step_down_without_episode(batch, rng=rng, family=family, children=children, people=people,
                                               today=today)
                _earlier_episodes(history_rng, story_args, children, after_days=0)
                continue
            scenario = demo["scenario"] if demo else _scenario(rng, current_count)
            current_count += 1
            current = _Story(rng=rng, children=children, scenario=scenario, demo=demo,
                             allocation=allocations.get(family.pk), **story_args)
            current.build()
            _earlier_episodes(history_rng, story_args, children,
                              after_days=(today - current.episode.opened_on).days)
        created += _write(batch)
    return created


CLOSED_SCENARIOS = [(scenario, weight) for scenario, weight in SCENARIOS if scenario.state == S.CLOSED]


def _earlier_episodes(rng: random.Random, story_args: dict, children: list[Member], *, after_days: int) -> None:
    """Closed episodes from the years before, each closed before the next one opened."""
    count = rng.choices(list(EARLIER_EPISODES), weights=list(EARLIER_EPISODES.values()))[0]
    shift = after_days
    today = story_args["today"]
    for _ in range(count):
        shift += rng.randint(30, 500)
        if shift >= HISTORY_DAYS:
            return
        scenario = rng.choices([s for s, _ in CLOSED_SCENARIOS], weights=[w for _, w in CLOSED_SCENARIOS])[0]
        story = _Story(rng=rng, children=children, scenario=scenario, demo=None, allocation=None,
                       shift=shift, **story_args)
        if shift + story.planned["now"] >= HISTORY_DAYS:
            return
        # Only children born by then were of concern then.
        opened_on = today - timedelta(days=shift + story.planned["now"])
        story.children = [child for child in children if child.date_of_birth and child.date_of_birth < opened_on]
        if not story.children:
            return
        story.build()
        shift += story.planned["now"]


def _fits_demo(family: Family, people: People) -> bool:
    # Demo work belongs to the demo team's locality when families have one.
    team = area_team(people.teams_by_locality, family.locality_id, family.pk)
    demo_team = _demo_team(people)
    return team is None or demo_team is None or team.pk == demo_team.pk


def _demo_team(people: People) -> Team | None:
    practitioner = people.demo.get("practitioner")
    if practitioner is None:
        return None
    for team_id, workers in people.workers_by_team.items():
        if practitioner in workers:
            return next((team for team in people.locality_teams if team.pk == team_id), None)
    return None


def _demo_plan(people: People) -> list[dict]:
    """The demo users' work, so every demo sign-in has something real on its pages."""
    practitioner, partner = people.demo.get("practitioner"), people.demo.get("partner")
    social_worker = people.demo.get("socialworker")
    plan: list[dict] = []
    if practitioner is not None:
        for scenario, late, lead in (
            (Scenario(S.AWAITING_CONSENT), True, practitioner),
            (Scenario(S.ASSESSMENT), True, practitioner),
            (Scenario(S.ASSESSMENT), False, practitioner),
            (Scenario(S.PLANNING), False, practitioner),
            (Scenario(S.PLAN_ACTIVE), True, practitioner),
            (Scenario(S.PLAN_ACTIVE), False, practitioner),
            (Scenario(S.PLAN_ACTIVE), False, partner or practitioner),
            (Scenario(S.PLAN_ACTIVE), True, partner or practitioner),
            (Scenario(S.CLOSED, ClosureReason.NEEDS_MET), False, practitioner),
        ):
            plan.append({"scenario": scenario, "late": late, "worker": practitioner, "lead": lead})
    if partner is not None:
        plan.append({"scenario": Scenario(S.PLAN_ACTIVE), "late": False, "worker": None, "lead": partner})
    for _ in range(3):
        plan.append({"scenario": Scenario(S.STEP_UP_REQUESTED), "late": False, "worker": None, "lead": None,
                     "notify": social_worker})
    if social_worker is not None:
        plan.append({"scenario": Scenario(S.CLOSED, ClosureReason.STEPPED_UP), "late": False, "worker": None,
                     "lead": None, "social_worker": social_worker})
        plan.append({"scenario": Scenario(S.PLAN_ACTIVE, declined_step_up=True), "late": False, "worker": None,
                     "lead": None, "social_worker": social_worker})
        plan.append({"scenario": Scenario(S.ASSESSMENT), "late": False, "worker": None, "lead": None,
                     "step_down_by": social_worker})
        for status in (StepDown.Status.PROPOSED, StepDown.Status.PROPOSED, StepDown.Status.RETURNED):
            plan.append({"scenario": None, "step_down_status": status, "step_down_by": social_worker})
    return plan


def _scenario(rng: random.Random, index: int) -> Scenario:
    # The first episodes go through every scenario once, so even a small seed has them all.
    if index < len(SCENARIOS):
        return SCENARIOS[index][0]
    return rng.choices([scenario for scenario, _ in SCENARIOS], weights=[weight for _, weight in SCENARIOS])[0]


class _ReferenceCounter:
    """EP-<year>-<number>, numbered on from any episodes already in the database."""

    def __init__(self):
        self.last: dict[int, int] = {}

    def next(self, year: int) -> str:
        if year not in self.last:
            prefix = f"EP-{year}-"
            last = Episode.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))["last"]
            self.last[year] = int(last.removeprefix(prefix)) if last else 0
        self.last[year] += 1
        return f"EP-{year}-{self.last[year]:06d}"


def _people(organisations: Organisations) -> People:
    users = organisations.users
    locality_teams = list(organisations.teams.get(TeamKind.LOCALITY_EARLY_HELP, []))
    team_roles = {Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.TEAM_MANAGER}
    by_pk = {user.pk: user for role in team_roles for user in users.get(role, [])}
    locality_team_ids = {team.pk for team in locality_teams}
    workers: dict[int, list[User]] = {team.pk: [] for team in locality_teams}
    managers: dict[int, list[User]] = {team.pk: [] for team in locality_teams}
    memberships = User.teams.through.objects.filter(
        team_id__in=locality_team_ids, user__role__in=team_roles
    ).values_list("user_id", "team_id").order_by("team_id", "user_id")
    for user_id, team_id in memberships:
        user = by_pk.get(user_id)
        if user is None:
            continue
        if user.role == Role.TEAM_MANAGER:
            managers[team_id].append(user)
        else:
            # Practitioners hold most families; advisers a few.
            workers[team_id].extend([user] * (3 if user.role == Role.EARLY_HELP_PRACTITIONER else 1))
    demo = {
        user.username: user for role_users in users.values() for user in role_users
        if user.username in ("practitioner", "partner", "manager", "socialworker", "adviser")
    }
    return People(
        workers_by_team=workers, managers_by_team=managers, locality_teams=locality_teams,
        teams_by_locality=teams_by_locality(locality_teams),
        partners=list(users.get(Role.PARTNER_PRACTITIONER, [])),
        social_workers=list(users.get(Role.SOCIAL_WORKER, [])),
        demo=demo,
        agency_names={agency.pk: agency.name for agencies in organisations.agencies.values() for agency in agencies},
    )


def _members_by_family(family_ids: list[int]) -> dict[int, list[Member]]:
    members: dict[int, list[Member]] = {}
    if not family_ids:
        return members
    # One pass over the range of keys, not one query per few hundred families: while the seed
    # loads in bulk there is no index on family_id to make those cheap.
    wanted = set(family_ids)
    rows = FamilyMember.objects.filter(
        family_id__gte=min(family_ids), family_id__lte=max(family_ids), left_on__isnull=True
    ).values_list(
        "family_id", "person_id", "role", "person__first_name", "person__last_name", "person__date_of_birth"
    ).order_by("family_id", "person_id")
    for family_id, person_id, role, first, last, born in rows.iterator(chunk_size=10000):
        if family_id in wanted:
            members.setdefault(family_id, []).append(Member(person_id, role, first, last, born))
    return members


def _allocations_by_family(family_ids: list[int]) -> dict[int, AllocationDecision]:
    """Allocation meeting decisions the front-door seed made: the episode starts from them."""
    found: dict[int, AllocationDecision] = {}
    for start in range(0, len(family_ids), LOOKUP_CHUNK):
        decisions = AllocationDecision.objects.filter(
            request__family_id__in=family_ids[start:start + LOOKUP_CHUNK],
            outcome__in=[AllocationOutcome.ALLOCATE_TEAM, AllocationOutcome.ALLOCATE_PRACTITIONER],
        ).select_related("request", "practitioner").order_by("request__family_id", "decided_at", "pk")
        for decision in decisions:
            found[decision.request.family_id] = decision
    return found


def _new(model, parents: dict, **values):
    """A row whose parent rows are not saved yet: their keys are filled in just before its insert.

    Setting plain *_id values keeps building millions of rows cheap.
    """
    row = new_row(model, **values)
    row.seed_parents = parents
    return row


def _fill_parents(rows: list) -> None:
    for row in rows:
        for attname, parent in getattr(row, "seed_parents", {}).items():
            setattr(row, attname, parent.pk)


def _id(user: User | None) -> int | None:
    return user.pk if user is not None else None


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _dwell(rng: random.Random, span: int, late: bool) -> int:
    """Days spent so far in the current step: past its due date when late."""
    return span + rng.randint(3, 25) if late else rng.randint(0, max(0, span - 4))


class _Story:
    """One episode's history: planned as day offsets, then dated and turned into rows."""

    def __init__(self, *, batch: Batch, rng: random.Random, today: date, closed: frozenset[date],
                 references: _ReferenceCounter, people: People, agencies: list, family: Family,
                 children: list[Member], adults: list[Member], scenario: Scenario, demo: dict | None,
                 allocation: AllocationDecision | None, shift: int = 0):
        self.batch, self.rng, self.today, self.closed = batch, rng, today, closed
        # Days before today at which this story's "now" falls: earlier episodes are moved back.
        self.shift = shift
        self._planned: dict | None = None
        self.references, self.people, self.agencies = references, people, agencies
        self.family, self.children, self.adults = family, children, adults
        self.scenario, self.demo, self.allocation = scenario, demo or {}, allocation
        self.clock = Clock(rng)
        self.child_rows: list[EpisodeChild] = []
        self.lead_rows: list[LeadProfessionalAssignment] = []
        self.outcomes: list[tuple[Outcome, list[PlanAction]]] = []
        self.step_up: StepUp | None = None

    # --- planning the story --------------------------------------------------------------

    def _plan(self) -> dict:
        """Offsets in days from the opening for each step the scenario reaches."""
        rng, scenario = self.rng, self.scenario
        late = self.demo.get("late", rng.random() < OVERDUE_SHARE)
        plan: dict = {"late": late, "reviews": []}
        closure = scenario.closure
        if scenario.state == S.AWAITING_CONSENT:
            plan["now"] = _dwell(rng, 7, late)
            return plan
        plan["consent"] = rng.randint(1, 6)
        if closure == ClosureReason.CONSENT_REFUSED:
            plan["closed"] = plan["consent"]
            plan["now"] = plan["closed"] + rng.randint(1, 400)
            return plan
        # Closures that can come at any stage: decide where this one stops.
        stop = scenario.state
        if scenario.state == S.CLOSED:
            if closure in (ClosureReason.CONSENT_WITHDRAWN, ClosureReason.MOVED_AWAY, ClosureReason.OTHER):
                stop = rng.choice([S.ASSESSMENT, S.PLANNING, S.PLAN_ACTIVE, S.PLAN_ACTIVE])
            else:
                stop = S.PLAN_ACTIVE
        plan["stop"] = stop
        assessment_span = rng.randint(15, 24) if late and stop == S.ASSESSMENT else rng.randint(6, 13)
        if stop == S.ASSESSMENT:
            if scenario.state == S.ASSESSMENT:
                plan["now"] = plan["consent"] + _dwell(rng, 14, late)
            else:
                plan["closed"] = plan["consent"] + rng.randint(3, 12)
                plan["now"] = plan["closed"] + rng.randint(1, 300)
            return plan
        plan["assessed"] = plan["consent"] + (rng.randint(15, 22) if rng.random() < 0.2 else assessment_span)
        if stop == S.PLANNING:
            if scenario.state == S.PLANNING:
                plan["now"] = plan["assessed"] + _dwell(rng, 14, late)
            else:
                plan["closed"] = plan["assessed"] + rng.randint(3, 12)
                plan["now"] = plan["closed"] + rng.randint(1, 300)
            return plan
        plan["taf"] = plan["assessed"] + rng.randint(3, 13)
        last = plan["taf"]
        if scenario.state == S.PLAN_ACTIVE:
            count = rng.choice([0, 1, 1, 2, 3, 4])
        elif scenario.state == S.STEP_UP_REQUESTED or closure == ClosureReason.STEPPED_UP:
            count = rng.choice([0, 1, 2])
        elif closure in (ClosureReason.NEEDS_MET, ClosureReason.STEPPED_DOWN):
            count = rng.choice([1, 2, 3, 4])
        else:
            count = rng.choice([0, 1, 2])
        for _ in range(count):
            last += rng.randint(70, 84) if rng.random() < 0.1 else rng.randint(33, 45)
            plan["reviews"].append(last)
        if scenario.declined_step_up or scenario.state == S.STEP_UP_REQUESTED or closure == ClosureReason.STEPPED_UP:
            plan["step_up"] = last + rng.randint(5, 30)
            last = plan["step_up"]
            if scenario.state == S.STEP_UP_REQUESTED:
                plan["now"] = last + (rng.randint(2, 6) if late else rng.randint(0, 1))
                return plan
            plan["decided"] = last + rng.randint(0, 2)
            last = plan["decided"]
            if closure == ClosureReason.STEPPED_UP:
                plan["closed"] = last
                plan["now"] = last + rng.randint(1, 300)
                return plan
            plan["after_decision_reviews"] = []
            for _ in range(rng.choice([0, 1])):
                last += rng.randint(33, 45)
                plan["after_decision_reviews"].append(last)
        if scenario.state == S.PLAN_ACTIVE:
            plan["now"] = last + _dwell(rng, 42, late)
            return plan
        # A closure from the plan: at the last review for needs met and step down, later otherwise.
        if closure in (ClosureReason.NEEDS_MET, ClosureReason.STEPPED_DOWN):
            plan["closed"] = last
        else:
            plan["closed"] = last + rng.randint(5, 30)
        plan["now"] = plan["closed"] + rng.randint(1, 400)
        return plan

    # --- turning the plan into rows ------------------------------------------------------

    @property
    def planned(self) -> dict:
        if self._planned is None:
            self._planned = self._plan()
        return self._planned

    def build(self) -> None:
        rng, plan = self.rng, self.planned
        opened_on = self.today - timedelta(days=plan["now"] + self.shift)
        self.day = lambda offset: opened_on + timedelta(days=offset)
        team, worker = self._team_and_worker()
        self.team, self.worker = team, worker
        self.manager = self._pick(self.people.managers_by_team.get(team.pk, [])) if team else None
        self.opener = worker or self.manager or self._pick(self.people.workers_by_team.get(team.pk, [])) or next(
            user for workers in self.people.workers_by_team.values() for user in workers)
        self.social_worker = self.demo.get("social_worker") or self._pick(self.people.social_workers)
        episode = new_row(
            Episode,
            reference=self.references.next(opened_on.year), family=self.family, state=self.scenario.state,
            team=team, allocated_worker=worker, opened_on=opened_on,
            request=self.allocation.request if self.allocation else None,
        )
        self.episode = episode
        self.batch.episodes.append(episode)
        self.needs = rng.sample(NEEDS, rng.randint(2, 4))
        state = S.AWAITING_CONSENT
        self._opening(plan)

        if "consent" in plan:
            consent_day = self.day(plan["consent"])
            if self.scenario.closure == ClosureReason.CONSENT_REFUSED:
                self._consent(consent_day, refused=True)
                self._transition(consent_day, Action.CONSENT_REFUSED, state, self.opener)
                self._close(consent_day, ClosureReason.CONSENT_REFUSED, by=self.opener, with_outcomes=False)
                self._finish(plan, S.CLOSED)
                return
            consents = self._consent(consent_day, refused=False)
            state = self._transition(consent_day, Action.CONSENT_GIVEN, state, self.opener,
                                     summary=f"Consent to the assessment given by {self.adults[0].full_name}: assessment started")
            self._choose_lead(consent_day)
            assessment = self._assessment(plan, consent_day)
            if plan.get("stop") == S.ASSESSMENT and "closed" in plan:
                state = self._close_from(plan, state, consents)
                self._finish(plan, state, assessment=assessment)
                return
            if "assessed" in plan:
                state = self._transition(self.day(plan["assessed"]), Action.ASSESSMENT_COMPLETED, state,
                                         self.assessed_by,
                                         summary=f"Assessment completed by {_name(self.assessed_by)}")
                self._event(self.day(plan["assessed"]), "monitoring_form", "EHA monitoring form completed for managers",
                            self.assessed_by)
            if plan.get("stop") == S.PLANNING and "closed" in plan:
                state = self._close_from(plan, state, consents)
                self._finish(plan, state, assessment=assessment)
                return
            if "taf" in plan:
                state = self._plan_and_reviews(plan, state)
                if "step_up" in plan:
                    state = self._step_up(plan, state)
                if state == S.PLAN_ACTIVE and plan.get("after_decision_reviews"):
                    self._reviews(plan["after_decision_reviews"], final_decision=None)
                if "closed" in plan and state != S.CLOSED:
                    state = self._close_from(plan, state, consents)
            self._maybe_transfer_lead(plan)
            self._maybe_disagreement(plan)
            self._finish(plan, state, assessment=assessment)
            return
        self._finish(plan, state)

    def _user_label(self, user: User) -> str:
        agency = self.people.agency_names.get(user.agency_id)
        return f"{_name(user)} ({agency})" if agency else _name(user)

    def _pick(self, items: list):
        return self.rng.choice(items) if items else None

    def _team_and_worker(self) -> tuple[Team | None, User | None]:
        demo_worker = self.demo.get("worker")
        if demo_worker is not None:
            team = _demo_team(self.people) or self.people.locality_teams[0]
            return team, demo_worker
        if self.allocation is not None and self.allocation.team_id:
            team = next((t for t in self.people.locality_teams if t.pk == self.allocation.team_id), None)
            if team is not None:
                worker = self.allocation.practitioner
                if worker is None or worker.role not in (Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER):
                    worker = self._pick(self.people.workers_by_team.get(team.pk, []))
                return team, worker
        team = area_team(self.people.teams_by_locality, self.family.locality_id, self.family.pk)
        team = team or self.rng.choice(self.people.locality_teams)
        workers = self.people.workers_by_team.get(team.pk, [])
        # A few episodes wait for the manager to allocate a worker.
        worker = self._pick(workers) if self.rng.random() > 0.05 else None
        return team, worker

    def _event(self, day: date, kind: str, summary: str, by: User | None,
               from_state: str = "", to_state: str = "") -> None:
        at = self.clock.at(day)
        self.batch.events.append(_new(
            EpisodeEvent, {"episode_id": self.episode}, kind=kind, summary=summary[:300], by_id=_id(by),
            at=at, from_state=from_state, to_state=to_state,
        ))
        if by is not None and self.rng.random() < VIEWED_SHARE:
            # Whoever recorded the step had the episode open: the audit trail shows it.
            self.batch.access.append(new_row(
                AccessRecord,
                user_id=by.pk, kind=AccessKind.VIEW, family_id=self.family.pk,
                what=f"Episode {self.episode.reference}: {kind.replace('_', ' ')}", at=at - timedelta(minutes=5),
            ))

    def _transition(self, day: date, action: str, state: str, by: User | None, summary: str = "") -> str:
        move = TRANSITIONS[(state, action)]
        self._event(day, action, summary or move.label, by, from_state=state, to_state=move.to)
        return move.to

    def _opening(self, plan: dict) -> None:
        rng, episode = self.rng, self.episode
        children = list(self.children)
        later: list[Member] = []
        if len(children) > 1 and rng.random() < 0.05:
            later = [children.pop()]  # joins later, e.g. after a sibling's birth or a move
        step_down_by = self.demo.get("step_down_by")
        if step_down_by is None and rng.random() < 0.03 and self.scenario.closure != ClosureReason.CONSENT_REFUSED:
            step_down_by = self._pick(self.people.social_workers)
        if step_down_by is not None:
            self.step_down_social_worker = step_down_by
            proposed = self.day(0) - timedelta(days=rng.randint(2, 10))
            step_down = StepDown(
                family=self.family, social_worker=step_down_by,
                final_assessment_summary=rng.choice(STEP_DOWN_SUMMARIES), handover_plan=rng.choice(STEP_DOWN_HANDOVERS),
                proposed_lead=self.worker, proposed_at=Clock(rng).at(proposed), status=StepDown.Status.ACCEPTED,
                decided_by=self.manager or self.opener, decided_at=Clock(rng).at(self.day(0)),
                social_care_closure_code="RC9", episode=episode,
            )
            self.batch.step_downs.append(step_down)
            self.batch.step_down_children += [(step_down, child.person_id) for child in self.children]
        else:
            self.step_down_social_worker = None
        for child in children:
            self.child_rows.append(_new(EpisodeChild, {"episode_id": episode}, person_id=child.person_id,
                                        added_on=self.day(0)))
        names = ", ".join(child.first_name for child in children)
        worker = f"; allocated to {_name(self.worker)}" if self.worker else ""
        team = f" ({self.team.name})" if self.team else ""
        self._event(self.day(0), "opened", f"Early help started for {names}{worker}{team}", self.opener)
        if self.step_down_social_worker is not None:
            self._event(self.day(0), "stepped_down",
                        f"Stepped down from Children's Social Care ({_name(self.step_down_social_worker)}); "
                        "the social worker attends the first Team Around the Family meeting", self.manager or self.opener)
        now = plan["now"]
        for child in later:
            offset = rng.randint(1, max(1, now))
            self.child_rows.append(_new(EpisodeChild, {"episode_id": episode}, person_id=child.person_id,
                                        added_on=self.day(offset)))
            self._event(self.day(offset), "child_added", f"{child.full_name} added as a child of concern", self.opener)
        if len(children) > 2 and rng.random() < 0.06 and now > 10:
            leaving = children[-1]
            offset = rng.randint(5, now)
            record = next(row for row in self.child_rows if row.person_id == leaving.person_id)
            record.removed_on, record.removal_reason = self.day(offset), rng.choice(REMOVAL_REASONS)
            self._event(self.day(offset), "child_removed",
                        f"{leaving.full_name} is no longer a child of concern: {record.removal_reason}", self.opener)
        self.batch.children += self.child_rows

    def _consent(self, day: date, *, refused: bool) -> list[Consent]:
        rng, records = self.rng, []
        by = self.opener
        adults = self.adults[:2] if not refused else self.adults[:1]
        for adult in adults:
            consent = _new(
                Consent, {"episode_id": self.episode}, family_id=self.family.pk, person_id=adult.person_id, scope=ConsentScope.ASSESSMENT,
                decision=ConsentDecision.REFUSED if refused else ConsentDecision.GIVEN,
                method=ConsentMethod.WRITTEN if rng.random() < 0.7 else ConsentMethod.VERBAL,
                given_on=day, recorded_by_id=by.pk,
            )
            if refused:
                consent.refusal_reason = rng.choice(REFUSAL_REASONS)
                consent.needs_will_escalate = rng.random() < 0.4
                consent.escalation_judgement = (
                    "The children's needs are being met by school for now; without help they may escalate, "
                    "so school will keep a close eye and the family know how to ask again."
                )
            records.append(consent)
            consent.recorded_at = self.clock.at(day)
            verb = "refused" if refused else "given"
            self._event(day, f"consent_{consent.decision}",
                        f"Consent to the Early Help Assessment and support {verb} by {adult.full_name} "
                        f"({consent.get_method_display().lower()}, {day:%-d %B %Y})", by)
        if not refused and self.agencies:
            sharing = _new(
                Consent, {"episode_id": self.episode}, family_id=self.family.pk, person_id=self.adults[0].person_id, scope=ConsentScope.SHARING,
                decision=ConsentDecision.GIVEN, method=ConsentMethod.WRITTEN, given_on=day, recorded_by_id=by.pk,
            )
            records.append(sharing)
            sharing.recorded_at = self.clock.at(day)
            chosen = rng.sample(self.agencies, min(len(self.agencies), rng.randint(1, 3)))
            self.batch.consent_agencies += [(sharing, agency.pk) for agency in chosen]
            self._sharing_decisions(day, by, chosen)
            self._event(day, "consent_given",
                        "Consent to sharing information with " + ", ".join(sorted(a.name for a in chosen))
                        + f" given by {self.adults[0].full_name}", by)
        # A child of sufficient age and understanding agrees too.
        for child in self.children:
            if not refused and child.date_of_birth and (day - child.date_of_birth).days > 12 * 365 and rng.random() < 0.6:
                consent = _new(
                    Consent, {"episode_id": self.episode}, family_id=self.family.pk, person_id=child.person_id, scope=ConsentScope.ASSESSMENT,
                    decision=ConsentDecision.GIVEN, method=ConsentMethod.VERBAL, given_on=day, recorded_by_id=by.pk,
                )
                records.append(consent)
                consent.recorded_at = self.clock.at(day)
        self.batch.consents += records
        return records

    def _choose_lead(self, day: date) -> None:
        rng = self.rng
        lead = self.demo.get("lead") if "lead" in self.demo else None
        if lead is None:
            if self.worker is not None and rng.random() < 0.7:
                lead = self.worker
            else:
                lead = self._pick(self.people.partners) or self.worker
        if lead is None:
            return
        self._assign_lead(day, lead, chosen_with_family=rng.random() < 0.85, by=self.opener or lead)

    def _assign_lead(self, day: date, lead: User, *, chosen_with_family: bool, by: User, note: str = "",
                     summary: str = "") -> None:
        current = self.lead_rows[-1] if self.lead_rows else None
        if current is not None and current.lead_id == lead.pk:
            return
        if current is not None:
            current.ended_on = day
        assignment = _new(
            LeadProfessionalAssignment, {"episode_id": self.episode}, lead_id=lead.pk, started_on=day,
            chosen_with_family=chosen_with_family, handover_note=note, assigned_by_id=by.pk,
        )
        assignment.lead_user = lead
        self.lead_rows.append(assignment)
        self.batch.leads.append(assignment)
        self.episode.lead_professional = lead
        with_family = "chosen with the family" if chosen_with_family else "not chosen with the family"
        if current is None:
            self._event(day, "lead_professional_chosen", summary or f"{_name(lead)} is the lead professional, {with_family}", by)
        else:
            self._event(day, "lead_professional_transferred",
                        summary or f"Lead professional transferred from {_name(current.lead_user)} to {_name(lead)}, {with_family}", by)

    def _assessment(self, plan: dict, start: date) -> Assessment:
        rng = self.rng
        by = self.episode.lead_professional or self.opener
        organisation = (self.worker.agency if self.worker and self.worker.agency_id else None) or (
            by.agency if by and by.agency_id else None) or self.team.agency
        assessment = _new(
            Assessment, {"episode_id": self.episode}, started_on=start,
            due_on=add_working_days(start, settings.EARLYHELP_ASSESSMENT_WORKING_DAYS, closed=self.closed),
            organisation_id=organisation.pk,
        )
        self.batch.assessments.append(assessment)
        self._event(start, "assessment_started",
                    f"Assessment started by {_name(by)}: due by {assessment.due_on:%-d %B %Y}", by)
        complete = "assessed" in plan
        hard_to_engage = rng.random() < 0.12
        if complete or rng.random() < 0.5:
            assessment.parents_views = rng.choice(PARENT_VIEWS)
        if complete:
            assessment.what_needs_to_change = rng.choice(CHANGE)
            assessment.impact_if_not = rng.choice(IMPACT)
            assessment.agreed_needs = list(self.needs)
            assessment.completed_on = self.day(plan["assessed"])
            assessment.completed_by_id = by.pk
            self.assessed_by = by
            if settings.EARLYHELP_ASSESSMENT_SIGN_OFF and self.manager is not None:
                assessment.signed_off_by_id = self.manager.pk
                assessment.signed_off_at = self.clock.at(assessment.completed_on)
            monitoring = _new(
                MonitoringForm, {"assessment_id": assessment}, primary_need=rng.choice(PrimaryNeed.values[:8]), factors=list(self.needs),
                services_needed=rng.sample(SERVICES_NEEDED, rng.randint(1, 3)),
                additional_support_needed=rng.random() < 0.3, completed_by_id=by.pk,
                notes="Family would benefit from the parenting programme when places are available." if rng.random() < 0.3 else "",
            )
            self.batch.monitoring.append(monitoring)
            monitoring.completed_at = self.clock.at(assessment.completed_on)
        if hard_to_engage:
            assessment.engagement_attempts = "Three home visits (two no reply), two letters and texts to mum over two weeks."
            assessment.not_assessed = "Dad's views: he would not take part. The home environment upstairs: not shown."
            assessment.risk_to_workers = "Dad was verbally aggressive at the door on one visit: visit in pairs." if rng.random() < 0.5 else ""
        family_ratings: dict[str, object] = {}
        for child in self._children_of_concern():
            section = _new(AssessmentChildSection, {"assessment_id": assessment}, child_id=child.person_id)
            if complete or rng.random() < 0.5:
                section.wishes_and_feelings = rng.choice(CHILD_WORDS)
                section.how_heard = rng.choice(HOW_HEARD)
            self.batch.sections.append(section)
            # The same draws as when every child had all three domains (the rest of the seed stays as
            # it was): a child's developmental needs are theirs; the first child to rate one of the
            # family's areas sets it, and a child scored differently gets a note for that domain.
            rated = rng.sample(SUBDIMENSIONS, rng.randint(4, 7) if complete else rng.randint(0, 3))
            for key in rated:
                score = rng.randint(2, 9)
                values = {
                    "subdimension": key, "score": score,
                    "strengths": "Warm relationship with mum; enjoys school." if score >= 5 else "",
                    "needs": "" if score >= 7 else "Needs support with routines and boundaries.",
                }
                if key in CHILD_SUBDIMENSIONS:
                    self.batch.ratings.append(_new(SubdimensionRating, {"section_id": section}, **values))
                elif key not in family_ratings:
                    family_ratings[key] = _new(FamilyRating, {"assessment_id": assessment}, **values)
                    self.batch.family_ratings.append(family_ratings[key])
                elif family_ratings[key].score != score:
                    note = "family_environment_note" if key in FAMILY_ENVIRONMENT_KEYS else "parenting_capacity_note"
                    setattr(section, note, f"{getattr(section, note)}\n{SUBDIMENSION_LABELS[key]}: "
                                           f"{'more' if score < family_ratings[key].score else 'less'} worrying for "
                                           f"this child ({score} out of 10).".strip())
        return assessment

    def _children_of_concern(self) -> list[Member]:
        ids = {row.person_id for row in self.child_rows if row.removed_on is None}
        return [child for child in self.children if child.person_id in ids]

    def _plan_and_reviews(self, plan: dict, state: str) -> str:
        rng = self.rng
        lead = self.episode.lead_professional or self.opener
        taf_day = self.day(plan["taf"])
        meeting = _new(TafMeeting, {"episode_id": self.episode}, held_on=taf_day, discussed=rng.choice(TAF_DISCUSSED),
                       decided=rng.choice(TAF_DECIDED), recorded_by_id=lead.pk)
        self.batch.meetings.append(meeting)
        practitioners = {user.pk: user for user in (lead, self.worker, self._pick(self.people.partners)) if user}
        if self.step_down_social_worker is not None:
            practitioners[self.step_down_social_worker.pk] = self.step_down_social_worker
        self.batch.meeting_practitioners += [(meeting, user_id) for user_id in practitioners]
        if self.agencies:
            self.batch.meeting_agencies += [(meeting, agency.pk) for agency in rng.sample(self.agencies, min(2, len(self.agencies)))]
        self.batch.meeting_family += [(meeting, adult.person_id) for adult in self.adults[:2]]
        self._event(taf_day, "taf_meeting",
                    f"First Team Around the Family meeting held on {taf_day:%-d %B %Y} "
                    f"({len(practitioners) + len(self.adults[:2])} people attended)", lead)
        # Outcomes in the family's words, each with its actions: by whom and by when.
        self.outcomes: list[tuple[Outcome, list[PlanAction]]] = []
        for words in rng.sample(OUTCOME_WORDS, rng.randint(2, 3)):
            outcome = _new(Outcome, {"episode_id": self.episode}, in_familys_words=words, needs=rng.sample(self.needs, 1))
            self.batch.outcomes.append(outcome)
            outcome.created_at = self.clock.at(taf_day)
            actions = []
            for description, owner in rng.sample(ACTIONS, rng.randint(1, 3)):
                action = _new(PlanAction, {"outcome_id": outcome}, description=description,
                                    due_on=taf_day + timedelta(days=rng.randint(14, 70)))
                if owner == "user":
                    action.owner_user_id = lead.pk
                    action.owner_label = self._user_label(lead)
                elif owner == "agency" and self.agencies:
                    agency = rng.choice(self.agencies)
                    action.owner_agency_id, action.owner_label = agency.pk, agency.name
                else:
                    action.owner_person_id = self.adults[0].person_id
                    action.owner_label = f"{self.adults[0].full_name} (family)"
                actions.append(action)
                self.batch.actions.append(action)
            self.outcomes.append((outcome, actions))
        self.version_number = 0
        self._version(taf_day, lead)
        state = self._transition(taf_day, Action.PLAN_AGREED, state, lead)
        self.episode.review_due_on, self.episode.review_latest_on = review_dates(taf_day)
        closure = self.scenario.closure
        final = {ClosureReason.NEEDS_MET: ReviewDecision.CLOSE, ClosureReason.STEPPED_DOWN: ReviewDecision.STEP_DOWN}
        decision = final.get(closure) if "step_up" not in plan else None
        if "step_up" in plan and not self.scenario.declined_step_up and plan["reviews"] and rng.random() < 0.5:
            decision = ReviewDecision.STEP_UP
        self._reviews(plan["reviews"], final_decision=decision)
        return state

    def _reviews(self, offsets: list[int], *, final_decision: str | None) -> None:
        rng = self.rng
        lead = self.episode.lead_professional or self.opener
        for index, offset in enumerate(offsets):
            held_on = self.day(offset)
            decision = final_decision if index == len(offsets) - 1 and final_decision else ReviewDecision.CONTINUE
            review = _new(Review, {"episode_id": self.episode}, held_on=held_on,
                          new_or_unmet_needs=rng.choice(REVIEW_NEEDS), decision=decision, recorded_by_id=lead.pk,
                            notes="Reviewed at a Team Around the Family meeting with the family." if rng.random() < 0.5 else "")
            self.batch.reviews.append(review)
            scores = {}
            for outcome, _actions in self.outcomes:
                score = min(10, 3 + index * 2 + rng.randint(-1, 2))
                scores[id(outcome)] = (score, "Going well" if score >= 6 else "Some progress; more to do")
                self.batch.progress.append(_new(OutcomeProgress, {"review_id": review, "outcome_id": outcome},
                                                score=score, comment=scores[id(outcome)][1]))
            for _outcome, actions in self.outcomes:
                for action in actions:
                    if action.due_on <= held_on and action.status == ActionStatus.NOT_STARTED:
                        action.status = rng.choice([ActionStatus.DONE] * 4 + [ActionStatus.IN_PROGRESS, ActionStatus.DROPPED])
            self._version(held_on, lead, review=review, scores=scores)
            self.episode.review_due_on, self.episode.review_latest_on = review_dates(held_on)
            self._event(held_on, "review",
                        f"Plan reviewed on {held_on:%-d %B %Y}: {ReviewDecision(decision).label.lower()}", lead)

    def _version(self, day: date, by: User, *, review: Review | None = None, scores: dict | None = None) -> None:
        self.version_number += 1
        self.batch.versions.append((self.episode, self.version_number, self.clock.at(day), by, review, scores,
                                    [(outcome, list(actions), [a.status for a in actions]) for outcome, actions in self.outcomes]))

    def _step_up(self, plan: dict, state: str) -> str:
        rng = self.rng
        lead = self.episode.lead_professional or self.opener
        asked = self.day(plan["step_up"])
        step_up = _new(
            StepUp, {"episode_id": self.episode}, reasons=rng.sample(StepUpReason.values, rng.randint(1, 2)),
            details=rng.choice(STEP_UP_DETAILS), referral_source=CinReferralSource.EARLY_HELP,
            assessment_factors=list(self.needs), requested_by_id=lead.pk, requested_at=self.clock.at(asked),
        )
        self.batch.step_ups.append(step_up)
        self.step_up = step_up
        state = self._transition(asked, Action.STEP_UP_REQUESTED, state, lead)
        notify = self.demo.get("notify")
        if notify is not None:
            self.batch.notifications.append((notify, step_up, self.episode))
        if "decided" not in plan:
            return state
        decided = self.day(plan["decided"])
        social_worker = self.social_worker
        step_up.social_worker_id, step_up.decided_at = social_worker.pk, self.clock.at(decided)
        if self.scenario.closure == ClosureReason.STEPPED_UP:
            step_up.accepted, step_up.decision_notes = True, rng.choice(STEP_UP_DECISIONS)
            self._assign_lead(decided, social_worker, chosen_with_family=False, by=social_worker,
                              note="The child became subject to a statutory service: the lead professional role "
                                   "transferred to Children's Social Care.")
            state = self._transition(decided, Action.STEP_UP_ACCEPTED, state, social_worker,
                                     summary=f"Children's Social Care accepted the step up; {_name(social_worker)} now leads")
            self._close(decided, ClosureReason.STEPPED_UP, by=social_worker, with_outcomes=False)
            return state
        step_up.accepted, step_up.decision_notes = False, rng.choice(STEP_UP_DECLINED_NOTES)
        return self._transition(decided, Action.STEP_UP_DECLINED, state, social_worker,
                                summary=f"Children's Social Care declined the step up: {step_up.decision_notes[:200]}")

    def _close_from(self, plan: dict, state: str, consents: list[Consent]) -> str:
        day, reason = self.day(plan["closed"]), self.scenario.closure
        by = self.episode.lead_professional or self.opener
        if reason == ClosureReason.CONSENT_WITHDRAWN:
            for consent in consents:
                if consent.scope == ConsentScope.ASSESSMENT and consent.person_id == self.adults[0].person_id:
                    consent.withdrawn_on, consent.withdrawal_reason = day, self.rng.choice(WITHDRAWAL_REASONS)
                    self._event(day, "consent_withdrawn_by_person",
                                f"{self.adults[0].full_name} withdrew consent to the Early Help Assessment and support "
                                f"on {day:%-d %B %Y}", by)
            state = self._transition(day, Action.CONSENT_WITHDRAWN, state, by,
                                     summary=f"Closed: {ClosureReason(reason).label}")
        else:
            state = self._transition(day, Action.CLOSED, state, by, summary=f"Closed: {ClosureReason(reason).label}")
        self._close(day, reason, by=by, with_outcomes="assessed" in plan)
        return state

    def _sharing_decisions(self, day: date, by: User, agencies: list) -> None:
        """The information shared with each agency the family agreed to, and now and then without consent."""
        rng = self.rng
        for agency in agencies:
            self.batch.sharing.append(_new(
                SharingDecision, {"episode_id": self.episode}, family_id=self.family.pk, shared=True,
                what=rng.choice(SHARED_WHAT), with_agency_id=agency.pk, why="So that the agency can play its part in the plan.",
                lawful_basis=LawfulBasis.CONSENT, decided_by_id=by.pk, decided_at=self.clock.at(day + timedelta(days=1)),
            ))
        if agencies and rng.random() < WITHOUT_CONSENT_SHARE:
            decided_at = self.clock.at(day + timedelta(days=rng.randint(2, 20)))
            manager = self.manager
            seen = manager is not None and rng.random() < 0.7
            self.batch.sharing.append(_new(
                SharingDecision, {"episode_id": self.episode}, family_id=self.family.pk, shared=True,
                what="Concerns about the children's attendance and mum's health", with_agency_id=agencies[0].pk,
                why="The school nurse needs to know to see the children this week.",
                lawful_basis=LawfulBasis.HEALTH_DEVELOPMENT,
                justification="Mum could not be reached for a week; without the nurse's visit the youngest's "
                              "health would be impaired.",
                consulted="Team manager", decided_by_id=by.pk, decided_at=decided_at,
                seen_by_manager_id=_id(manager) if seen else None,
                seen_by_manager_at=decided_at + timedelta(days=1) if seen else None,
            ))

    def _close(self, day: date, reason: str, *, by: User, with_outcomes: bool) -> None:
        rng = self.rng
        closure = _new(
            Closure, {"episode_id": self.episode}, reason=reason, summary_for_family=CLOSING_SUMMARIES[reason],
            closed_by_id=by.pk,
            closed_at=self.clock.at(day),
            new_authority=rng.choice(NEW_AUTHORITIES) if reason == ClosureReason.MOVED_AWAY else "",
            other_reason="The family now get support from the youth justice service" if reason == ClosureReason.OTHER else "",
        )
        self.batch.closures.append(closure)
        self.episode.closed_on = day
        results = {
            ClosureReason.NEEDS_MET: [NeedOutcome.Result.MET] * 3 + [NeedOutcome.Result.IMPROVED],
            ClosureReason.STEPPED_DOWN: [NeedOutcome.Result.MET, NeedOutcome.Result.IMPROVED],
        }.get(reason, list(NeedOutcome.Result.values))
        if with_outcomes or reason in results:
            for need in self.needs:
                self.batch.need_outcomes.append(_new(NeedOutcome, {"closure_id": closure}, need=need,
                                                     result=rng.choice(results)))

    def _maybe_transfer_lead(self, plan: dict) -> None:
        rng = self.rng
        if "taf" not in plan or rng.random() > 0.12 or self.demo:
            return
        current = self.episode.lead_professional
        end = plan.get("step_up", plan.get("closed", plan["now"]))
        if current is None or end - plan["taf"] < 3:
            return
        options = [user for user in self.people.workers_by_team.get(self.team.pk, []) + self.people.partners[:50]
                   if user.pk != current.pk]
        new = self._pick(options)
        if new is None:
            return
        day = self.day(rng.randint(plan["taf"] + 1, end - 1))
        # Inserted in date order: the lead list for this episode is rebuilt around the transfer.
        if any(row.started_on > day for row in self.lead_rows):
            return
        self._assign_lead(day, new, chosen_with_family=rng.random() < 0.8, by=self.manager or current,
                          note=rng.choice(HANDOVER_NOTES))

    def _maybe_disagreement(self, plan: dict) -> None:
        rng = self.rng
        if "taf" not in plan or rng.random() > 0.06:
            return
        topic = rng.choice(Disagreement.Topic.values)
        raised_by = self._pick(self.people.partners) or self.opener
        raised_on = self.day(plan["taf"] + rng.randint(0, 10))
        disagreement = _new(Disagreement, {"episode_id": self.episode}, topic=topic, raised_by_id=raised_by.pk,
                            details=DISAGREEMENT_DETAILS[topic])
        disagreement.raised_at = self.clock.at(raised_on)
        self._event(raised_on, "disagreement_raised",
                    f"Disagreement recorded about {Disagreement.Topic(topic).label.lower()}", raised_by)
        resolved_on = raised_on + timedelta(days=rng.randint(3, 20))
        if rng.random() < 0.7 and resolved_on <= self.day(plan["now"]):
            disagreement.outcome = rng.choice(DISAGREEMENT_OUTCOMES)
            resolved_by = self.manager or self.opener
            disagreement.resolved_by_id = resolved_by.pk
            disagreement.resolved_at = self.clock.at(resolved_on)
            self._event(resolved_on, "disagreement_resolved",
                        f"Outcome recorded for the disagreement about {Disagreement.Topic(topic).label.lower()}",
                        resolved_by)
        self.batch.disagreements.append(disagreement)

    def _finish(self, plan: dict, state: str, assessment: Assessment | None = None) -> None:
        """The final state, and what is due next worked out as episodes/due.py does."""
        episode = self.episode
        episode.state = state
        if state != S.CLOSED:
            episode.closed_on = None
        if state not in (S.PLAN_ACTIVE, S.STEP_UP_REQUESTED, S.CLOSED):
            episode.review_due_on = episode.review_latest_on = None
        if state == S.AWAITING_CONSENT:
            due = (add_working_days(episode.opened_on, CONSENT_WORKING_DAYS, closed=self.closed), DueKind.CONSENT)
        elif state == S.ASSESSMENT:
            due = (assessment.due_on, DueKind.ASSESSMENT)
        elif state == S.PLANNING:
            start = assessment.completed_on or episode.opened_on
            due = (add_working_days(start, FIRST_TAF_WORKING_DAYS, closed=self.closed), DueKind.TAF_MEETING)
        elif state == S.PLAN_ACTIVE:
            candidates = [(episode.review_due_on, DueKind.REVIEW)] if episode.review_due_on else []
            open_actions = [action.due_on for _outcome, actions in self.outcomes for action in actions
                            if action.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)]
            if open_actions:
                candidates.append((min(open_actions), DueKind.ACTION))
            due = min(candidates) if candidates else (None, "")
        elif state == S.STEP_UP_REQUESTED:
            requested = timezone.localtime(self.step_up.requested_at).date()
            due = (add_working_days(requested, STEP_UP_DECISION_WORKING_DAYS, closed=self.closed), DueKind.STEP_UP)
        else:
            due = (None, "")
        episode.next_due_on, episode.next_due_kind = due


def _step_down_without_episode(batch: Batch, *, rng: random.Random, family: Family, children: list[Member],
                               people: People, today: date, status: str | None = None,
                               social_worker: User | None = None) -> None:
    social_worker = social_worker or (rng.choice(people.social_workers) if people.social_workers else None)
    if social_worker is None:
        return
    status = status or rng.choice([StepDown.Status.PROPOSED, StepDown.Status.RETURNED])
    clock = Clock(rng)
    proposed = today - timedelta(days=rng.randint(1, 20))
    team = area_team(people.teams_by_locality, family.locality_id, family.pk)
    managers = people.managers_by_team.get(team.pk, []) if team else []
    step_down = StepDown(
        family=family, social_worker=social_worker, final_assessment_summary=rng.choice(STEP_DOWN_SUMMARIES),
        handover_plan=rng.choice(STEP_DOWN_HANDOVERS), proposed_at=clock.at(proposed), status=status,
        proposed_lead=rng.choice(people.workers_by_team.get(team.pk, [None]) or [None]) if team else None,
    )
    if status == StepDown.Status.RETURNED:
        step_down.decided_by = managers[0] if managers else None
        step_down.decided_at = clock.at(proposed + timedelta(days=rng.randint(1, 5)))
        step_down.return_reasons = rng.choice(STEP_DOWN_RETURNS)
        if step_down.decided_by is None:
            step_down.status, step_down.decided_at, step_down.return_reasons = StepDown.Status.PROPOSED, None, ""
    batch.step_downs.append(step_down)
    batch.step_down_children += [(step_down, child.person_id) for child in children]


def _write(batch: Batch) -> list[Episode]:
    """Insert a chunk's rows in dependency order, each after the parents whose keys it needs."""
    episodes = bulk_insert(Episode, batch.episodes, batch_size=500)
    for model, rows in (
        (EpisodeChild, batch.children), (LeadProfessionalAssignment, batch.leads),
        (Disagreement, batch.disagreements), (Consent, batch.consents), (Assessment, batch.assessments),
        (TafMeeting, batch.meetings), (Outcome, batch.outcomes), (Review, batch.reviews),
        (StepUp, batch.step_ups), (Closure, batch.closures), (EpisodeEvent, batch.events),
        (StepDown, batch.step_downs), (SharingDecision, batch.sharing),
        (AssessmentChildSection, batch.sections), (MonitoringForm, batch.monitoring), (PlanAction, batch.actions),
        (OutcomeProgress, batch.progress), (NeedOutcome, batch.need_outcomes),
        (SubdimensionRating, batch.ratings), (FamilyRating, batch.family_ratings),
    ):
        _fill_parents(rows)
        bulk_insert(model, rows, batch_size=500, keep=HISTORY_FIELDS.get(model, ()))
    _through(Consent.agencies.through, "consent", "agency", batch.consent_agencies)
    _through(TafMeeting.practitioners.through, "tafmeeting", "user", batch.meeting_practitioners)
    _through(TafMeeting.agencies.through, "tafmeeting", "agency", batch.meeting_agencies)
    _through(TafMeeting.family_members.through, "tafmeeting", "person", batch.meeting_family)
    _through(StepDown.children.through, "stepdown", "person", batch.step_down_children)
    _versions(batch)
    _notifications(batch)
    bulk_insert(AccessRecord, batch.access, batch_size=500)
    return episodes


def _through(model, parent: str, child: str, pairs: list) -> None:
    bulk_insert(model,
        [new_row(model, **{f"{parent}_id": owner.pk, f"{child}_id": child_id}) for owner, child_id in pairs],
        batch_size=500,
    )


def _versions(batch: Batch) -> None:
    """Each agreed plan and each review leaves a version behind, shaped like plan_snapshot's."""
    labels = dict(AssessmentFactor.choices)
    versions = []
    for episode, number, made_at, by, review, scores, outcomes in batch.versions:
        entries = []
        for outcome, actions, statuses in outcomes:
            entry = {
                "id": outcome.pk,
                "in_familys_words": outcome.in_familys_words,
                "needs": [{"code": code, "label": labels.get(code, code)} for code in outcome.needs],
                "actions": [
                    {
                        "id": action.pk, "description": action.description, "owner": action.owner_label,
                        "owner_kind": "practitioner" if action.owner_user_id else "agency" if action.owner_agency_id else "family member",
                        "due_on": action.due_on.isoformat(), "status": status,
                        "status_label": ActionStatus(status).label,
                    }
                    for action, status in zip(actions, statuses)
                ],
            }
            if scores is not None and id(outcome) in scores:
                entry["progress"] = {"score": scores[id(outcome)][0], "comment": scores[id(outcome)][1]}
            entries.append(entry)
        snapshot: dict = {"outcomes": entries}
        if review is not None:
            snapshot["review"] = {
                "id": review.pk, "held_on": review.held_on.isoformat(), "decision": review.decision,
                "decision_label": ReviewDecision(review.decision).label,
                "new_or_unmet_needs": review.new_or_unmet_needs,
            }
        version = PlanVersion(episode_id=episode.pk, number=number, snapshot=snapshot, made_by_id=by.pk,
                              made_at=made_at)
        versions.append(version)
    bulk_insert(PlanVersion, versions, batch_size=500, keep=HISTORY_FIELDS[PlanVersion])


# The moment each kind of row was really made, for fields Django stamps at insert.
HISTORY_FIELDS = {
    Consent: ["recorded_at"], MonitoringForm: ["completed_at"], Outcome: ["created_at"],
    PlanVersion: ["made_at"], Disagreement: ["raised_at"],
}


def _notifications(batch: Batch) -> None:
    notes = []
    for recipient, step_up, episode in batch.notifications:
        try:
            url = reverse("step-up-decide", kwargs={"step_up_id": step_up.pk})
        except NoReverseMatch:
            url = ""
        notes.append(Notification(
            recipient=recipient, url=url,
            message=f"Early help asks Children's Social Care to take on {episode.family.name} (episode {episode.reference})",
        ))
    bulk_insert(Notification, notes)


def seed_reset_episodes() -> None:
    """Remove every episode and what hangs off it, before the families and people it protects."""
    from earlyhelp.sharing.models import SharingDecision

    from .recording import seed_reset_recording

    # Case notes, oversight and documents protect the episodes.
    seed_reset_recording()
    SharingDecision.objects.filter(episode__isnull=False).delete()
    Consent.objects.all().delete()
    Closure.objects.all().delete()
    StepUp.objects.all().delete()
    StepDown.objects.all().delete()
    Episode.objects.all().delete()
