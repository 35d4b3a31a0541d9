"""The front door: requests for support in every state, checklists, level-of-need decisions (a few
disagreed with), triage and Vulnerable Children's Meetings with their decisions, over recent months.

Draws only from its own random generator (no Faker), so adding it changes no other part's data.
Written with bulk inserts (seed/bulk.py), keeping the dates the models would stamp at insert.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from faker import Faker

from earlyhelp.accounts.models import Role, Team, TeamKind, User
from earlyhelp.calendar.working_days import add_working_days, closure_days, is_working_day
from earlyhelp.frontdoor.indicators import INDICATORS
from earlyhelp.frontdoor.models import (
    AllocationDecision,
    AllocationMeeting,
    AllocationOutcome,
    ChecklistOutcome,
    Escalation,
    EscalationOutcome,
    FamilyAgreement,
    HarmDecision,
    HarmReferral,
    LevelOfNeedDecision,
    Notification,
    PreAssessmentChecklist,
    RequestForSupport,
    RequestPerson,
    RequestSource,
    RequestStatus,
    TriageOutcome,
    Urgency,
)
from earlyhelp.frontdoor.services import request_reference
from earlyhelp.people.models import CHILD_ROLES, Family, FamilyMember
from earlyhelp.standards import AssessmentFactor, CinReferralSource, Vulnerability

from .bulk import bulk_insert
from .organisations import Organisations, area_team, teams_by_locality

BATCH = 500
# Front door officers are told of the newest requests waiting for triage only, so large seeds stay small.
NOTIFIED_REQUESTS = 20

CONCERNS = (
    ("{child} is late or absent most Mondays and has fallen behind in reading. {adult} says mornings are a battle "
     "and she is exhausted.", ["sen"], ["4B"]),
    ("{child} has become withdrawn at school and has said she is worried about {adult}'s drinking.",
     ["parental_substance"], ["1B"]),
    ("{child}'s behaviour at home has become hard to manage: shouting, broken doors, staying out late. "
     "{adult} asked the school for help.", ["antisocial"], ["14A"]),
    ("{child} looks after {adult}, who has MS, most evenings; homework is not being done and {child} is tired.",
     ["young_carer"], ["7A", "6B"]),
    ("Police attended a verbal argument at the home last month; {child} was upstairs. {adult} wants help to "
     "keep things calm.", ["domestic_abuse"], ["3B"]),
    ("{child} is autistic and waiting for an assessment; the family are struggling with sleep and meltdowns "
     "and have little support.", ["disabled", "sen"], ["5A"]),
    ("The family are in temporary accommodation after an eviction; {child} has changed school twice this year.",
     [], ["20"]),
    ("{adult} has been low since the baby was born and is finding it hard to get {child} to nursery.",
     ["adult_mental_health"], ["4B"]),
    ("{child} has been missing overnight twice and came back with a new phone and money; "
     "{adult} does not know who he is with.", ["missing", "exploitation"], ["10A", "24A"]),
)
ALREADY_TRIED = (
    "School pastoral support and a meeting with parents; attendance improved for a few weeks only.",
    "Health visitor visits and a referral to the parenting group, which mum did not attend.",
    "GP appointment and talking therapies referral; on the waiting list.",
    "Class teacher daily check-ins and a reward chart.",
    "",
)
CHILD_VIEWS = (
    "Says she wants things to be calmer at home.",
    "Told his teacher he is fine but looks tired.",
    "Would like help with homework and to see friends more.",
    "Did not want to talk about home.",
    "",
)
NO_AGREEMENT = {
    FamilyAgreement.KNOWS_NOT_AGREED: "Mum wants to think about it and talk to her partner first; we will speak again on Friday.",
    FamilyAgreement.NOT_TOLD: "Dad is hard to reach by phone; the school will tell him at pick-up this week.",
}
TRIAGE_NOTES = {
    TriageOutcome.EHA_NEEDED: "Needs across school attendance and parental health: more than one service is needed. "
                              "Family agree to an assessment. To the Vulnerable Children's Meeting.",
    TriageOutcome.SINGLE_AGENCY: "Needs are low and the school can meet them with a single agency action plan; "
                                 "spoke to the designated safeguarding lead.",
    TriageOutcome.UNIVERSAL: "Spoke to mum: things have settled and the health visitor is supporting. "
                             "No further action from early help.",
    TriageOutcome.SIGNIFICANT_HARM: "Further information from school suggests the child may be at risk of "
                                    "significant harm: referred to Children's Social Care today.",
    TriageOutcome.REFER_ELSEWHERE: "Needs are mainly about the child's emotional health: referred to the "
                                   "service that can help directly.",
}
OTHER_SERVICES = (
    "CAMHS single point of access", "Young Carers Project", "Citizens Advice debt service",
    "Domestic abuse outreach service", "Youth Justice Service prevention team",
)
SELF_REFERRAL_TEXTS = (
    "I am struggling with my son's behaviour since his dad left. He will not go to bed and shouts at me. "
    "I would like some help with routines.",
    "My daughter has stopped going to school because she gets anxious. I do not know what to do.",
    "We are behind on rent and I am worried we will lose our home. The children are noticing.",
)
RELATIONSHIPS = {"parent": "Mum", "step_parent": "Stepdad", "carer": "Carer", "grandparent": "Grandparent",
                 "sibling": "Older brother", "significant_adult": "Family friend", "other": "Lodger"}


@dataclass
class _Plan:
    status: str
    count: int
    linked: bool = True
    days_ago: tuple[int, int] = (20, 180)


@dataclass
class _Staff:
    requesters: list[User]
    front_door: list[User]
    managers: list[User]
    workers_by_team: dict[int, list[User]]
    locality_teams: list[Team]
    teams_by_locality: dict[int, list[Team]]
    demo: dict[str, User] = field(default_factory=dict)


def _plans(total: int) -> list[_Plan]:
    def scaled(per_thousand: int, least: int) -> int:
        return max(least, total * per_thousand // 1000)

    return [
        _Plan(RequestStatus.AWAITING_TRIAGE, scaled(25, 3), linked=False, days_ago=(0, 4)),
        _Plan(RequestStatus.AWAITING_TRIAGE, scaled(10, 1), linked=True, days_ago=(0, 3)),
        _Plan(RequestStatus.AWAITING_ALLOCATION, scaled(15, 2), days_ago=(3, 14)),
        _Plan(RequestStatus.ALLOCATED, scaled(60, 3)),
        _Plan(RequestStatus.SINGLE_AGENCY, scaled(20, 1)),
        _Plan(RequestStatus.UNIVERSAL, scaled(20, 1)),
        _Plan(RequestStatus.REFERRED_ELSEWHERE, scaled(10, 2)),
        _Plan(RequestStatus.NO_ACTION_NOW, scaled(8, 1)),
        _Plan(RequestStatus.SOCIAL_CARE, scaled(6, 1)),
    ]


def _staff(organisations: Organisations) -> _Staff:
    users = organisations.users
    demo_names = {"partner", "practitioner", "adviser", "manager", "frontdoor", "socialworker"}
    demo = {user.username: user for role_users in users.values() for user in role_users if user.username in demo_names}
    locality_teams = list(organisations.teams.get(TeamKind.LOCALITY_EARLY_HELP, []))
    workers: dict[int, list[User]] = {}
    allocatable = {user.pk: user for role in (Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER)
                   for user in users.get(role, [])}
    for user_id, team_id in User.teams.through.objects.filter(
        user_id__in=list(allocatable), team_id__in=[team.pk for team in locality_teams]
    ).values_list("user_id", "team_id").order_by("team_id", "user_id"):
        workers.setdefault(team_id, []).append(allocatable[user_id])
    return _Staff(
        requesters=list(users.get(Role.PARTNER_PRACTITIONER, [])) + list(users.get(Role.EARLY_HELP_PRACTITIONER, [])),
        front_door=list(users.get(Role.FRONT_DOOR_OFFICER, [])),
        managers=[user for user in users.get(Role.TEAM_MANAGER, []) if user.agency_id == getattr(
            locality_teams[0], "agency_id", None)] if locality_teams else [],
        workers_by_team=workers,
        locality_teams=locality_teams,
        teams_by_locality=teams_by_locality(locality_teams),
        demo=demo,
    )


def _members(family_ids: list[int]) -> dict[int, list[FamilyMember]]:
    found: dict[int, list[FamilyMember]] = {}
    for start in range(0, len(family_ids), BATCH):
        rows = (
            FamilyMember.objects.filter(family_id__in=family_ids[start:start + BATCH], left_on__isnull=True)
            .select_related("person")
            .only("family_id", "role", "person__id", "person__first_name", "person__last_name",
                  "person__date_of_birth")
            .order_by("family_id", "person__date_of_birth", "pk")
        )
        for row in rows:
            found.setdefault(row.family_id, []).append(row)
    return found


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8 + rng.randrange(0, 9), rng.randrange(0, 60))))


def _working_day_on_or_after(day: date, closed: frozenset[date]) -> date:
    while not is_working_day(day, closed):
        day += timedelta(days=1)
    return day


def _checklist_outcome(status: str) -> str:
    return {
        RequestStatus.AWAITING_ALLOCATION: ChecklistOutcome.EHA_NEEDED,
        RequestStatus.ALLOCATED: ChecklistOutcome.EHA_NEEDED,
        RequestStatus.NO_ACTION_NOW: ChecklistOutcome.EHA_NEEDED,
        RequestStatus.SINGLE_AGENCY: ChecklistOutcome.SINGLE_AGENCY,
        RequestStatus.SOCIAL_CARE: ChecklistOutcome.SIGNIFICANT_HARM,
    }.get(status, ChecklistOutcome.UNIVERSAL)


CHECKLIST_ANSWERS = {
    ChecklistOutcome.EHA_NEEDED: dict(child_progressing_well=False, needs_met_by_own_service=False,
                                      other_statutory_assessment=False, low_needs_single_agency=False,
                                      more_than_one_service_needed=True, harm_concern=False),
    ChecklistOutcome.SINGLE_AGENCY: dict(child_progressing_well=False, needs_met_by_own_service=False,
                                         other_statutory_assessment=False, low_needs_single_agency=True,
                                         more_than_one_service_needed=False, harm_concern=False),
    ChecklistOutcome.UNIVERSAL: dict(child_progressing_well=True, needs_met_by_own_service=True,
                                     other_statutory_assessment=False, low_needs_single_agency=False,
                                     more_than_one_service_needed=False, harm_concern=False),
    ChecklistOutcome.SIGNIFICANT_HARM: dict(child_progressing_well=False, needs_met_by_own_service=False,
                                            other_statutory_assessment=False, low_needs_single_agency=False,
                                            more_than_one_service_needed=True, harm_concern=True),
}
LEVEL_FOR_STATUS = {
    RequestStatus.AWAITING_ALLOCATION: 2, RequestStatus.ALLOCATED: 2, RequestStatus.NO_ACTION_NOW: 2,
    RequestStatus.SINGLE_AGENCY: 1, RequestStatus.UNIVERSAL: 1, RequestStatus.REFERRED_ELSEWHERE: 2,
    RequestStatus.SOCIAL_CARE: 3,
}
TRIAGE_FOR_STATUS = {
    RequestStatus.AWAITING_ALLOCATION: TriageOutcome.EHA_NEEDED, RequestStatus.ALLOCATED: TriageOutcome.EHA_NEEDED,
    RequestStatus.NO_ACTION_NOW: TriageOutcome.EHA_NEEDED, RequestStatus.SINGLE_AGENCY: TriageOutcome.SINGLE_AGENCY,
    RequestStatus.UNIVERSAL: TriageOutcome.UNIVERSAL, RequestStatus.SOCIAL_CARE: TriageOutcome.SIGNIFICANT_HARM,
}


def _indicators(rng: random.Random, level: int) -> list[str]:
    at_level = [i.code for i in INDICATORS if i.level == level]
    below = [i.code for i in INDICATORS if i.level < level]
    chosen = rng.sample(at_level, min(len(at_level), rng.randrange(1, 3)))
    if below and rng.random() < 0.6:
        chosen.append(rng.choice(below))
    return chosen


def seed_front_door(
    *, rng: random.Random, fake: Faker, organisations: Organisations, families: Sequence[Family]
) -> list[RequestForSupport]:
    """Requests in every state, scaled to the number of families; `fake` is unused so other parts' names stay put."""
    staff = _staff(organisations)
    ordered = sorted(families, key=lambda family: family.pk)
    if not ordered or not staff.requesters or not staff.front_door or not staff.locality_teams:
        return []
    today = timezone.localdate()
    closed = closure_days()
    plans = _plans(len(ordered))
    wanted = sum(plan.count for plan in plans)
    # Each family asked about once while there are enough of them; a small seed asks about some twice
    # so that every state still appears.
    sample = rng.sample(ordered, min(len(ordered), wanted * 2))
    members = _members([family.pk for family in sample])
    chosen = [family for family in sample if any(m.role in CHILD_ROLES for m in members.get(family.pk, []))]
    if not chosen:
        return []

    requests: list[RequestForSupport] = []
    people: list[list[RequestPerson]] = []
    position = 0
    for plan in plans:
        for index in range(plan.count):
            family = chosen[position % len(chosen)]
            position += 1
            built = _request(rng=rng, staff=staff, family=family, members=members[family.pk], plan=plan,
                             index=index, today=today, closed=closed)
            requests.append(built[0])
            people.append(built[1])

    # References in the order the requests arrived, numbered within each year.
    order = sorted(range(len(requests)), key=lambda i: (requests[i].submitted_at, i))
    numbers: dict[int, int] = {}
    for position in order:
        year = timezone.localdate(requests[position].submitted_at).year
        numbers[year] = numbers.get(year, 0) + 1
        requests[position].reference = request_reference(year, numbers[year])
    created = bulk_insert(RequestForSupport, requests, batch_size=BATCH)
    bulk_insert(RequestPerson,
        [row for support_request, rows in zip(created, people) for row in _attach(rows, support_request)],
        batch_size=BATCH,
    )
    _checklists(rng=rng, staff=staff, requests=created)
    _level_decisions(rng=rng, staff=staff, requests=created)
    _meetings(rng=rng, staff=staff, requests=created, today=today, closed=closed)
    _harm_referrals(rng=rng, requests=created, people=dict(zip((r.pk for r in created), people)))
    _notifications(staff=staff, requests=created)
    return created


