"""Two-factor authentication with an authenticator app (TOTP, django-otp)."""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

# The session holds the user's id here when their identity provider said they used more than one factor
# (earlyhelp/sso): RequireTwoFactorMiddleware then marks the user second_factor_by_provider.
PROVIDER_MFA_SESSION_KEY = "earlyhelp_provider_mfa"


def second_factor_outstanding(user) -> bool:
    """A signed-in user who must give an authenticator code has not given one this session."""
    return (
        settings.EARLYHELP_REQUIRE_TWO_FACTOR
        and user.is_authenticated
        and user.needs_second_factor
        and not user.is_verified()
        and not getattr(user, "second_factor_by_provider", False)
    )


def totp_device_unconfirmed_get_or_create(*, user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_secret_for_display(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[index:index + 4] for index in range(0, len(secret), 4))


def totp_qr_code_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def user_has_confirmed_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def confirmed_device_matching(*, user: User, token: str):
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None
