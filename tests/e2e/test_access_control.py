"""Sign-in security in the browser: lock-out after failed attempts, and two-factor sign-in."""

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def test_repeated_wrong_passwords_lock_the_account(page, seeded_live, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, "adviser", password="wrong-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    assert_accessible(page)
    # The right password does not help while the lock lasts.
    sign_in(page, "adviser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")


def _current_code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@override_settings(EARLYHELP_REQUIRE_TWO_FACTOR=True)
def test_two_factor_is_set_up_then_asked_for_at_every_sign_in(page, seeded_live):
    sign_in(page, "practitioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Security code").fill("000000" if _current_code("practitioner") != "000000" else "111111")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator("#id_code-error")).to_contain_text("That code is not right")
    assert_accessible(page)
    page.wait_for_timeout(1100)  # django-otp slows down guessing: 1 second after a wrong code

    page.get_by_label("Security code").fill(_current_code("practitioner"))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "practitioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.goto("/")  # nothing is reachable before the code
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    # A code is accepted once only; let this sign-in be in a later 30-second step.
    TOTPDevice.objects.filter(user__username="practitioner").update(last_t=-1)
    code = _current_code("practitioner")
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


@override_settings(EARLYHELP_REQUIRE_TWO_FACTOR=True)
def test_analysts_who_never_see_a_child_are_not_asked_for_a_second_factor(page, seeded_live):
    sign_in(page, "analyst")
    expect(page.get_by_role("heading", level=1)).to_have_text("Service overview")
