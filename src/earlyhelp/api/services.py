"""Every write of API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.policy import require

from .models import ApiToken

TOKEN_PREFIX = "eh_"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str, by) -> tuple[ApiToken, str]:
    """A new token for the user: the saved record, and the token itself (shown once, never kept)."""
    require(by, "api.make_token")
    if by.pk != user.pk:
        raise ValidationError({"name": ["A token can only be made for yourself"]})
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": ["Enter what the token is for"]})
    if len(name) > 100:
        raise ValidationError({"name": ["Say what the token is for in 100 characters or fewer"]})
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= settings.EARLYHELP_API_TOKENS_PER_USER:
        raise ValidationError({"name": [f"You already have {settings.EARLYHELP_API_TOKENS_PER_USER} tokens: "
                                        "revoke one you no longer use first"]})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    days = settings.EARLYHELP_API_TOKEN_DAYS
    record = ApiToken.objects.create(
        user=user, name=name, prefix=token[:10], digest=token_digest(token), created_by=by,
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    return record, token


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    require(by, "api.revoke_token", token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_used(*, token: ApiToken) -> None:
    """Note when a token was last used: at most once a minute, so a busy client does not write on every call."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