def _attach(rows: list[RequestPerson], support_request: RequestForSupport) -> list[RequestPerson]:
    for row in rows:
        row.request = support_request
    return rows


def _request(*, rng, staff: _Staff, family: Family, members: list[FamilyMember], plan: _Plan, index: int,
             today: date, closed: frozenset[date]) -> tuple[RequestForSupport, list[RequestPerson]]:
    children = [m for m in members if m.role in CHILD_ROLES][:4]
    adults = [m for m in members if m.role not in CHILD_ROLES][:3]
    self_referral = plan.status == RequestStatus.AWAITING_TRIAGE and not plan.linked and index % 3 == 1
    # The demo partner's own requests: one waiting, one allocated, one closed.
    demo_partner = staff.demo.get("partner")
    if demo_partner is not None and index == 0 and plan.status in (
        RequestStatus.AWAITING_TRIAGE, RequestStatus.ALLOCATED, RequestStatus.SINGLE_AGENCY,
    ) and not self_referral:
        requester = demo_partner
    else:
        requester = rng.choice(staff.requesters)
    submitted_on = _working_day_on_or_after(today - timedelta(days=rng.randrange(*plan.days_ago)), closed)
    if submitted_on > today:
        submitted_on = today
    submitted_at = _at(submitted_on, rng)
    if submitted_at > timezone.now():
        submitted_at = timezone.now() - timedelta(minutes=rng.randrange(5, 90))
    child_name = children[0].person.first_name
    adult_name = adults[0].person.first_name if adults else "their carer"
    text, concerns, factors = rng.choice(CONCERNS)
    agreement = FamilyAgreement.YES
    if not self_referral and rng.random() < 0.15:
        agreement = rng.choice([FamilyAgreement.KNOWS_NOT_AGREED, FamilyAgreement.NOT_TOLD])
    support_request = RequestForSupport(
        source=RequestSource.SELF_REFERRAL if self_referral else RequestSource.PRACTITIONER,
        status=plan.status,
        family=family if (plan.linked or plan.status != RequestStatus.AWAITING_TRIAGE) else None,
        concerns=[code for code in concerns if code in Vulnerability.values],
        assessment_factors=[code for code in factors if code in AssessmentFactor.values],
        already_tried=rng.choice(ALREADY_TRIED),
        family_agreement=agreement,
        no_agreement_reason=NO_AGREEMENT.get(agreement, ""),
        child_views=rng.choice(CHILD_VIEWS),
        urgency=rng.choices([Urgency.ROUTINE, Urgency.SOON, Urgency.URGENT], weights=[7, 2, 1])[0],
        submitted_at=submitted_at,
        triage_due_on=add_working_days(submitted_on, 1, closed=closed),
        address=family.address,
        postcode=family.postcode,
    )
    if self_referral:
        support_request.requester_name = f"{adult_name} {children[0].person.last_name}"
        support_request.requester_relationship = "Mum"
        support_request.contact_phone = f"07700 9{rng.randrange(0, 100000):05d}"  # Ofcom's drama range
        support_request.safe_to_contact = rng.choice(["Weekday mornings", "After 3pm; do not leave a voicemail", ""])
        support_request.concern_details = rng.choice(SELF_REFERRAL_TEXTS)
    else:
        support_request.requested_by = requester
        support_request.requester_agency_id = requester.agency_id
        support_request.requester_name = requester.get_full_name()
        support_request.requester_relationship = requester.job_title
        support_request.contact_phone = requester.phone
        support_request.contact_email = requester.email
        support_request.concern_details = text.format(child=child_name, adult=adult_name)
    triage = TRIAGE_FOR_STATUS.get(plan.status)
    if plan.status == RequestStatus.REFERRED_ELSEWHERE:
        # Some were referred on at triage, the others by the allocation meeting.
        triage = TriageOutcome.REFER_ELSEWHERE if index % 2 == 0 else TriageOutcome.EHA_NEEDED
    if triage:
        officer = staff.demo.get("frontdoor") if index % 2 == 0 and "frontdoor" in staff.demo else rng.choice(staff.front_door)
        support_request.triage_outcome = triage
        support_request.triaged_by = officer
        triaged_on = add_working_days(submitted_on, rng.choice([0, 1, 1, 2]), closed=closed)
        support_request.triaged_at = min(_at(triaged_on, rng), timezone.now())
        if support_request.triaged_at < submitted_at:
            support_request.triaged_at = submitted_at + timedelta(minutes=rng.randrange(20, 240))
        support_request.triage_notes = TRIAGE_NOTES[TriageOutcome(triage)]
        if triage == TriageOutcome.REFER_ELSEWHERE:
            support_request.referred_to = rng.choice(OTHER_SERVICES)
    linked_people = support_request.family is not None
    rows = [
        RequestPerson(
            person=member.person if linked_people else None, is_child=member.role in CHILD_ROLES,
            first_name=member.person.first_name, last_name=member.person.last_name,
            date_of_birth=member.person.date_of_birth,
            relationship="" if member.role in CHILD_ROLES else RELATIONSHIPS.get(member.role, "Parent"),
        )
        for member in children + adults
    ]
    return support_request, rows


