"""A small council whose dashboard figures were worked out by hand (tests/reporting/test_dashboard.py).

Period: 1 January to 30 June 2026; "today": 15 July 2026. Team A works in the north locality,
team B in the south.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Locality, Role, Team, TeamKind, User
from earlyhelp.episodes.models import (
    Assessment,
    Closure,
    Episode,
    EpisodeChild,
    EpisodeState,
    LeadProfessionalAssignment,
    MonitoringForm,
    NeedOutcome,
    Outcome,
    StepDown,
    StepUp,
)
from earlyhelp.frontdoor.models import AllocationDecision, AllocationMeeting, RequestForSupport
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))
TODAY = date(2026, 7, 15)
SECRET_CHILD = ("Zephyrine", "Quartermaine")


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@dataclass
class Council:
    team_a: Team
    team_b: Team
    manager: User
    analyst: User
    practitioner: User
    adviser: User
    worker_b: User
    agency: Agency
    social_worker: User | None = None
    episodes: dict[str, Episode] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    children: dict[str, Person] = field(default_factory=dict)


def make_family(name: str, *, locality, child_first: str, child_last: str, born=date(2016, 5, 1),
                created_by=None) -> tuple[Family, Person]:
    family = Family.objects.create(name=name, locality=locality, created_by=created_by)
    child = Person.objects.create(first_name=child_first, last_name=child_last, date_of_birth=born, gender="b",
                                  ethnicity="WBRI")
    FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
    return family, child


def make_episode(council: Council, ref: str, *, family: Family, child: Person, team: Team, worker: User | None,
                 state: str, opened: date, closed: date | None = None, started: date | None = None,
                 due: date | None = None, completed: date | None = None, factors: list[str] | None = None,
                 next_due: tuple[date, str] | None = None, review_latest: date | None = None) -> Episode:
    episode = Episode.objects.create(
        reference=ref, family=family, state=state, team=team, allocated_worker=worker, lead_professional=worker,
        opened_on=opened, closed_on=closed,
        next_due_on=next_due[0] if next_due else None, next_due_kind=next_due[1] if next_due else "",
        review_latest_on=review_latest,
    )
    EpisodeChild.objects.create(episode=episode, person=child, added_on=opened)
    if worker is not None:
        LeadProfessionalAssignment.objects.create(episode=episode, lead=worker, started_on=opened,
                                                  assigned_by=council.manager)
    if started:
        assessment = Assessment.objects.create(episode=episode, started_on=started, due_on=due, completed_on=completed,
                                               organisation=council.agency)
        if factors is not None:
            MonitoringForm.objects.create(assessment=assessment, primary_need="N4", factors=factors,
                                          completed_by=council.manager)
    return episode


def close(council: Council, episode: Episode, *, reason: str, needs: dict[str, str] = None,
          achieved: list = ()) -> Closure:
    closure = Closure.objects.create(episode=episode, reason=reason, summary_for_family="Thank you",
                                     closed_by=council.manager, closed_at=at(episode.closed_on))
    for need, result in (needs or {}).items():
        NeedOutcome.objects.create(closure=closure, need=need, result=result)
    for value in achieved:
        Outcome.objects.create(episode=episode, in_familys_words="Things are better", needs=["16A"], achieved=value)
    return closure


def make_request(ref: str, *, submitted: date, status: str, family: Family | None = None, team: Team | None = None,
                 chair: User | None = None) -> RequestForSupport:
    request = RequestForSupport.objects.create(
        reference=ref, source="practitioner", status=status, family=family, concern_details="Worried",
        family_agreement="yes", submitted_at=at(submitted), triage_due_on=submitted,
    )
    if team is not None:
        meeting = AllocationMeeting.objects.create(held_on=submitted, chair=chair)
        AllocationDecision.objects.create(meeting=meeting, request=request, outcome="allocate_team", team=team,
                                          reasons="Needs an assessment", decided_by=chair)
    return request


def _user(username: str, role: str, first: str, last: str, agency: Agency, teams=()) -> User:
    user = User.objects.create_user(username=username, password="not-used-in-these-tests-2026", role=role,
                                    first_name=first, last_name=last, agency=agency, email=f"{username}@example.gov.uk")
    user.teams.set(teams)
    return user


def build_council() -> Council:
    """A council of its own (two localities, two teams), so no other data changes the sums."""
    north = Locality.objects.create(name="Testshire North", code="testshire-north")
    river = Locality.objects.create(name="Testshire South", code="testshire-south")
    agency = Agency.objects.create(name="Testshire Early Help", kind=AgencyKind.LA_EARLY_HELP)
    team_a = Team.objects.create(name="North Early Help Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=agency,
                                 locality=north)
    team_b = Team.objects.create(name="South Early Help Team", kind=TeamKind.LOCALITY_EARLY_HELP, agency=agency,
                                 locality=river)
    performance = Team.objects.create(name="Testshire Performance", kind=TeamKind.PERFORMANCE, agency=agency)
    council = Council(
        team_a=team_a, team_b=team_b,
        manager=_user("t-manager", Role.TEAM_MANAGER, "Mina", "Manager", agency, [team_a]),
        analyst=_user("t-analyst", Role.PERFORMANCE_ANALYST, "Ana", "Lyst", agency, [performance]),
        practitioner=_user("t-practitioner", Role.EARLY_HELP_PRACTITIONER, "Pat", "Prentice", agency, [team_a]),
        adviser=_user("t-adviser", Role.EARLY_HELP_ADVISER, "Ada", "Visor", agency, [team_a]),
        worker_b=_user("t-worker-b", Role.EARLY_HELP_PRACTITIONER, "Bo", "Southey", agency, [team_b]),
        agency=agency,
    )
    council.social_worker = _user("t-social-worker", Role.SOCIAL_WORKER, "Sol", "Worker", agency)
    north, river = team_a.locality, team_b.locality
    c = council

    def fam(key, name, locality, first, last):
        family, child = make_family(name, locality=locality, child_first=first, child_last=last)
        c.families[key], c.children[key] = family, child
        return family, child

    f1, k1 = fam("E1", "Quartermaine family", north, *SECRET_CHILD)
    c.episodes["E1"] = make_episode(
        c, "EP-T-1", family=f1, child=k1, team=team_a, worker=c.practitioner, state=EpisodeState.PLAN_ACTIVE,
        opened=date(2026, 1, 10), started=date(2026, 1, 12), due=date(2026, 1, 26), completed=date(2026, 1, 20),
        factors=["3B", "16A"], next_due=(date(2026, 7, 1), "review"), review_latest=date(2026, 8, 1))
    f2, k2 = fam("E2", "Abbott family", north, "Ada", "Abbott")
    c.episodes["E2"] = make_episode(
        c, "EP-T-2", family=f2, child=k2, team=team_a, worker=c.practitioner, state=EpisodeState.ASSESSMENT,
        opened=date(2026, 2, 1), started=date(2026, 2, 2), due=date(2026, 2, 16),
        next_due=(date(2026, 2, 16), "assessment"))
    f3, k3 = fam("E3", "Brennan family", north, "Bea", "Brennan")
    c.episodes["E3"] = make_episode(
        c, "EP-T-3", family=f3, child=k3, team=team_a, worker=c.adviser, state=EpisodeState.PLAN_ACTIVE,
        opened=date(2026, 1, 5), started=date(2026, 1, 6), due=date(2026, 1, 20), completed=date(2026, 2, 3),
        factors=["3B", "4B", "11A"], next_due=(date(2026, 8, 10), "review"), review_latest=date(2026, 7, 1))
    f4, k4 = fam("E4", "Carter family", river, "Cal", "Carter")
    c.episodes["E4"] = make_episode(
        c, "EP-T-4", family=f4, child=k4, team=team_b, worker=c.worker_b, state=EpisodeState.CLOSED,
        opened=date(2025, 12, 1), closed=date(2026, 3, 15), started=date(2025, 12, 2), due=date(2025, 12, 16),
        completed=date(2025, 12, 10), factors=["1A"])
    close(c, c.episodes["E4"], reason="needs_met", needs={"3B": "met", "16A": "improved"}, achieved=[True, False])
    f5, k5 = fam("E5", "Dunn family", river, "Dan", "Dunn")
    c.episodes["E5"] = make_episode(
        c, "EP-T-5", family=f5, child=k5, team=team_b, worker=None, state=EpisodeState.AWAITING_CONSENT,
        opened=date(2026, 6, 20), next_due=(date(2026, 6, 27), "consent"))
    f6, k6 = fam("E6", "Evans family", north, "Eve", "Evans")
    c.episodes["E6"] = make_episode(
        c, "EP-T-6", family=f6, child=k6, team=team_a, worker=c.practitioner, state=EpisodeState.CLOSED,
        opened=date(2026, 2, 10), closed=date(2026, 5, 5), started=date(2026, 2, 10), due=date(2026, 2, 24),
        completed=date(2026, 2, 24), factors=["16A", "1A"])
    close(c, c.episodes["E6"], reason="stepped_up", needs={"16A": "unchanged"}, achieved=[None])
    StepUp.objects.create(episode=c.episodes["E6"], reasons=["safeguarding"], details="Disclosure",
                          requested_by=c.practitioner, requested_at=at(date(2026, 4, 20)), accepted=True)
    f7, k7 = fam("E7", "Fox family", north, "Finn", "Fox")
    c.episodes["E7"] = make_episode(
        c, "EP-T-7", family=f7, child=k7, team=team_a, worker=c.practitioner, state=EpisodeState.CLOSED,
        opened=date(2025, 3, 1), closed=date(2025, 10, 1))
    close(c, c.episodes["E7"], reason="moved_away")

    social_worker = c.social_worker
    StepDown.objects.create(family=f3, social_worker=social_worker, final_assessment_summary="Below threshold",
                            handover_plan="Joint visit", proposed_at=at(date(2026, 3, 3)), status="accepted",
                            episode=c.episodes["E3"])
    f8, _ = fam("SD2", "Grant family", river, "Gil", "Grant")
    StepDown.objects.create(family=f8, social_worker=social_worker, final_assessment_summary="Below threshold",
                            handover_plan="Joint visit", proposed_at=at(date(2026, 3, 20)))

    make_request("REQ-T-1", submitted=date(2026, 1, 5), status="allocated", family=f1, team=team_a, chair=c.manager)
    make_request("REQ-T-2", submitted=date(2026, 2, 14), status="awaiting_triage")
    make_request("REQ-T-3", submitted=date(2026, 3, 1), status="universal", family=f5)
    make_request("REQ-T-4", submitted=date(2025, 12, 20), status="allocated", family=f4, team=team_b,
                 chair=c.manager)
    return council


def add_noise(council: Council, count: int) -> None:
    """More episodes of every kind, for checking that the number of queries does not grow with the data."""
    for n in range(count):
        family, child = make_family(f"Noise family {n}", locality=council.team_a.locality,
                                    child_first=f"Noise{n}", child_last="Child")
        worker = (council.practitioner, council.adviser, council.worker_b, None)[n % 4]
        team = council.team_b if worker is council.worker_b else council.team_a
        episode = make_episode(
            council, f"EP-N-{n}", family=family, child=child, team=team, worker=worker,
            state=EpisodeState.CLOSED if n % 3 == 0 else EpisodeState.PLAN_ACTIVE,
            opened=date(2026, 1, 1 + n % 28), closed=date(2026, 5, 1 + n % 28) if n % 3 == 0 else None,
            started=date(2026, 1, 2 + n % 27), due=date(2026, 1, 16 + n % 14), completed=date(2026, 1, 20),
            factors=["3B", "4A"], next_due=(date(2026, 6, 1), "review"), review_latest=date(2026, 6, 20),
        )
        if n % 3 == 0:
            close(council, episode, reason="needs_met", needs={"3B": "met"}, achieved=[True])
            StepUp.objects.create(episode=episode, reasons=["safeguarding"], details="x",
                                  requested_by=council.practitioner, requested_at=at(date(2026, 3, 1 + n % 28)))
        make_request(f"REQ-N-{n}", submitted=date(2026, 2, 1 + n % 28), status="allocated", family=family,
                     team=team, chair=council.manager)
    for n in range(count // 2):
        family, _ = make_family(f"Stepdown family {n}", locality=council.team_b.locality,
                                child_first=f"Step{n}", child_last="Down")
        StepDown.objects.create(family=family, social_worker=council.social_worker,
                                final_assessment_summary="x", handover_plan="y", proposed_at=at(date(2026, 4, 2)))


