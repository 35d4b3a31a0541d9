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
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


@override_settings(EARLYHELP_REQUIRE_TWO_FACTOR=True)
def test_roles_that_see_families_must_pass_the_second_factor(client, demo_user):
    client.force_login(demo_user("frontdoor"))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-verify"))
    # With no device yet, the check sends them to set one up.
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("two-factor-setup"))


@override_settings(EARLYHELP_REQUIRE_TWO_FACTOR=True)
def test_roles_that_never_see_a_child_need_no_second_factor(client, demo_user):
    client.force_login(demo_user("analyst"))
    assert client.get(reverse("home")).status_code == 200


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
