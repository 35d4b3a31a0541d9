"""The council's OpenID Connect provider: whether one is configured, and its endpoints from its discovery document.

The discovery document (issuer + /.well-known/openid-configuration) is kept in Django's cache, shared by
every process, for EARLYHELP_OIDC_DISCOVERY_SECONDS; a provider that moves its endpoints is followed then.
"""

import hashlib

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

# The discovery document's names for the endpoints mozilla-django-oidc reads from settings.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


def sso_enabled() -> bool:
    return bool(settings.EARLYHELP_OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def _cache_key(issuer: str) -> str:
    return "sso:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()[:32]


def discovery() -> dict:
    issuer = settings.EARLYHELP_OIDC_ISSUER.rstrip("/")
    if not sso_enabled():
        raise ImproperlyConfigured("Single sign-on is not configured (EARLYHELP_OIDC_ISSUER, EARLYHELP_OIDC_CLIENT_ID)")
    key = _cache_key(issuer)
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(str(error)) from error
        if document.get("issuer", "").rstrip("/") != issuer:
            # OpenID Connect Discovery §4.3: the document must name the issuer it was fetched from.
            raise ProviderUnavailable(f"The discovery document names the issuer {document.get('issuer')!r}")
        cache.set(key, document, settings.EARLYHELP_OIDC_DISCOVERY_SECONDS)
    return document


def provider_setting(name: str, default=None):
    """An endpoint from the discovery document; any other OIDC_* setting from Django's settings."""
    if name in ENDPOINTS:
        return discovery().get(ENDPOINTS[name], default)
    return getattr(settings, name, default)
