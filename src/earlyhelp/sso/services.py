"""A user signing in through the council's provider: made or brought up to date from what it says."""

import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import User

from .models import ProviderIdentity
from .selectors import grant_for_groups

logger = logging.getLogger(__name__)


class NoMappedGroup(Exception):
    """The provider's groups for this person give no role here."""


def groups_from_claims(claims: dict) -> list[str]:
    value = claims.get(settings.EARLYHELP_OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = [value]
    return [str(group) for group in value if isinstance(group, str | int)][:1000]


def _free_username(claims: dict) -> str:
    wanted = (claims.get("email") or claims.get("preferred_username") or f"sso-{claims['sub']}")[:130]
    if not User.objects.filter(username__iexact=wanted).exists():
        return wanted
    # A local account (or another provider account) holds it: the provider's subject tells them apart.
    return f"{wanted}-{hashlib.sha256(claims['sub'].encode()).hexdigest()[:8]}"


@transaction.atomic
def user_sign_in_from_claims(*, issuer: str, claims: dict) -> User:
    """The user for these claims (sub the stable link), their role and teams set from the group mappings.

    Refuses (NoMappedGroup) when no group maps, before anything is written: no account is made, and
    an existing account is left as it was (it cannot be used without the provider, whose groups no
    longer let the person in).
    """
    subject = str(claims.get("sub") or "")
    if not subject:
        raise NoMappedGroup("The provider sent no subject")
    groups = groups_from_claims(claims)
    grant = grant_for_groups(groups)
    if grant is None:
        logger.info("Single sign-on refused %s: no mapping for the groups %s", subject, groups)
        raise NoMappedGroup(f"No mapping for the groups {groups}")
    identity = (ProviderIdentity.objects.select_for_update().select_related("user")
                .filter(issuer=issuer, subject=subject).first())
    if identity is None:
        user = User(username=_free_username({**claims, "sub": subject}))
        user.set_unusable_password()  # signs in only through the provider
        identity = ProviderIdentity(issuer=issuer, subject=subject)
    else:
        user = identity.user
    user.email = (claims.get("email") or user.email)[:254]
    user.first_name = (claims.get("given_name") or user.first_name)[:150]
    user.last_name = (claims.get("family_name") or user.last_name)[:150]
    user.role = grant.role
    if grant.agency_id:
        user.agency_id = grant.agency_id
    user.save()
    user.teams.set(grant.team_ids)
    identity.user = user
    identity.groups = groups
    identity.last_signed_in = timezone.now()
    identity.save()
    return user
