"""Which page a notification leads to, and whether its reader may open that page now.

A notification is written when something happens; by the time it is opened the record it names
may have moved out of the reader's sight (a request triaged by another officer has left the
front door's queue). Each app that sends people to a record's page registers that page here with
the permission that decides who may open it (declared once, in its rules.py); opening a
notification asks that permission before following the link, so it never leads to a refusal.
Pages not registered (lists, the user's own pages) open as they are.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import Resolver404, resolve

from earlyhelp.policy import may


@dataclass(frozen=True)
class Target:
    fetch: Callable[[dict], object | None]  # the record, from the URL's arguments (None: gone)
    permission: str


NOTIFICATION_TARGETS: dict[str, Target] = {}


def notification_target(route_name: str, permission: str):
    """Register `route_name`'s record (the decorated function fetches it) and its permission."""

    def register(fetch):
        NOTIFICATION_TARGETS[route_name] = Target(fetch=fetch, permission=permission)
        return fetch

    return register


def notification_target_openable(user, url: str) -> bool:
    """Whether `user` may open the page `url` leads to (a local address; anything else: no)."""
    if not url.startswith("/") or url.startswith("//"):
        return False
    try:
        match = resolve(url.split("?", 1)[0].split("#", 1)[0])
    except Resolver404:
        return False
    target = NOTIFICATION_TARGETS.get(match.url_name)
    if target is None:
        return True
    record = target.fetch(match.kwargs)
    return record is not None and may(user, target.permission, record)
