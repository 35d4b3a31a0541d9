"""Who may see and change what: the one way to declare it and the one way to ask it.

Each app's `rules.py` declares, for each kind of record it owns, a "may see" and a "may change"
permission (and any narrower ones, such as signing off an assessment), each with a predicate
built from django-rules and a sentence saying who, which `docs/roles.md` shows and a test
compares. Views, selectors, services, templates (`{% load policy %}`), admin and the API all
ask `may` or `require`; nothing else decides.

`rules.has_perm` is asked directly rather than `user.has_perm`: Django gives a superuser every
permission, and a superuser must not see a child's record because of that flag.
"""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Permission:
    name: str
    record: str
    who: str


PERMISSIONS: dict[str, Permission] = {}


def declare(name: str, predicate, *, record: str, who: str) -> None:
    """Declare `app.verb_record`: who may do it, once. Declaring a name twice is a mistake."""
    if name in PERMISSIONS:
        raise ValueError(f"The permission {name!r} is declared twice")
    PERMISSIONS[name] = Permission(name=name, record=record, who=who)
    rules.add_perm(name, predicate)


def may(user, name: str, obj=None) -> bool:
    if name not in PERMISSIONS:
        raise KeyError(f"No permission {name!r} is declared")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return rules.has_perm(name, user, obj)


def require(user, name: str, obj=None, message: str = "") -> None:
    """Refuse with 403 (PermissionDenied) unless the declaration allows it."""
    if not may(user, name, obj):
        raise PermissionDenied(message or "You do not have permission to do this")


def role_in(*roles: str):
    """A predicate: the user holds one of these roles."""
    allowed = frozenset(roles)

    @rules.predicate(name=f"role in {sorted(allowed)}")
    def has_role(user) -> bool:
        return getattr(user, "role", None) in allowed

    return has_role


def policy_tables() -> str:
    """docs/roles.md's tables of every declared permission and way into a family's network."""
    from earlyhelp.accounts.models import Role
    from earlyhelp.people.access import NETWORK_ROUTES

    def roles(route) -> str:
        if route.roles is None:
            return "any role that works with families"
        return ", ".join(Role(role).label.lower() for role in sorted(route.roles, key=list(Role).index))

    lines = ["| Permission | Record | Who |", "|---|---|---|"]
    lines += [f"| `{p.name}` | {p.record} | {p.who} |" for p in sorted(PERMISSIONS.values(), key=lambda p: p.name)]
    lines += ["", "| Way into a family's network | Who | Roles |", "|---|---|---|"]
    lines += [f"| {route.name} | {route.who} | {roles(route)} |" for route in NETWORK_ROUTES.values()]
    return "\n".join(lines)
