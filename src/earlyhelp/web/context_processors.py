from functools import cache

from django.conf import settings

from earlyhelp.frontdoor.harm import UNREAD_COUNT_LIMIT, notifications_unread_count

from .drafts import DRAFT_URL_NAMES, draft_for_page
from .idle_timeout import seconds_left
from .navigation import navigation_for
from .public_pages import header_home_url


def service(request):
    return {
        "service_name": settings.EARLYHELP_SERVICE_NAME,
        "local_authority": settings.EARLYHELP_LOCAL_AUTHORITY,
        "phase": settings.EARLYHELP_PHASE,
        "support_email": settings.EARLYHELP_SUPPORT_EMAIL,
        "demo_mode": settings.EARLYHELP_DEMO_MODE,
        "header_home_url": header_home_url(request),
        "navigation": navigation_for(getattr(request, "user", None), request.path),
        # A callable, so the one bounded count runs only on pages that show it.
        "unread_notifications": _unread_notifications(getattr(request, "user", None)),
        "unread_notifications_limit": UNREAD_COUNT_LIMIT,
        **_session_and_draft(request),
    }


def _session_and_draft(request) -> dict:
    """For the time-out warning (the seconds the session has left: web/idle_timeout.py)
    and for drafts: whether this page saves them, and the user's own draft of it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    match = getattr(request, "resolver_match", None)
    return {
        "session_seconds": seconds_left(request.session),
        "session_warning_seconds": settings.EARLYHELP_SESSION_WARNING_SECONDS,
        "drafts_enabled": bool(match and match.url_name in DRAFT_URL_NAMES),
        "page_draft": draft_for_page(request),
    }


def _unread_notifications(user):
    @cache
    def count() -> int:
        return notifications_unread_count(user) if user is not None else 0

    return count
