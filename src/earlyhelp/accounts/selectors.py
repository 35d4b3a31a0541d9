"""Reads about organisations and users. Views call these, never the models."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .demo import DEMO_ACCOUNTS
from .models import Agency, Locality, Role, Team, User


def demo_accounts_list() -> list[dict]:
    """The demo accounts that exist in this database, in role order."""
    users = User.objects.filter(
        username__in=[account.username for account in DEMO_ACCOUNTS], is_active=True
    )
    by_username = {user.username: user for user in users}
    return [
        {"username": account.username, "role": account.role.label, "name": str(by_username[account.username])}
        for account in DEMO_ACCOUNTS
        if account.username in by_username
    ]


def user_teams_list(user: User) -> QuerySet[Team]:
    return user.teams.select_related("locality", "agency").order_by("name")


def team_members_for_manager(user: User) -> QuerySet[User]:
    """Everyone in the teams the manager belongs to, the manager excluded."""
    return (
        User.objects.filter(teams__in=user.teams.all(), is_active=True)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("last_name", "first_name")
    )


def colleagues_list(user: User) -> QuerySet[User]:
    """Active people in the user's teams (for practitioners and advisers)."""
    return team_members_for_manager(user)


def organisation_summary() -> dict:
    """Counts of organisations and users, with no personal data (analysts, administrators)."""
    users_by_role = dict(
        User.objects.filter(is_active=True).values_list("role").annotate(total=Count("id"))
    )
    agencies_by_kind = dict(
        Agency.objects.filter(is_active=True).values_list("kind").annotate(total=Count("id"))
    )
    return {
        "localities": Locality.objects.count(),
        "teams": Team.objects.count(),
        "agencies": sum(agencies_by_kind.values()),
        "users": sum(users_by_role.values()),
        "users_by_role": [
            {"role": role.label, "total": users_by_role.get(role.value, 0)} for role in Role
        ],
        "agencies_by_kind": [
            {"kind": label, "total": agencies_by_kind.get(value, 0)}
            for value, label in Agency._meta.get_field("kind").choices
        ],
    }


def _counted(queryset: QuerySet) -> Subquery:
    return Subquery(queryset.filter(locality=OuterRef("pk")).order_by().values("locality")
                    .annotate(total=Count("pk")).values("total"))


def localities_with_teams() -> QuerySet[Locality]:
    # Each counted on its own: two counts over one join would multiply a locality's teams by its agencies.
    return Locality.objects.annotate(
        team_total=Coalesce(_counted(Team.objects.all()), 0),
        agency_total=Coalesce(_counted(Agency.objects.filter(is_active=True)), 0),
    ).order_by("name")
