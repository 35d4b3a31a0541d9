"""Localities, agencies, teams and the people who use the system."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from faker import Faker

from earlyhelp.accounts.demo import DEMO_ACCOUNTS
from earlyhelp.accounts.models import Agency, AgencyKind, Locality, Role, Team, TeamKind, User

from .bulk import bulk_insert

LOCALITY_NAMES = (
    "Northgate", "Riverside", "Eastfield", "Westbrook",
    "Southmoor", "Hillcrest", "Oakwood", "Marshside",
)

# Agencies each locality has, with how many per 1,000 families (at least one of each).
AGENCIES_PER_THOUSAND_FAMILIES = {
    AgencyKind.SCHOOL: 8,
    AgencyKind.EARLY_YEARS: 3,
    AgencyKind.GP_PRACTICE: 2,
    AgencyKind.HEALTH_VISITING: 0,
    AgencyKind.SCHOOL_NURSING: 0,
    AgencyKind.HOUSING: 0,
    AgencyKind.VOLUNTARY: 1,
}
# Agencies that serve the whole authority.
AUTHORITY_WIDE_AGENCIES = (
    (AgencyKind.LA_EARLY_HELP, "Early Help Service"),
    (AgencyKind.CHILDRENS_SOCIAL_CARE, "Children's Social Care"),
    (AgencyKind.MIDWIFERY, "Maternity Services"),
    (AgencyKind.CAMHS, "Child and Adolescent Mental Health Service"),
    (AgencyKind.POLICE, "Police Vulnerability Hub"),
    (AgencyKind.YOUTH_JUSTICE, "Youth Justice Service"),
    (AgencyKind.ADULT_SERVICES, "Adult Social Care"),
    (AgencyKind.OTHER, "Family Information Service"),
)
SCHOOL_SUFFIXES = (
    "Primary School", "Academy", "Church of England Primary School", "High School",
    "Infant School", "Junior School", "Catholic Primary School", "Community College",
)
EARLY_YEARS_SUFFIXES = ("Nursery", "Children's Centre", "Pre-School", "Day Nursery")
VOLUNTARY_NAMES = (
    "Family Action", "Home-Start", "Barnardo's family service", "Young Carers Project",
    "Women's Aid", "Citizens Advice", "Youth Project", "Food Bank",
)
# Families each worker holds, so staff numbers grow with the authority.
FAMILIES_PER_PRACTITIONER = 25
FAMILIES_PER_PARTNER = 15
# An early help team as councils run them: a manager, an adviser and about a dozen practitioners.
# A locality with more practitioners than that has several teams, each with its own patch.
PRACTITIONERS_PER_TEAM = 12


@dataclass
class Organisations:
    localities: list[Locality] = field(default_factory=list)
    agencies: dict[str, list[Agency]] = field(default_factory=dict)
    teams: dict[str, list[Team]] = field(default_factory=dict)
    users: dict[str, list[User]] = field(default_factory=dict)


def _phone(rng: random.Random) -> str:
    return f"01632 {rng.randrange(960000, 961000)}"  # Ofcom's drama range: never a real line


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name} ({number})", number + 1
    taken.add(candidate)
    return candidate


def teams_by_locality(teams: list[Team]) -> dict[int, list[Team]]:
    by_locality: dict[int, list[Team]] = {}
    for team in sorted(teams, key=lambda team: team.pk):
        if team.locality_id:
            by_locality.setdefault(team.locality_id, []).append(team)
    return by_locality


def area_team(by_locality: dict[int, list[Team]], locality_id: int | None, family_id: int) -> Team | None:
    """The early help team whose patch the family lives in: its locality's, one of several by the family."""
    teams = by_locality.get(locality_id) if locality_id else None
    return teams[family_id % len(teams)] if teams else None


