"""The client's address behind the council's reverse proxies, for lock-out (django-axes)."""

from django.conf import settings


def client_ip(request) -> str | None:
    """With N trusted proxies, the Nth address from the right of X-Forwarded-For is the client's.

    Proxies append the address they received from; addresses further left are whatever the
    client chose to send, so they are never trusted.
    """
    proxies = settings.EARLYHELP_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
