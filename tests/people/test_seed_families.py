"""Seeded families: realistic, valid identifiers only from the test range, and the same for the same seed."""

from collections import Counter

import pytest
from django.db.models import Count, Q
from stdnum.gb import nhs, upn

from earlyhelp.accounts.models import User
from earlyhelp.people.access import families_visible_to
from earlyhelp.people.matching import normalise_name
from earlyhelp.people.models import (
    CHILD_ROLES,
    Family,
    FamilyAddress,
    FamilyMember,
    Involvement,
    MemberRole,
    Person,
    Relationship,
)
from earlyhelp.seed import seed_database

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Family.objects.order_by("pk").values_list("name", "address", "postcode", "locality__name")),
        list(Person.objects.order_by("pk").values_list(
            "first_name", "last_name", "date_of_birth", "expected_date_of_birth", "nhs_number", "upn",
            "ethnicity", "school__name")),
        sorted(Relationship.objects.values_list("person__first_name", "relative__first_name", "kind")),
        list(Involvement.objects.order_by("pk").values_list(
            "person__first_name", "agency__name", "practitioner__username", "practitioner_name",
            "is_lead_professional")),
        Counter(FamilyAddress.objects.values_list("postcode", flat=True)),
    )


def test_the_same_seed_makes_the_same_families():
    seed_database(families=40, seed=5)
    first = _snapshot()
    seed_database(families=40, seed=5, reset=True)
    assert _snapshot() == first
    seed_database(families=40, seed=6, reset=True)
    assert _snapshot() != first


def test_seeded_families_are_households_with_valid_synthetic_identifiers():
    seed_database(families=120, seed=2)
    assert Family.objects.count() == 120
    households = Family.objects.annotate(
        adults=Count("memberships", filter=~Q(memberships__role__in=CHILD_ROLES)),
        children=Count("memberships", filter=Q(memberships__role=MemberRole.CHILD)),
    )
    assert all(1 <= family.adults <= 2 and 1 <= family.children <= 4 for family in households)

    numbers = list(Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True))
    assert len(numbers) > 200 and len(set(numbers)) == len(numbers)
    assert all(nhs.is_valid(number) and number.startswith("999") for number in numbers)
    pupil_numbers = list(Person.objects.exclude(upn=None).values_list("upn", flat=True))
    assert pupil_numbers and all(upn.is_valid(number) for number in pupil_numbers)

    for person in Person.objects.all()[:300]:
        assert person.search_name == normalise_name(f"{person.first_name} {person.last_name}")
    assert Person.objects.values("ethnicity").distinct().count() >= 5
    # Under-fives have a health visitor; school-age children mostly have a school.
    under_fives = Person.objects.filter(memberships__role=MemberRole.CHILD, date_of_birth__isnull=False).order_by(
        "-date_of_birth")[:5]
    assert all(Involvement.objects.filter(person=child, agency__kind="health_visiting").exists()
               for child in under_fives)
    # At most one current lead professional per person, and about a quarter of families have one
    # recorded outside early help (the episodes' leads are the children's leads too: seed/run.py).
    leads = Involvement.objects.filter(is_lead_professional=True, ended_on__isnull=True)
    assert leads.values("person").annotate(n=Count("pk")).filter(n__gt=1).count() == 0
    assert 15 <= leads.filter(episode__isnull=True).values("person__memberships__family").distinct().count() <= 60
    # Every open episode's lead leads for each of its children of concern.
    from earlyhelp.episodes.models import EpisodeChild

    children = EpisodeChild.objects.filter(episode__lead_professional__isnull=False, removed_on__isnull=True,
                                           episode__closed_on__isnull=True)
    assert children.exists()
    assert all(leads.filter(person_id=child.person_id, practitioner_id=child.episode.lead_professional_id).exists()
               for child in children.select_related("episode"))
    assert FamilyAddress.objects.filter(moved_out__isnull=False).exists()
    assert FamilyMember.objects.filter(role=MemberRole.STEP_PARENT).exists()


def test_the_demo_partner_and_practitioner_lead_families_they_can_see():
    seed_database(families=60, seed=1)
    for username in ("partner", "practitioner"):
        user = User.objects.get(username=username)
        led = Family.objects.filter(memberships__person__involvements__practitioner=user,
                                    memberships__person__involvements__is_lead_professional=True,
                                    memberships__person__involvements__ended_on__isnull=True).distinct()
        assert led.count() >= 2, username
        assert set(led) <= set(families_visible_to(user))