def seed_organisations(*, families: int, rng: random.Random, fake: Faker) -> Organisations:
    result = Organisations()
    locality_total = 4 if families < 20_000 else len(LOCALITY_NAMES)
    result.localities = bulk_insert(Locality,
        [Locality(name=name, code=name.lower()) for name in LOCALITY_NAMES[:locality_total]]
    )

    taken: set[str] = set()
    agencies: list[Agency] = []
    for kind, name in AUTHORITY_WIDE_AGENCIES:
        agencies.append(Agency(name=_unique(name, taken), kind=kind, phone=_phone(rng),
                               email=f"{kind.value.replace('_', '.')}@example.gov.uk"))
    families_per_locality = max(1, families // locality_total)
    for locality in result.localities:
        for kind, per_thousand in AGENCIES_PER_THOUSAND_FAMILIES.items():
            count = max(1, families_per_locality * per_thousand // 1000)
            for _ in range(count):
                if kind == AgencyKind.SCHOOL:
                    name = f"{fake.last_name()} {rng.choice(SCHOOL_SUFFIXES)}"
                elif kind == AgencyKind.EARLY_YEARS:
                    name = f"{fake.first_name()}'s {rng.choice(EARLY_YEARS_SUFFIXES)}"
                elif kind == AgencyKind.GP_PRACTICE:
                    name = f"{fake.street_name()} Surgery"
                elif kind == AgencyKind.VOLUNTARY:
                    name = f"{locality.name} {rng.choice(VOLUNTARY_NAMES)}"
                else:
                    name = f"{locality.name} {AgencyKind(kind).label}"
                agencies.append(
                    Agency(
                        name=_unique(name, taken), kind=kind, locality=locality,
                        phone=_phone(rng), email=f"office{len(agencies)}@example.org.uk",
                        address=fake.street_address(), postcode=fake.postcode(),
                    )
                )
    for agency in bulk_insert(Agency, agencies, batch_size=1000):
        result.agencies.setdefault(agency.kind, []).append(agency)

    early_help = result.agencies[AgencyKind.LA_EARLY_HELP][0]
    social_care = result.agencies[AgencyKind.CHILDRENS_SOCIAL_CARE][0]
    teams = [
        Team(name="Early Help Hub", kind=TeamKind.FRONT_DOOR, agency=early_help,
             email="earlyhelp.hub@example.gov.uk", phone=_phone(rng)),
        Team(name="Performance and Intelligence", kind=TeamKind.PERFORMANCE, agency=early_help),
    ]
    practitioners_per_locality = families // FAMILIES_PER_PRACTITIONER // max(1, len(result.localities))
    teams_per_locality = max(1, round(practitioners_per_locality / PRACTITIONERS_PER_TEAM))
    for locality in result.localities:
        for number in range(1, teams_per_locality + 1):
            suffix = f" {number}" if number > 1 else ""
            teams.append(Team(name=f"{locality.name} Early Help Team{suffix}", kind=TeamKind.LOCALITY_EARLY_HELP,
                              agency=early_help, locality=locality, phone=_phone(rng),
                              email=f"earlyhelp.{locality.code}{suffix.strip()}@example.gov.uk"))
        teams.append(Team(name=f"{locality.name} Children's Social Care", kind=TeamKind.SOCIAL_CARE,
                          agency=social_care, locality=locality, phone=_phone(rng),
                          email=f"csc.{locality.code}@example.gov.uk"))
    for team in bulk_insert(Team, teams):
        result.teams.setdefault(team.kind, []).append(team)

    _seed_users(result, families=families, rng=rng, fake=fake)
    return result


def _seed_users(result: Organisations, *, families: int, rng: random.Random, fake: Faker) -> None:
    from django.conf import settings

    password = make_password(settings.EARLYHELP_DEMO_PASSWORD)  # hashed once, shared by all
    users: list[User] = []
    memberships: list[tuple[int, Team]] = []  # (index into users, team)
    usernames: set[str] = set()
    locality_teams = result.teams[TeamKind.LOCALITY_EARLY_HELP]
    social_care_teams = result.teams[TeamKind.SOCIAL_CARE]
    front_door = result.teams[TeamKind.FRONT_DOOR][0]
    performance = result.teams[TeamKind.PERFORMANCE][0]
    early_help = result.agencies[AgencyKind.LA_EARLY_HELP][0]
    social_care = result.agencies[AgencyKind.CHILDRENS_SOCIAL_CARE][0]
    partner_agencies = [
        agency for kind, agencies in result.agencies.items()
        if kind not in (AgencyKind.LA_EARLY_HELP, AgencyKind.CHILDRENS_SOCIAL_CARE)
        for agency in agencies
    ]

    def add(*, username: str, role: Role, agency: Agency, teams: list[Team], first: str, last: str,
            job_title: str) -> None:
        usernames.add(username)
        users.append(User(
            username=username, first_name=first, last_name=last, role=role, agency=agency,
            job_title=job_title, email=f"{username}@example.gov.uk", phone=_phone(rng),
            password=password, is_staff=role == Role.ADMINISTRATOR,
        ))
        memberships.extend((len(users) - 1, team) for team in teams)

    first_school = result.agencies[AgencyKind.SCHOOL][0]
    demo_homes = {
        Role.PARTNER_PRACTITIONER: (first_school, []),
        Role.EARLY_HELP_PRACTITIONER: (early_help, [locality_teams[0]]),
        Role.EARLY_HELP_ADVISER: (early_help, [locality_teams[0]]),
        Role.TEAM_MANAGER: (early_help, [locality_teams[0]]),
        Role.FRONT_DOOR_OFFICER: (early_help, [front_door]),
        Role.SOCIAL_WORKER: (social_care, [social_care_teams[0]]),
        Role.PERFORMANCE_ANALYST: (early_help, [performance]),
        Role.ADMINISTRATOR: (early_help, []),
    }
    for account in DEMO_ACCOUNTS:
        agency, teams = demo_homes[account.role]
        add(username=account.username, role=account.role, agency=agency, teams=teams,
            first=account.first_name, last=account.last_name, job_title=account.job_title)

    def add_generated(role: Role, agency: Agency, teams: list[Team], job_title: str) -> None:
        first, last = fake.first_name(), fake.last_name()
        base = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        username, number = base, 2
        while username in usernames:
            username, number = f"{base}{number}", number + 1
        add(username=username, role=role, agency=agency, teams=teams, first=first, last=last,
            job_title=job_title)

    practitioners_per_team = max(2, families // FAMILIES_PER_PRACTITIONER // len(locality_teams))
    for team in locality_teams:
        add_generated(Role.TEAM_MANAGER, early_help, [team], "Locality team manager")
        add_generated(Role.EARLY_HELP_ADVISER, early_help, [team], "Early help adviser")
        for _ in range(practitioners_per_team):
            add_generated(Role.EARLY_HELP_PRACTITIONER, early_help, [team],
                          rng.choice(["Family practitioner", "Youth worker", "Education welfare officer",
                                      "Children's centre worker", "Family support worker"]))
    for team in social_care_teams:
        add_generated(Role.TEAM_MANAGER, social_care, [team], "Social work team manager")
        for _ in range(max(2, practitioners_per_team // 2)):
            add_generated(Role.SOCIAL_WORKER, social_care, [team], "Social worker")
    for _ in range(max(2, families // 2000)):
        add_generated(Role.FRONT_DOOR_OFFICER, early_help, [front_door], "Early help hub officer")
    add_generated(Role.PERFORMANCE_ANALYST, early_help, [performance], "Data analyst")
    for _ in range(max(len(partner_agencies), families // FAMILIES_PER_PARTNER)):
        agency = rng.choice(partner_agencies)
        add_generated(Role.PARTNER_PRACTITIONER, agency, [],
                      PARTNER_JOB_TITLES.get(agency.kind, "Practitioner"))

    created = bulk_insert(User, users, batch_size=1000)
    bulk_insert(User.teams.through,
        [User.teams.through(user_id=created[index].pk, team_id=team.pk) for index, team in memberships],
        batch_size=1000,
    )
    for user in created:
        result.users.setdefault(user.role, []).append(user)


PARTNER_JOB_TITLES = {
    AgencyKind.SCHOOL: "Designated safeguarding lead",
    AgencyKind.EARLY_YEARS: "Nursery manager",
    AgencyKind.GP_PRACTICE: "GP",
    AgencyKind.HEALTH_VISITING: "Health visitor",
    AgencyKind.SCHOOL_NURSING: "School nurse",
    AgencyKind.MIDWIFERY: "Community midwife",
    AgencyKind.CAMHS: "Mental health practitioner",
    AgencyKind.POLICE: "Police constable",
    AgencyKind.HOUSING: "Housing officer",
    AgencyKind.YOUTH_JUSTICE: "Youth justice worker",
    AgencyKind.VOLUNTARY: "Family support worker",
    AgencyKind.ADULT_SERVICES: "Adult social worker",
}
