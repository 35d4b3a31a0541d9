"""What each role sees first: the work in front of them, or a clear empty state."""

from earlyhelp.accounts import selectors as accounts
from earlyhelp.accounts.models import Role, User

HOME_TEMPLATES = {
    Role.PARTNER_PRACTITIONER: "partner_practitioner",
    Role.EARLY_HELP_PRACTITIONER: "early_help_practitioner",
    Role.EARLY_HELP_ADVISER: "early_help_adviser",
    Role.TEAM_MANAGER: "team_manager",
    Role.FRONT_DOOR_OFFICER: "front_door_officer",
    Role.SOCIAL_WORKER: "social_worker",
    Role.PERFORMANCE_ANALYST: "performance_analyst",
    Role.ADMINISTRATOR: "administrator",
}


def home_context_for(user: User) -> dict:
    role = Role(user.role) if user.role in Role.values else None
    context: dict = {
        "template": HOME_TEMPLATES.get(role, "no_role"),
        "teams": list(accounts.user_teams_list(user)),
    }
    if role in {Role.TEAM_MANAGER, Role.EARLY_HELP_ADVISER, Role.EARLY_HELP_PRACTITIONER}:
        context["colleagues"] = list(
            accounts.colleagues_list(user).select_related("agency").only(
                "first_name", "last_name", "username", "role", "job_title", "email", "phone", "agency__name"
            )
        )
    if role in {Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR}:
        context["summary"] = accounts.organisation_summary()
        context["localities"] = list(accounts.localities_with_teams())
    return context