def _checklists(*, rng, staff: _Staff, requests: list[RequestForSupport]) -> None:
    checklists = []
    for support_request in requests:
        if support_request.source == RequestSource.SELF_REFERRAL or rng.random() < 0.25:
            continue
        outcome = _checklist_outcome(support_request.status)
        if support_request.status == RequestStatus.AWAITING_TRIAGE:
            outcome = rng.choice([ChecklistOutcome.EHA_NEEDED, ChecklistOutcome.SINGLE_AGENCY])
        found_lead = rng.random() < 0.2
        checklists.append(PreAssessmentChecklist(
            request=support_request, existing_lead_professional_checked=rng.random() < 0.9 or found_lead,
            existing_lead_professional="Health visitor, 0-19 team" if found_lead else "",
            outcome=outcome, notes="", completed_by=support_request.requested_by,
            **CHECKLIST_ANSWERS[ChecklistOutcome(outcome)],
        ))
    for checklist in checklists:
        checklist.completed_at = checklist.request.submitted_at + timedelta(minutes=rng.randrange(5, 60))
    bulk_insert(PreAssessmentChecklist, checklists, batch_size=BATCH, keep=["completed_at"])


def _level_decisions(*, rng, staff: _Staff, requests: list[RequestForSupport]) -> None:
    decisions = []
    for support_request in requests:
        level = LEVEL_FOR_STATUS.get(support_request.status)
        if level is None or support_request.family_id is None or support_request.triaged_at is None:
            continue
        if rng.random() < 0.3:
            continue
        decisions.append(LevelOfNeedDecision(
            family_id=support_request.family_id, request=support_request, level=level,
            indicators=_indicators(rng, level), decided_by=support_request.triaged_by,
            reasons=f"Decided at triage. {TRIAGE_NOTES[TriageOutcome(support_request.triage_outcome)]}",
        ))
    for decision in decisions:
        decision.decided_at = decision.request.triaged_at
    created = bulk_insert(LevelOfNeedDecision, decisions, batch_size=BATCH, keep=["decided_at"])

    # A few professional disagreements: one waiting for a manager, the others resolved.
    disagreeable = [d for d in created if d.level == 2 and d.request.requested_by_id
                    and d.request.requested_by_id != d.decided_by_id]
    total = min(len(disagreeable), max(3, len(requests) // 40))
    managers = [m for m in staff.managers if m.username != "manager"] or staff.managers
    escalations, changed = [], []
    for index, decision in enumerate(disagreeable[:total]):
        outcome = (None, EscalationOutcome.UPHELD, EscalationOutcome.CHANGED, EscalationOutcome.WITHDRAWN)[index % 4]
        escalation = Escalation(
            decision=decision, raised_by_id=decision.request.requested_by_id, proposed_level=3,
            disagreement="The school's records show needs are more complex than the front door found: "
                         "attendance has fallen below 80% and there are new concerns about the home.",
        )
        if outcome:
            manager = rng.choice(managers) if managers else decision.decided_by
            escalation.outcome = outcome
            escalation.resolved_by = manager
            escalation.resolved_at = decision.decided_at + timedelta(days=rng.randrange(1, 5))
            escalation.outcome_notes = {
                EscalationOutcome.UPHELD: "Discussed with both professionals: needs can be met through early help.",
                EscalationOutcome.CHANGED: "New information from school: level changed to child in need.",
                EscalationOutcome.WITHDRAWN: "Withdrawn after the practitioner spoke to the family.",
            }[outcome]
            if outcome == EscalationOutcome.CHANGED:
                changed.append(LevelOfNeedDecision(
                    family_id=decision.family_id, request_id=decision.request_id, level=3,
                    indicators=decision.indicators, decided_by=manager,
                    reasons=f"Changed after a professional disagreement: {escalation.outcome_notes}",
                ))
        escalations.append(escalation)
    for escalation in escalations:
        escalation.raised_at = escalation.decision.decided_at + timedelta(hours=rng.randrange(2, 20))
        if escalation.resolved_at and escalation.resolved_at < escalation.raised_at:
            escalation.resolved_at = escalation.raised_at + timedelta(days=1)
    created_escalations = bulk_insert(Escalation, escalations, batch_size=BATCH, keep=["raised_at", "resolved_at"])
    resolved = {(e.decision.request_id): e.resolved_at for e in created_escalations if e.outcome == EscalationOutcome.CHANGED}
    for decision in changed:
        decision.decided_at = resolved.get(decision.request_id) or timezone.now()
    bulk_insert(LevelOfNeedDecision, changed, batch_size=BATCH, keep=["decided_at"])


def _meetings(*, rng, staff: _Staff, requests: list[RequestForSupport], today: date, closed: frozenset[date]) -> None:
    """Weekly Vulnerable Children's Meetings (Tuesdays) and a decision for every request that reached one."""
    to_decide = [r for r in requests if r.triage_outcome == TriageOutcome.EHA_NEEDED
                 and r.status != RequestStatus.AWAITING_ALLOCATION]
    earliest = min((r.triaged_at for r in to_decide), default=None)
    first = timezone.localdate(earliest) if earliest else today - timedelta(days=28)
    day = first + timedelta(days=(1 - first.weekday()) % 7)
    chairs = [m for m in staff.managers] or staff.front_door
    meetings: list[AllocationMeeting] = []
    while day <= today + timedelta(days=7):
        meetings.append(AllocationMeeting(
            held_on=day, chair=chairs[len(meetings) % len(chairs)],
            attendees="Early help hub officer\nLocality team managers\nSchool nursing\nEducation welfare\n"
                      "Children's centre lead",
            notes="" if day > today else "Quorate. Actions sent to attendees after the meeting.",
        ))
        day += timedelta(days=7)
    meetings = bulk_insert(AllocationMeeting, meetings, batch_size=BATCH)
    held = [meeting for meeting in meetings if meeting.held_on <= today]
    if not held:
        return
    decisions = []
    for support_request in to_decide:
        triaged_on = timezone.localdate(support_request.triaged_at)
        meeting = next((m for m in held if m.held_on >= triaged_on), held[-1])
        team = (area_team(staff.teams_by_locality, support_request.family.locality_id, support_request.family_id)
                if support_request.family_id else None)
        team = team or staff.locality_teams[0]
        decision = AllocationDecision(meeting=meeting, request=support_request, decided_by=meeting.chair, team=None)
        if support_request.status == RequestStatus.ALLOCATED:
            workers = staff.workers_by_team.get(team.pk, [])
            demo_worker = staff.demo.get("practitioner")
            if workers and rng.random() < 0.6:
                decision.outcome = AllocationOutcome.ALLOCATE_PRACTITIONER
                decision.practitioner = demo_worker if demo_worker in workers and rng.random() < 0.3 else rng.choice(workers)
                decision.team = team
                decision.reasons = (f"Needs across several services; {decision.practitioner.get_full_name()} "
                                    "has capacity and knows the school.")
            else:
                decision.outcome = AllocationOutcome.ALLOCATE_TEAM
                decision.team = team
                decision.reasons = "Allocated to the locality team to pick up at its next allocation."
        elif support_request.status == RequestStatus.REFERRED_ELSEWHERE:
            decision.outcome = AllocationOutcome.REFER_ELSEWHERE
            decision.other_service = rng.choice(OTHER_SERVICES)
            decision.reasons = "The family's needs are best met by a specialist service; they agreed to the referral."
        else:
            decision.outcome = AllocationOutcome.NO_ACTION_NOW
            decision.reasons = "Family have declined support for now; school will keep in touch and re-refer if needed."
        decisions.append(decision)
    for decision in decisions:
        decision.decided_at = timezone.make_aware(datetime.combine(decision.meeting.held_on, time(11, 0)))
    created = bulk_insert(AllocationDecision, decisions, batch_size=BATCH, keep=["decided_at"])


def _harm_referrals(*, rng, requests: list[RequestForSupport], people: dict[int, list[RequestPerson]]) -> None:
    """Requests triaged as a concern of significant harm went to Children's Social Care, which has decided."""
    referrals = []
    for support_request in requests:
        if support_request.status != RequestStatus.SOCIAL_CARE or support_request.family_id is None:
            continue
        decided = support_request.triaged_at + timedelta(hours=rng.randrange(2, 30))
        referrals.append(HarmReferral(
            family_id=support_request.family_id, request=support_request, raised_by=support_request.triaged_by,
            raised_at=support_request.triaged_at, referral_source=CinReferralSource.SCHOOLS,
            what_is_known=f"{support_request.triage_notes}\n\nFrom request for support {support_request.reference}: "
                          f"{support_request.concern_details}",
            decision=rng.choice([HarmDecision.S47, HarmDecision.S17]),
            decision_notes="Strategy discussion held; Children's Social Care is working with the family.",
            decided_at=min(decided, timezone.now()),
        ))
    if not referrals:
        return
    social_workers = list(User.objects.filter(role=Role.SOCIAL_WORKER).order_by("pk")[:20])
    for referral in referrals:
        worker = rng.choice(social_workers) if social_workers else None
        referral.decided_by = worker
        referral.social_worker = worker
    created = bulk_insert(HarmReferral, referrals, batch_size=BATCH)
    Through = HarmReferral.children.through
    bulk_insert(Through, [
        Through(harmreferral_id=referral.pk, person_id=row.person_id)
        for referral in created for row in people.get(referral.request_id, [])
        if row.is_child and row.person_id
    ], batch_size=BATCH)


def _notifications(*, staff: _Staff, requests: list[RequestForSupport]) -> None:
    waiting = sorted((r for r in requests if r.status == RequestStatus.AWAITING_TRIAGE),
                     key=lambda r: r.submitted_at, reverse=True)[:NOTIFIED_REQUESTS]
    notifications = [
        Notification(
            recipient=officer, url=reverse("request-detail", kwargs={"request_id": support_request.pk}),
            message=(f"New request for support {support_request.reference} from "
                     f"{'a family (self-referral)' if support_request.source == RequestSource.SELF_REFERRAL else support_request.requester_name}.")[:300],
        )
        for support_request in waiting for officer in staff.front_door
    ]
    by_request = {r.pk: r.submitted_at for r in waiting}
    for notification in notifications:
        request_id = int(notification.url.rstrip("/").split("/")[-1])
        notification.created_at = by_request.get(request_id, notification.created_at)
    bulk_insert(Notification, notifications, batch_size=BATCH, keep=["created_at"])


def delete_front_door() -> None:
    """Remove the front door's records (after episodes and concerns of significant harm that point at them)."""
    AllocationDecision.objects.all().delete()
    AllocationMeeting.objects.all().delete()
    Escalation.objects.all().delete()
    LevelOfNeedDecision.objects.all().delete()
    PreAssessmentChecklist.objects.all().delete()
    RequestPerson.objects.all().delete()
    RequestForSupport.objects.all().delete()
