"""Rate limits, counted in Django's cache (shared by every worker and host: settings CACHES), read
from settings on each request so that a council's setting (and a test's) applies without a restart."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class TokenUserThrottle(UserRateThrottle):
    """Per user, whichever of their tokens is used."""

    def get_rate(self):
        return settings.EARLYHELP_API_USER_RATE


class AnonymousThrottle(AnonRateThrottle):
    """Per client address, for requests without a valid token (the schema, and refusals)."""

    def get_rate(self):
        return settings.EARLYHELP_API_ANON_RATE
