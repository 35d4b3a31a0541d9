import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse


def test_every_page_sends_a_content_security_policy_with_nothing_inline(client, seeded):
    policy = client.get(reverse("sign-in"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_passwords_are_hashed_with_argon2_in_the_real_settings():
    from earlyhelp.config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sessions_end_after_idle_time():
    # Saved again as requests come, a minute apart at most (tests/web/test_idle_timeout.py).
    assert "earlyhelp.web.idle_timeout.IdleTimeoutMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_AGE == 30 * 60


@override_settings(EARLYHELP_REQUIRE_TWO_FACTOR=True)
@pytest.mark.parametrize("username", ["frontdoor", "admin", "analyst"])
def test_every_role_must_pass_the_second_factor(client, demo_user, username):
    # Administrators read the audit trail and merge records; analysts download Annex A's rows.
    client.force_login(demo_user(username))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-verify"))
    # With no device yet, the check sends them to set one up.
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("two-factor-setup"))


def _superuser():
    from django.core.management import call_command

    from earlyhelp.accounts.models import Role, User

    call_command("createsuperuser", interactive=False, username="root", email="root@example.gov.uk",
                 role=Role.PERFORMANCE_ANALYST, verbosity=0)
    return User.objects.get(username="root")


@override_settings(EARLYHELP_REQUIRE_TWO_FACTOR=True)
@pytest.mark.parametrize("account", ["administrator", "superuser"])
def test_the_audit_trail_merging_and_admin_wait_for_the_second_factor(client, demo_user, account):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from earlyhelp.people.models import Person

    if account == "superuser":
        user, pages = _superuser(), ["/admin/", reverse("admin:accounts_user_changelist")]
    else:
        person = Person.objects.order_by("pk").first()
        user, pages = demo_user("admin"), [
            reverse("audit-search"), reverse("audit-person", args=[person.pk]),
            reverse("audit-person-csv", args=[person.pk]), reverse("person-merge"),
            "/admin/", reverse("admin:accounts_user_changelist"),
        ]
    client.force_login(user)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two-factor-verify")), url

    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    assert client.post(reverse("two-factor-verify"), {"code": code, "next": pages[0]})["Location"] == pages[0]
    for url in pages:
        assert client.get(url).status_code == 200, url


@override_settings(EARLYHELP_REQUIRE_TWO_FACTOR=True)
def test_a_wrong_or_malformed_code_is_explained(client, demo_user):
    client.force_login(demo_user("practitioner"))
    client.get(reverse("two-factor-setup"))
    page = client.post(reverse("two-factor-setup"), {"code": "12ab"}).content.decode()
    assert "Enter the security code as 6 numbers" in page


def test_two_factor_is_on_by_default_outside_demo_mode(monkeypatch):
    import importlib

    from earlyhelp.config.settings import base

    monkeypatch.setenv("EARLYHELP_DEMO_MODE", "0")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.delenv("EARLYHELP_REQUIRE_TWO_FACTOR", raising=False)
    try:
        assert importlib.reload(base).EARLYHELP_REQUIRE_TWO_FACTOR is True
        monkeypatch.setenv("EARLYHELP_DEMO_MODE", "1")
        assert importlib.reload(base).EARLYHELP_REQUIRE_TWO_FACTOR is False
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_lock_out_uses_the_address_the_trusted_proxy_saw(rf, settings):
    from earlyhelp.accounts.client_ip import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    settings.EARLYHELP_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.9"  # the spoofed left-hand value is ignored
    settings.EARLYHELP_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"


def test_production_refuses_a_short_secret_key(monkeypatch):
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("SECRET_KEY", "too-short")
    monkeypatch.setenv("EARLYHELP_DEMO_MODE", "1")
    sys.modules.pop("earlyhelp.config.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="50 or more"):
        importlib.import_module("earlyhelp.config.settings.production")
    sys.modules.pop("earlyhelp.config.settings.production", None)
