"""The service navigation: which pages each role is offered.

A page appears here only once it exists; later features add their entries.
"""

from dataclasses import dataclass

from django.urls import reverse

from earlyhelp.policy import may


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # None: every signed-in user; else the declared permission (earlyhelp.policy)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "home"),
    NavItem("My work", "my-work", "episodes.view_my_work"),
    NavItem("Already known?", "already-known", "people.search_known"),
    NavItem("Front door", "front-door", "frontdoor.work_front_door"),
    NavItem("Ask for early help", "request-create", "frontdoor.ask_for_help"),
    NavItem("Harm referrals", "harm-referrals", "frontdoor.view_harm_queue"),
    NavItem("Step downs", "step-downs", "episodes.list_step_downs"),
    NavItem("Team work", "team-work", "reporting.view_team_work"),
    NavItem("Dashboard", "dashboard", "reporting.view_insight"),
    NavItem("Reports", "reports", "reporting.view_insight"),
    NavItem("Audit", "audit-search", "audit.view_access_history"),
    NavItem("Administration", "admin:index", "accounts.administer"),
)


def navigation_for(user, current_path: str) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for item in NAV_ITEMS:
        if item.permission is not None and not may(user, item.permission):
            continue
        href = reverse(item.url_name)
        is_current = current_path == href or (href != "/" and current_path.startswith(href))
        items.append({"text": item.label, "href": href, "current": is_current})
    return items
