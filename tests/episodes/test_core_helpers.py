"""Builders for the episode core tests: families with children, seen by a chosen practitioner."""

from datetime import date, timedelta

from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Team, TeamKind, User
from earlyhelp.people.models import Family, FamilyMember, Involvement, MemberRole, Person

_counter = iter(range(1, 10**9))


def make_user(role: str, *, team: Team | None = None, username: str | None = None, agency: Agency | None = None) -> User:
    number = next(_counter)
    user = User.objects.create_user(
        username=username or f"{role}-{number}", password="x", role=role, first_name="Test",
        last_name=f"{role.replace('_', ' ').title().replace(' ', '')}{number}",
        agency=agency or Agency.objects.filter(kind=AgencyKind.LA_EARLY_HELP).first(),
    )
    if team is not None:
        user.teams.add(team)
    return user


def locality_team(index: int = 0) -> Team:
    return Team.objects.filter(kind=TeamKind.LOCALITY_EARLY_HELP).order_by("pk")[index]


def make_family(*, name: str = "Testwood family", children: int = 2, unborn: int = 0, seen_by: User | None = None,
                adults: int = 1) -> Family:
    """A family; `seen_by` gets an involvement with its first adult so the family is visible to them."""
    today = timezone.localdate()
    number = next(_counter)
    family = Family.objects.create(name=name)
    surname = name.split()[0]
    adult_rows = []
    for index in range(adults):
        person = Person.objects.create(first_name=f"Parent{number}x{index}", last_name=surname,
                                       date_of_birth=date(1988, 3, 1))
        FamilyMember.objects.create(family=family, person=person, role=MemberRole.PARENT)
        adult_rows.append(person)
    for index in range(children):
        person = Person.objects.create(first_name=f"Child{number}x{index}", last_name=surname,
                                       date_of_birth=today - timedelta(days=365 * (3 + 4 * index) + 10))
        FamilyMember.objects.create(family=family, person=person, role=MemberRole.CHILD)
    for index in range(unborn):
        person = Person.objects.create(first_name=f"Baby{number}x{index}", last_name=surname,
                                       expected_date_of_birth=today + timedelta(days=60))
        FamilyMember.objects.create(family=family, person=person, role=MemberRole.UNBORN)
    if seen_by is not None and adult_rows:
        Involvement.objects.create(
            person=adult_rows[0], agency=seen_by.agency or Agency.objects.first(), practitioner=seen_by,
            role_description="Family practitioner", started_on=today - timedelta(days=30),
        )
    return family


def children_of(family: Family) -> list[Person]:
    return [
        member.person for member in FamilyMember.objects.filter(
            family=family, role__in=[MemberRole.CHILD, MemberRole.UNBORN]
        ).select_related("person").order_by("pk")
    ]


def new_team(name: str) -> Team:
    """A locality team of its own, so seeded work does not mix with the test's."""
    return Team.objects.create(name=name, kind=TeamKind.LOCALITY_EARLY_HELP,
                               agency=Agency.objects.filter(kind=AgencyKind.LA_EARLY_HELP).first())
