"""The service navigation: which pages each role is offered.

A page appears here only once it exists; later features add their entries.
"""

from dataclasses import dataclass

from django.urls import reverse

from earlyhelp.accounts.models import ROLES_WORKING_WITH_FAMILIES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in role


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "home"),
    NavItem("My work", "my-work", frozenset({
        Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER, Role.PARTNER_PRACTITIONER,
        Role.TEAM_MANAGER, Role.SOCIAL_WORKER,
    })),
    NavItem("Already known?", "already-known", ROLES_WORKING_WITH_FAMILIES),
    NavItem("Front door", "front-door", frozenset({Role.FRONT_DOOR_OFFICER, Role.TEAM_MANAGER})),
    NavItem("Ask for early help", "request-create", frozenset({
        Role.PARTNER_PRACTITIONER, Role.EARLY_HELP_PRACTITIONER, Role.EARLY_HELP_ADVISER,
    })),
    NavItem("Harm referrals", "harm-referrals", frozenset({Role.SOCIAL_WORKER, Role.FRONT_DOOR_OFFICER})),
    NavItem("Dashboard", "dashboard", frozenset({Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST})),
    NavItem("Reports", "reports", frozenset({Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST})),
    NavItem("Audit", "audit-search", frozenset({Role.ADMINISTRATOR})),
    NavItem("Administration", "admin:index", frozenset({Role.ADMINISTRATOR})),
)


def navigation_for(user, current_path: str) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for item in NAV_ITEMS:
        if item.roles is not None and user.role not in item.roles:
            continue
        href = reverse(item.url_name)
        is_current = current_path == href or (href != "/" and current_path.startswith(href))
        items.append({"text": item.label, "href": href, "current": is_current})
    return items
