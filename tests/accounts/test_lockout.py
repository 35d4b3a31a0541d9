"""Sign-in lock-out counts usernames and client addresses, never user agents (accounts/lockout.py).

The counts are django-axes' rows in the database, which every worker process reads and writes.
"""

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import User

PASSWORD = "a-long-enough-password-2026"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.EARLYHELP_ADDRESS_SIGN_IN_ATTEMPTS = 6
    settings.EARLYHELP_TRUSTED_PROXIES = 1  # behind one reverse proxy, as in production
    for username in ("tom", "amira"):
        User.objects.create_user(username=username, password=PASSWORD)


def _sign_in(client, username, password="wrong", *, address="203.0.113.5", agent="Firefox", spoofed="6.6.6.6"):
    return client.post(reverse("sign-in"), {"username": username, "password": password},
                       HTTP_USER_AGENT=agent, HTTP_X_FORWARDED_FOR=f"{spoofed}, {address}", REMOTE_ADDR="10.0.0.2")


def _locked(response) -> bool:
    return "Your account is locked" in response.content.decode()


def test_a_username_locks_whatever_user_agent_and_address_the_guesses_come_from(client):
    for number in range(2):
        assert not _locked(_sign_in(client, "tom", agent=f"Bot/{number}", address=f"198.51.100.{number}"))
    assert _locked(_sign_in(client, "tom", agent="Bot/2", address="198.51.100.2"))  # the third failure
    response = _sign_in(client, "tom", PASSWORD, agent="Bot/new", address="198.51.100.99")
    assert _locked(response) and response.status_code == 429
    # Someone else is not locked out by it.
    assert _sign_in(client, "amira", PASSWORD).status_code == 302


def test_an_address_locks_across_usernames_whatever_user_agent_it_sends(client):
    for number in range(5):  # 5 usernames, each under its own limit, each with another user agent
        assert not _locked(_sign_in(client, f"guess{number}", agent=f"Bot/{number}", spoofed=f"6.6.6.{number}"))
    # Below the address's higher limit a colleague in the same office still signs in.
    assert _sign_in(client, "amira", PASSWORD, agent="Edge").status_code == 302
    client.logout()
    assert _locked(_sign_in(client, "guess5", agent="Bot/5"))  # the sixth failure from the address
    assert _locked(_sign_in(client, "tom", PASSWORD, agent="Bot/6"))
    assert _sign_in(client, "tom", PASSWORD, address="203.0.113.77").status_code == 302  # another address


def test_signing_in_clears_the_usernames_failures_not_the_addresss(client):
    for number in range(4):
        _sign_in(client, f"guess{number}")
    _sign_in(client, "amira")
    assert _sign_in(client, "amira", PASSWORD).status_code == 302  # clears amira's one failure only
    client.logout()
    assert not _locked(_sign_in(client, "guess4"))  # the fifth failure the address still counts
    assert _locked(_sign_in(client, "guess5"))


def test_the_address_limit_is_higher_than_the_username_limit_in_the_real_settings():
    from earlyhelp.config.settings import base

    assert base.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert base.EARLYHELP_ADDRESS_SIGN_IN_ATTEMPTS > base.AXES_FAILURE_LIMIT
