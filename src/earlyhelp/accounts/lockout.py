"""Sign-in lock-out: a limit per username and a larger one per client address (django-axes).

Axes compares one number with one limit, the worst of its lockout parameters' counts. Here
each parameter's failures are measured against its own limit first, so a username locks after
AXES_FAILURE_LIMIT failures and an address (the one accounts/client_ip.py finds behind the
trusted proxies) after EARLYHELP_ADDRESS_SIGN_IN_ATTEMPTS, whatever user agent is sent.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LockOutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The worst of the username's and the address's failures, in units of the username limit."""
        limit = get_failure_limit(request, credentials)
        limits = {"username": limit, "ip_address": settings.EARLYHELP_ADDRESS_SIGN_IN_ATTEMPTS}
        worst = 0
        for parameter, attempts in zip(get_lockout_parameters(request, credentials),
                                       self.get_user_attempts(request, credentials)):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            # failures * limit // own >= limit exactly when failures >= own.
            worst = max(worst, failures * limit // limits.get(str(parameter), limit))
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A sign-in clears that username's failures only, never the whole address's.

        Otherwise anyone with an account could sign in between guesses at other people's
        usernames from the same address and start its count again.
        """
        deleted, _ = AccessAttempt.objects.filter(username=get_client_username(request, credentials)).delete()
        return deleted
