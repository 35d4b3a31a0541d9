"""The service navigation: which pages each role is offered.

A page appears here only once it exists; later features add their entries.
"""

from dataclasses import dataclass

from django.urls import reverse

from earlyhelp.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in role


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "home"),
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
