"""The single sign-on tests' OpenID Connect provider, one per test process, and signing in through it."""

import re
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from .provider_server import ProviderServer

CLIENT_ID = "earlyhelp-test"
CLIENT_SECRET = "a-secret-only-these-tests-know"
PASSWORD = "provider-password-1"
# The provider's people: groups as the council's directory holds them, amr as the provider reports the sign-in.
PROVIDER_USERS = [
    {"username": "priya", "email": "priya.shah@council.example", "first_name": "Priya", "last_name": "Shah",
     "groups": ["EH-Practitioners", "All-Staff"], "amr": ["pwd", "mfa"]},
    {"username": "mark", "email": "mark.jones@council.example", "first_name": "Mark", "last_name": "Jones",
     "groups": ["EH-Managers", "EH-Practitioners"], "amr": ["pwd"]},
    {"username": "fiona", "email": "fiona.green@council.example", "first_name": "Fiona", "last_name": "Green",
     "groups": ["Finance", "All-Staff"], "amr": ["pwd", "mfa"]},
    {"username": "sam", "email": "sam.okoro@council.example", "first_name": "Sam", "last_name": "Okoro",
     "groups": ["EH-Practitioners"], "amr": ["pwd", "otp"]},
]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    server = ProviderServer(tmp_path_factory.mktemp("oidc-provider")).start()
    try:
        server.setup(
            users=[{**user, "password": PASSWORD} for user in PROVIDER_USERS],
            clients=[{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                      "redirect_uris": ["http://testserver/sso/callback/"],
                      "post_logout_redirect_uris": ["http://testserver/signed-out/"]}],
        )
        yield server
    finally:
        server.stop()


@pytest.fixture
def sso_on(settings, oidc_provider):
    """Single sign-on set up as a council would, with its environment's settings, against the test provider."""
    settings.EARLYHELP_OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.EARLYHELP_OIDC_BUTTON_LABEL = "Sign in with Testshire account"
    return oidc_provider


def provider_sign_in(client, username: str, *, password: str = PASSWORD, next_url: str = ""):
    """Sign in as a person would: the service sends the browser to the provider, they sign in on its page,
    and it sends them back. `client` is Django's test client (the service), requests the browser at the
    provider. Returns the service's answer to the callback."""
    start = client.get(reverse("sso-start") + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start
    browser = requests.Session()
    answer = browser.get(start["Location"], allow_redirects=True, timeout=10)
    assert "/accounts/login/" in answer.url, answer.url  # the provider's own sign-in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text).group(1)
    next_field = re.search(r'name="next" value="([^"]*)"', answer.text).group(1).replace("&amp;", "&")
    answer = browser.post(answer.url, data={"csrfmiddlewaretoken": token, "username": username,
                                            "password": password, "next": next_field},
                          headers={"Referer": answer.url}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    answer = browser.get(requests.compat.urljoin(answer.url, answer.headers["Location"]),
                         allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    assert back.netloc == "testserver" and back.path == reverse("sso-callback"), answer.headers["Location"]
    return client.get(f"{back.path}?{back.query}")
