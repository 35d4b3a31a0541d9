from functools import cache

from django.conf import settings

from earlyhelp.frontdoor.harm import UNREAD_COUNT_LIMIT, notifications_unread_count

from .navigation import navigation_for


def service(request):
    return {
        "service_name": settings.EARLYHELP_SERVICE_NAME,
        "local_authority": settings.EARLYHELP_LOCAL_AUTHORITY,
        "phase": settings.EARLYHELP_PHASE,
        "support_email": settings.EARLYHELP_SUPPORT_EMAIL,
        "demo_mode": settings.EARLYHELP_DEMO_MODE,
        "navigation": navigation_for(getattr(request, "user", None), request.path),
        # A callable, so the one bounded count runs only on pages that show it.
        "unread_notifications": _unread_notifications(getattr(request, "user", None)),
        "unread_notifications_limit": UNREAD_COUNT_LIMIT,
    }


def _unread_notifications(user):
    @cache
    def count() -> int:
        return notifications_unread_count(user) if user is not None else 0

    return count
