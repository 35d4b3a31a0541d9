"""What each role sees first: the work in front of them, or a clear empty state."""

from earlyhelp.accounts import selectors as accounts
from earlyhelp.accounts.models import Role, User
from earlyhelp.frontdoor import harm
from earlyhelp.sharing.selectors import sharing_for_review_count

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


# Roles whose home page lists their queues (reporting/worklists.py) above their families.
QUEUE_ROLES = frozenset({Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.TEAM_MANAGER,
                         Role.SOCIAL_WORKER, Role.FRONT_DOOR_OFFICER})

# Concerns of significant harm listed on a home page; the rest are on the harm referrals page.
HOME_HARM_REFERRALS = 10


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
    if role in {Role.SOCIAL_WORKER, Role.FRONT_DOOR_OFFICER}:
        awaiting = harm.harm_referrals_awaiting_decision(user)
        shown = list(awaiting[:HOME_HARM_REFERRALS])
        context["harm_referrals"] = shown
        # Counted only when the list is full: there may be more.
        context["harm_referrals_total"] = awaiting.count() if len(shown) == HOME_HARM_REFERRALS else len(shown)
    if role == Role.FRONT_DOOR_OFFICER:
        from earlyhelp.frontdoor.selectors import triage_queue_summary

        context["triage_total"], context["triage_oldest"] = triage_queue_summary(user)
    if role == Role.TEAM_MANAGER:
        from earlyhelp.frontdoor.selectors import escalations_waiting

        context["sharing_for_review_total"] = sharing_for_review_count(user)
        context["escalations"] = escalations_waiting(user, limit=HOME_HARM_REFERRALS)
    if role in {Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.PARTNER_PRACTITIONER, Role.TEAM_MANAGER}:
        context.update(_episode_work(user, late_in_teams=role == Role.TEAM_MANAGER))
    if role in QUEUE_ROLES:
        from earlyhelp.episodes.selectors_core import due_dates
        from earlyhelp.reporting.worklists import work_queues_for

        context["queues"] = work_queues_for(user)
        context["show_queue_links"] = role != Role.FRONT_DOOR_OFFICER  # no My work at the front door
        context.update(due_dates())
    if role in {Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR}:
        context["summary"] = accounts.organisation_summary()
        context["localities"] = list(accounts.localities_with_teams())
    return context


def _episode_work(user: User, *, late_in_teams: bool) -> dict:
    """The first rows of My work (or, for managers, of their teams' late work), most urgent first."""
    from earlyhelp.episodes import selectors_core as episodes

    work = episodes.team_late_work_list(user) if late_in_teams else episodes.my_work_list(user)
    shown = list(work[:episodes.HOME_ROWS])
    return {
        "work": shown,
        # Counted only when the list is full: there may be more.
        "work_total": work.count() if len(shown) == episodes.HOME_ROWS else len(shown),
        **episodes.due_dates(),
    }


def listed_family_ids(context: dict) -> list[int]:
    """The families a home page lists (its harm referrals, queue and work rows), for the access record."""
    ids = [referral.family_id for referral in context.get("harm_referrals", [])]
    ids += [row.request.family_id for row in context.get("triage_oldest", [])]
    ids += [episode.family_id for episode in context.get("work", [])]
    ids += [escalation.decision.family_id for escalation in context.get("escalations", [])]
    if context.get("queues"):
        from earlyhelp.reporting.worklists import queue_family_ids

        ids += queue_family_ids(context["queues"])
    return ids
