"""Need-to-know (DOMAIN §4): work queues open a family only while the work is waiting."""

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.frontdoor.models import HarmReferral
from earlyhelp.people.access import families_visible_to, user_can_see_family

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
