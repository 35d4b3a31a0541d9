"""Need-to-know (DOMAIN §4): work queues open a family only while the work is waiting."""

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.frontdoor.models import HarmReferral
from earlyhelp.people.access import (
    families_visible_to,
    family_answers_kept,
    family_ids_visible_among,
    user_can_see_family,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.FRONT_DOOR_OFFICER, Role.SOCIAL_WORKER])
def test_a_family_with_no_waiting_work_is_closed_to_the_front_door_and_social_care(make_user, family_for, role):
    user = make_user(f"user-{role}", role)
    family = family_for("Quiet")
    assert not user_can_see_family(user, family.pk)
    assert not families_visible_to(user).exists()


@pytest.mark.parametrize("role", [Role.FRONT_DOOR_OFFICER, Role.SOCIAL_WORKER])
def test_a_concern_of_harm_opens_the_family_until_it_is_decided(make_user, partner, family_for, role):
    user = make_user(f"user-{role}", role)
    family, other = family_for("Harmed"), family_for("Quiet")
    referral = HarmReferral.objects.create(family=family, raised_by=partner, raised_at=timezone.now(),
                                           what_is_known="Bruising seen at school", referral_source="3A")
    assert user_can_see_family(user, family.pk) and not user_can_see_family(user, other.pk)
    referral.decided_at = timezone.now()
    referral.save(update_fields=["decided_at"])
    assert not user_can_see_family(user, family.pk)


def test_the_list_form_and_the_one_family_form_of_the_rule_agree_for_every_role(seeded):
    """families_visible_to (a subquery per way in, for lists) and visible_families_filter (an
    EXISTS per way in, for one family) both derive from the declared ways in: they must agree."""
    from earlyhelp.accounts.demo import DEMO_ACCOUNTS
    from earlyhelp.accounts.models import User
    from earlyhelp.people.access import visible_families_filter
    from earlyhelp.people.models import Family

    checked = 0
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        as_list = set(families_visible_to(user).values_list("pk", flat=True))
        one_by_one = set(Family.objects.filter(visible_families_filter(user)).values_list("pk", flat=True))
        assert as_list == one_by_one, account.username
        # The single-family check asks the ways in one at a time, in its own order: the same answers.
        every_family = Family.objects.values_list("pk", flat=True)
        assert {pk for pk in every_family if user_can_see_family(user, pk)} == as_list, account.username
        # A read page keeps a short list once it is worked out; a few families asked at once: the same.
        with family_answers_kept():
            assert set(families_visible_to(user).values_list("pk", flat=True)) == as_list, account.username
            assert set(families_visible_to(user).values_list("pk", flat=True)) == as_list, account.username
        assert family_ids_visible_among(user, every_family) == as_list, account.username
        checked += bool(as_list)
    assert checked >= 5


def test_the_ways_in_asked_first_are_declared_ways_in():
    from earlyhelp.people.access import ASKED_FIRST, NETWORK_ROUTES

    assert set(ASKED_FIRST) <= set(NETWORK_ROUTES)


def test_every_way_in_gives_the_same_families_in_both_forms(seeded):
    """Each declared way into a network, on its own, in its list form and its one-family form."""
    from earlyhelp.accounts.demo import DEMO_ACCOUNTS
    from earlyhelp.accounts.models import User
    from earlyhelp.people.access import _routes_for
    from earlyhelp.people.models import Family
    from django.db.models import Exists, OuterRef

    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        for route, rows in _routes_for(user):
            as_list = set(Family.objects.filter(pk__in=rows.values(route.family_field)).values_list("pk", flat=True))
            one_by_one = set(Family.objects.filter(Exists(rows.filter(**{route.family_field: OuterRef("pk")})))
                             .values_list("pk", flat=True))
            assert as_list == one_by_one, (account.username, route.name)
