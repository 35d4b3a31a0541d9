"""Reads of API tokens, and the lists the API shows, through the selectors and policy of each app."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from earlyhelp.policy import require

from .models import ApiToken
from .services import token_digest


def tokens_for_user(user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))


def token_get_for_user(user, token_id: int) -> ApiToken:
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=token_id, revoked_at__isnull=True)
    require(user, "api.revoke_token", token)
    return token


def token_authenticate(token: str) -> ApiToken | None:
    """The live token with this value, with its user; None for anything else."""
    found = ApiToken.objects.select_related("user").filter(digest=token_digest(token), revoked_at__isnull=True).first()
    if found is None or (found.expires_at is not None and found.expires_at <= timezone.now()):
        return None
    return found
