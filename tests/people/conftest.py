"""Small, explicit fixtures for the people app: one locality, a few agencies, users by role."""

from datetime import date

import pytest

from earlyhelp.accounts.models import Agency, AgencyKind, Locality, Role, Team, TeamKind, User
from earlyhelp.people.models import Family, FamilyMember, Involvement, MemberRole, Person


@pytest.fixture
def locality(db):
    return Locality.objects.create(name="Northgate", code="northgate")


@pytest.fixture
def school(locality):
    return Agency.objects.create(name="Northgate Primary School", kind=AgencyKind.SCHOOL, locality=locality,
                                 phone="01632 960001", email="office@northgate.example.org.uk")


@pytest.fixture
def health_visiting(locality):
    return Agency.objects.create(name="Northgate Health Visiting", kind=AgencyKind.HEALTH_VISITING,
                                 locality=locality, phone="01632 960002", email="hv@example.nhs.uk")


@pytest.fixture
def hub(db):
    agency = Agency.objects.create(name="Early Help Service", kind=AgencyKind.LA_EARLY_HELP)
    return Team.objects.create(name="Early Help Hub", kind=TeamKind.FRONT_DOOR, agency=agency,
                               phone="01632 960100", email="hub@example.gov.uk")


@pytest.fixture
def make_user(db, school):
    def make(username: str, role: str = Role.PARTNER_PRACTITIONER, **extra) -> User:
        return User.objects.create_user(
            username=username, password="x", role=role, first_name=username.title(), last_name="Tester",
            email=f"{username}@example.gov.uk", phone="01632 960500", agency=extra.pop("agency", school), **extra,
        )
    return make


@pytest.fixture
def partner(make_user):
    return make_user("partner", job_title="Designated safeguarding lead")


@pytest.fixture
def outsider(make_user):
    """A practitioner with no link to any family."""
    return make_user("outsider")


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", Role.ADMINISTRATOR)


def add_person(family: Family, first: str, last: str, *, born: date | None = date(2016, 5, 4),
               role: str = MemberRole.CHILD, **fields) -> Person:
    person = Person.objects.create(first_name=first, last_name=last, date_of_birth=born, **fields)
    FamilyMember.objects.create(family=family, person=person, role=role)
    return person


@pytest.fixture
def family_for(locality):
    """A family of one parent and one child; `worker`, if given, works with the child."""

    def make(surname: str = "Smith", *, worker: User | None = None, child: str = "William",
             born: date = date(2016, 5, 4), **child_fields) -> Family:
        family = Family.objects.create(name=f"{surname} family", address="1 High Street\nNorthgate",
                                       postcode="LS1 1AA", locality=locality)
        family.parent = add_person(family, "Joanne", surname, born=date(1985, 1, 2), role=MemberRole.PARENT)
        family.child = add_person(family, child, surname, born=born, postcode="LS1 1AA", **child_fields)
        if worker is not None:
            Involvement.objects.create(person=family.child, agency=worker.agency, practitioner=worker,
                                       role_description="Class teacher")
        return family

    return make
