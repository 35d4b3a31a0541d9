from django.conf import settings

from .navigation import navigation_for


def service(request):
    return {
        "service_name": settings.EARLYHELP_SERVICE_NAME,
        "local_authority": settings.EARLYHELP_LOCAL_AUTHORITY,
        "phase": settings.EARLYHELP_PHASE,
        "support_email": settings.EARLYHELP_SUPPORT_EMAIL,
        "demo_mode": settings.EARLYHELP_DEMO_MODE,
        "navigation": navigation_for(getattr(request, "user", None), request.path),
    }
