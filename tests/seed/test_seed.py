import random

import pytest
from hypothesis import given, strategies as st
from stdnum.gb import nhs

from earlyhelp.accounts.demo import DEMO_ACCOUNTS
from earlyhelp.accounts.models import Agency, AgencyKind, Locality, Role, Team, User
from earlyhelp.seed import seed_database
from earlyhelp.seed.identifiers import nhs_check_digit, synthetic_nhs_number


@given(st.integers(min_value=0, max_value=2**32))
def test_synthetic_nhs_numbers_are_valid_and_only_from_the_test_range(seed):
    number = synthetic_nhs_number(random.Random(seed))
    assert nhs.is_valid(number)
    assert 9_990_000_000 <= int(number) <= 9_999_999_999


def test_nhs_check_digit_follows_the_modulus_11_rule():
    # 943 476 5919 is the NHS's published example of a valid number.
    assert nhs_check_digit("943476591") == 9
    # Remainder 1 gives check 10: no number can be made from these nine digits.
    assert all(nhs_check_digit(str(n).zfill(9)) in (None, *range(10)) for n in range(0, 2000, 7))


def _snapshot():
    return (
        sorted(Agency.objects.values_list("name", "kind", "postcode")),
        sorted(User.objects.values_list("username", "first_name", "last_name", "role", "agency__name")),
        sorted(Team.objects.values_list("name", "members__username")),
    )


@pytest.mark.django_db
def test_the_same_seed_makes_the_same_data():
    seed_database(families=12, seed=3)
    first = _snapshot()
    seed_database(families=12, seed=3, reset=True)
    assert _snapshot() == first
    seed_database(families=12, seed=4, reset=True)
    assert _snapshot() != first


@pytest.mark.django_db
def test_seeding_twice_leaves_the_data_as_it_is():
    first = seed_database(families=30, seed=1)
    second = seed_database(families=30, seed=1)
    assert first.created and not second.created
    assert (second.users, second.agencies) == (first.users, first.agencies)


@pytest.mark.django_db
def test_there_is_a_demo_account_for_every_role_with_a_team_where_it_works_in_one():
    seed_database(families=10, seed=1)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.role == account.role
        assert user.agency is not None
        if account.role not in (Role.PARTNER_PRACTITIONER, Role.ADMINISTRATOR):
            assert user.teams.exists(), account.username
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role)


@pytest.mark.django_db
def test_organisations_cover_every_agency_kind_a_council_works_with():
    seed_database(families=10, seed=1)
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert kinds >= {
        AgencyKind.SCHOOL, AgencyKind.EARLY_YEARS, AgencyKind.GP_PRACTICE, AgencyKind.HEALTH_VISITING,
        AgencyKind.SCHOOL_NURSING, AgencyKind.MIDWIFERY, AgencyKind.CAMHS, AgencyKind.POLICE,
        AgencyKind.HOUSING, AgencyKind.YOUTH_JUSTICE, AgencyKind.LA_EARLY_HELP,
        AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.VOLUNTARY, AgencyKind.ADULT_SERVICES,
    }
    assert Locality.objects.count() == 4


@pytest.mark.django_db
def test_staff_numbers_grow_with_the_number_of_families():
    from faker import Faker

    from earlyhelp.seed.organisations import seed_organisations

    def staff_for(families: int) -> tuple[int, int]:
        User.objects.all().delete(), Team.objects.all().delete(), Agency.objects.all().delete()
        Locality.objects.all().delete()
        seed_organisations(families=families, rng=random.Random(1), fake=Faker("en_GB"))
        return User.objects.count(), Agency.objects.count()

    small_users, small_agencies = staff_for(100)
    large_users, large_agencies = staff_for(2000)
    assert large_users > small_users * 3
    assert large_agencies > small_agencies


@pytest.mark.django_db
def test_a_large_authority_has_teams_of_about_a_dozen_practitioners_each_with_its_own_manager_and_patch():
    """A locality with more practitioners than one team holds has several teams, as councils do,
    so that a manager oversees a team's work, not a whole locality's."""
    from faker import Faker

    from earlyhelp.accounts.models import TeamKind
    from earlyhelp.seed.organisations import (
        PRACTITIONERS_PER_TEAM,
        area_team,
        seed_organisations,
        teams_by_locality,
    )

    organisations = seed_organisations(families=5000, rng=random.Random(3), fake=Faker("en_GB"))
    teams = organisations.teams[TeamKind.LOCALITY_EARLY_HELP]
    by_locality = teams_by_locality(teams)
    assert len(teams) > len(by_locality) == len(organisations.localities)
    for team in teams:
        members = User.objects.filter(teams=team)
        assert members.filter(role=Role.TEAM_MANAGER).count() == (2 if team == teams[0] else 1), team.name  # + demo
        practitioners = members.filter(role=Role.EARLY_HELP_PRACTITIONER).count()
        assert PRACTITIONERS_PER_TEAM // 2 <= practitioners <= PRACTITIONERS_PER_TEAM * 2, (team.name, practitioners)
    locality = organisations.localities[0]
    patches = {area_team(by_locality, locality.pk, family_id) for family_id in range(1, 200)}
    assert patches == set(by_locality[locality.pk])  # each team has families, each family one team
    assert area_team(by_locality, locality.pk, 7) == area_team(by_locality, locality.pk, 7)
    assert area_team(by_locality, None, 7) is None
