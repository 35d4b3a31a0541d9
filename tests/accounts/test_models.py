import pytest

from earlyhelp.accounts.models import ROLES_WORKING_WITH_FAMILIES, AgencyKind, Role, User


@pytest.mark.django_db
def test_only_administrators_are_staff_whatever_the_flag_says():
    admin = User.objects.create_user(username="a", password="x" * 12, role=Role.ADMINISTRATOR)
    worker = User(username="w", role=Role.EARLY_HELP_PRACTITIONER, is_staff=True)
    worker.save()
    assert admin.is_staff is True
    assert worker.is_staff is False


def test_performance_analysts_and_administrators_never_work_with_families():
    assert Role.PERFORMANCE_ANALYST not in ROLES_WORKING_WITH_FAMILIES
    assert Role.ADMINISTRATOR not in ROLES_WORKING_WITH_FAMILIES
    assert User(role=Role.PERFORMANCE_ANALYST).can_see_families is False
    assert User(role=Role.PARTNER_PRACTITIONER).can_see_families is True


def test_every_role_and_every_superuser_is_asked_for_a_second_factor():
    assert all(User(role=role).needs_second_factor for role in Role)
    assert User(role="", is_superuser=True).needs_second_factor is True
    assert User(role="").needs_second_factor is False  # no role: nothing to see


def test_every_role_and_agency_kind_the_service_needs_exists():
    assert {role.label for role in Role} == {
        "Partner practitioner", "Early help practitioner", "Early help adviser", "Team manager",
        "Front door officer", "Social worker", "Performance analyst", "Administrator",
    }
    assert {kind.label for kind in AgencyKind} >= {
        "School", "Early years setting", "GP practice", "Health visiting", "School nursing",
        "Midwifery", "Police", "Housing", "Youth justice", "Local authority early help",
        "Children's social care", "Voluntary organisation", "Adult services", "Other",
    }
    assert any("CAMHS" in kind.label for kind in AgencyKind)
