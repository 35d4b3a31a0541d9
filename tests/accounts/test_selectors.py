import pytest

from earlyhelp.accounts import selectors
from earlyhelp.accounts.models import Role, User


def test_demo_accounts_are_listed_one_per_role_in_role_order(seeded):
    accounts = selectors.demo_accounts_list()
    assert [account["role"] for account in accounts] == [role.label for role in Role]
    assert accounts[1] == {"username": "practitioner", "role": "Early help practitioner", "name": "Tom Fletcher"}


def test_switched_off_demo_accounts_are_not_listed(seeded):
    User.objects.filter(username="analyst").update(is_active=False)
    assert "analyst" not in [account["username"] for account in selectors.demo_accounts_list()]


def test_organisation_summary_counts_match_the_database(seeded):
    summary = selectors.organisation_summary()
    assert summary["users"] == User.objects.filter(is_active=True).count()
    by_role = {row["role"]: row["total"] for row in summary["users_by_role"]}
    assert by_role["Administrator"] == User.objects.filter(role=Role.ADMINISTRATOR).count() == 1
    assert sum(row["total"] for row in summary["agencies_by_kind"]) == summary["agencies"]


def test_a_manager_sees_colleagues_in_their_own_teams_only(seeded, demo_user):
    manager = demo_user("manager")
    colleagues = set(selectors.team_members_for_manager(manager).values_list("username", flat=True))
    assert {"practitioner", "adviser"} <= colleagues
    assert "manager" not in colleagues
    assert "socialworker" not in colleagues
    assert "frontdoor" not in colleagues


@pytest.mark.django_db
def test_a_user_with_no_team_has_no_colleagues():
    user = User.objects.create_user(username="lonely", password="x" * 12, role=Role.EARLY_HELP_PRACTITIONER)
    assert list(selectors.colleagues_list(user)) == []
