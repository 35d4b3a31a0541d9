"""Signing out of the provider too, when it offers RP-initiated logout (its discovery document's end_session_endpoint)."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from . import provider


def provider_sign_out_url(request) -> str | None:
    """Where to send a user who signed in through the provider, read before the session ends; None otherwise."""
    id_token = request.session.get("oidc_id_token")
    if not id_token or not provider.sso_enabled():
        return None
    try:
        endpoint = provider.discovery().get("end_session_endpoint")
    except provider.ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = urlencode({
        "id_token_hint": id_token,
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("signed-out")),
    })
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
