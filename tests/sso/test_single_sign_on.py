"""Signing in through the council's OpenID Connect provider: a real one, started by the tests (conftest.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from earlyhelp.accounts.models import Agency, AgencyKind, Role, Team, TeamKind, User
from earlyhelp.sso.mfa import amr_is_multi_factor
from earlyhelp.sso.models import GroupMapping, ProviderIdentity
from earlyhelp.sso.selectors import grant_for_groups

from .conftest import provider_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def mappings(db):
    council = Agency.objects.create(name="Testshire County Council", kind=AgencyKind.LA_EARLY_HELP)
    north = Team.objects.create(name="North early help", kind=TeamKind.LOCALITY_EARLY_HELP, agency=council)
    south = Team.objects.create(name="South early help", kind=TeamKind.LOCALITY_EARLY_HELP, agency=council)
    practitioners = GroupMapping.objects.create(group="EH-Practitioners", role=Role.EARLY_HELP_PRACTITIONER,
                                                agency=council, order=50)
    practitioners.teams.set([north])
    managers = GroupMapping.objects.create(group="EH-Managers", role=Role.TEAM_MANAGER, order=10)
    managers.teams.set([south])
    return {"council": council, "north": north, "south": south}


# --- the mapping (unit) ---

def test_no_mapped_group_gives_nothing(mappings):
    assert grant_for_groups([]) is None
    assert grant_for_groups(["Finance", "All-Staff"]) is None


def test_the_lowest_order_gives_the_role_and_every_mapping_its_teams(mappings):
    grant = grant_for_groups(["All-Staff", "EH-Practitioners", "EH-Managers"])
    assert grant.role == Role.TEAM_MANAGER
    assert grant.team_ids == {mappings["north"].pk, mappings["south"].pk}
    assert grant.agency_id == mappings["council"].pk  # from the one mapping that names an agency

    only = grant_for_groups(["EH-Practitioners"])
    assert (only.role, only.team_ids) == (Role.EARLY_HELP_PRACTITIONER, {mappings["north"].pk})


@pytest.mark.parametrize(("amr", "multi_factor"), [
    (["pwd", "mfa"], True), (["mfa"], True), (["ngcmfa"], True), (["pwd", "otp"], True), (["pwd", "hwk"], True),
    (["hwk", "pin"], True), (["swk", "fpt"], True), (["pwd", "sms"], True),
    (["pwd"], False), (["otp"], False), (["pwd", "kba"], False), (["mca"], False), (["wiaormfa"], False),
    ([], False), (None, False), ("pwd", False), ("mfa", True), ({"mfa": 1}, False),
])
def test_which_amr_values_count_as_multi_factor(amr, multi_factor):
    assert amr_is_multi_factor(amr) is multi_factor


# --- the sign-in page ---

def test_the_sign_in_page_is_unchanged_when_single_sign_on_is_off(client):
    page = client.get(reverse("sign-in"))
    assert page.status_code == 200
    assert b"sso/start" not in page.content and b"Sign in with a username and password" not in page.content
    assert client.get(reverse("sso-start")).status_code == 404
    assert client.get(reverse("sso-callback") + "?code=x&state=y").status_code == 404


def test_the_sign_in_page_offers_the_councils_account_and_a_password(client, sso_on):
    page = client.get(reverse("sign-in") + "?next=/my-work/").content.decode()
    assert "Sign in with Testshire account" in page
    assert 'href="/sso/start/?next=/my-work/"' in page
    assert 'name="password"' in page  # partners without an account at the provider


# --- signing in through the provider ---

def test_a_mapped_user_is_made_from_the_claims_and_lands_on_the_home_page(client, sso_on, mappings):
    answer = provider_sign_in(client, "priya")
    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    user = User.objects.get(email="priya.shah@council.example")
    assert (user.first_name, user.last_name, user.role) == ("Priya", "Shah", Role.EARLY_HELP_PRACTITIONER)
    assert set(user.teams.all()) == {mappings["north"]}
    assert user.agency == mappings["council"]
    assert not user.has_usable_password()  # only the provider signs them in
    identity = ProviderIdentity.objects.get(user=user)
    assert identity.issuer == sso_on.issuer and identity.subject and identity.groups == ["EH-Practitioners", "All-Staff"]
    assert int(client.session[SESSION_KEY]) == user.pk
    assert client.get(reverse("home")).status_code == 200


def test_the_page_asked_for_before_signing_in_is_where_the_user_lands(client, sso_on, mappings):
    answer = provider_sign_in(client, "priya", next_url="/my-work/")
    assert answer.status_code == 302 and answer["Location"] == "/my-work/"


def test_a_user_whose_groups_map_to_nothing_is_refused_and_no_account_is_made(client, sso_on, mappings):
    users_before = User.objects.count()
    answer = provider_sign_in(client, "fiona")
    assert answer.status_code == 302 and answer["Location"] == reverse("sso-problem")
    page = client.get(answer["Location"])
    assert page.status_code == 403
    assert "not in any group that gives access" in page.content.decode()
    assert User.objects.count() == users_before
    assert not ProviderIdentity.objects.exists()
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_a_changed_group_changes_the_role_and_teams_at_the_next_sign_in(client, sso_on, mappings):
    provider_sign_in(client, "sam")
    sam = User.objects.get(email="sam.okoro@council.example")
    assert sam.role == Role.EARLY_HELP_PRACTITIONER and set(sam.teams.all()) == {mappings["north"]}
    try:
        sso_on.setup(users=[{"username": "sam", "groups": ["EH-Managers"], "email": "sam.okoro@testshire.example"}])
        client.post(reverse("sign-out"))
        provider_sign_in(Client(), "sam")
        sam.refresh_from_db()  # the same account: the provider's subject links them, not the e-mail
        assert sam.role == Role.TEAM_MANAGER and set(sam.teams.all()) == {mappings["south"]}
        assert sam.email == "sam.okoro@testshire.example"
        assert User.objects.filter(first_name="Sam").count() == 1

        sso_on.setup(users=[{"username": "sam", "groups": ["Leavers"]}])
        assert provider_sign_in(Client(), "sam")["Location"] == reverse("sso-problem")
    finally:
        sso_on.setup(users=[{"username": "sam", "groups": ["EH-Practitioners"], "email": "sam.okoro@council.example"}])


def test_an_account_switched_off_here_cannot_sign_in_through_the_provider(client, sso_on, mappings):
    provider_sign_in(client, "priya")
    User.objects.filter(email="priya.shah@council.example").update(is_active=False)
    again = Client()
    assert provider_sign_in(again, "priya")["Location"] == reverse("sso-problem")
    assert SESSION_KEY not in again.session


def test_a_local_account_named_like_the_provider_user_is_not_taken_over(client, sso_on, mappings):
    local = User.objects.create_user("priya.shah@council.example", email="priya.shah@council.example",
                                     password="local-pass-1", role=Role.PARTNER_PRACTITIONER)
    provider_sign_in(client, "priya")
    local.refresh_from_db()
    assert local.role == Role.PARTNER_PRACTITIONER and not hasattr(local, "provider_identity")
    made = ProviderIdentity.objects.get().user
    assert made != local and made.username.startswith("priya.shah@council.example-")


# --- the second factor ---

@pytest.mark.parametrize("username", ["priya", "sam"])  # amr ["pwd", "mfa"] and ["pwd", "otp"]
def test_a_provider_sign_in_with_more_than_one_factor_is_not_asked_for_a_code(client, sso_on, mappings, settings,
                                                                            username):
    settings.EARLYHELP_REQUIRE_TWO_FACTOR = True
    provider_sign_in(client, username)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("my-work")).status_code == 200


def test_a_provider_sign_in_with_a_password_only_is_asked_for_the_services_code(client, sso_on, mappings, settings):
    settings.EARLYHELP_REQUIRE_TWO_FACTOR = True
    provider_sign_in(client, "mark")  # amr ["pwd"]
    answer = client.get(reverse("home"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("two-factor-verify"))


def test_the_providers_word_on_factors_is_not_carried_to_another_user(client, sso_on, mappings, settings):
    settings.EARLYHELP_REQUIRE_TWO_FACTOR = True
    provider_sign_in(Client(), "priya")
    priya = User.objects.get(email="priya.shah@council.example")
    provider_sign_in(client, "mark")  # amr ["pwd"]
    session = client.session
    session["earlyhelp_provider_mfa"] = priya.pk  # another user's mark, in mark's session
    session.save()
    answer = client.get(reverse("home"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("two-factor-verify"))


# --- local accounts, sign-out and failures ---

def test_local_accounts_still_sign_in_with_a_password_when_single_sign_on_is_on(client, sso_on, mappings):
    User.objects.create_user("partner.school", password="local-pass-1", role=Role.PARTNER_PRACTITIONER)
    answer = client.post(reverse("sign-in"), {"username": "partner.school", "password": "local-pass-1"})
    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    wrong = Client().post(reverse("sign-in"), {"username": "partner.school", "password": "nope"})
    assert wrong.status_code in (200, 422)


def test_signing_out_ends_the_session_here_and_at_the_provider(client, sso_on, mappings):
    provider_sign_in(client, "priya")
    answer = client.post(reverse("sign-out"))
    assert answer.status_code == 302
    location = urlsplit(answer["Location"])
    discovery = requests.get(f"{sso_on.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert f"{location.scheme}://{location.netloc}{location.path}" == discovery["end_session_endpoint"]
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/signed-out/"] and query["id_token_hint"]
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302
    # The provider accepts the request and sends the browser back to the service's signed-out page.
    ended = requests.get(answer["Location"], allow_redirects=False, timeout=5)
    assert ended.status_code == 302 and ended.headers["Location"] == "http://testserver/signed-out/"


def test_a_local_account_signs_out_without_visiting_the_provider(client, sso_on):
    client.force_login(User.objects.create_user("partner.gp", password="x", role=Role.PARTNER_PRACTITIONER))
    assert client.post(reverse("sign-out"))["Location"] == reverse("signed-out")


def test_a_sign_in_stopped_at_the_provider_shows_a_plain_page(client, sso_on):
    start = client.get(reverse("sso-start"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    answer = client.get(reverse("sso-callback") + f"?error=access_denied&state={state}")
    assert answer["Location"] == reverse("sso-problem")
    page = client.get(answer["Location"])
    assert page.status_code == 200 and "Sign-in did not finish" in page.content.decode()


def test_a_forged_callback_is_refused_without_a_server_error(client, sso_on):
    client.get(reverse("sso-start"))
    assert client.get(reverse("sso-callback") + "?code=made-up&state=not-ours").status_code == 400
    start = client.get(reverse("sso-start"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    answer = client.get(reverse("sso-callback") + f"?code=made-up&state={state}")  # the provider refuses the code
    assert answer.status_code == 302 and answer["Location"] == reverse("sso-problem")
    assert SESSION_KEY not in client.session
    assert "Sign-in did not finish" in client.get(answer["Location"]).content.decode()


def test_an_unreachable_provider_gives_a_plain_page(client, settings):
    settings.EARLYHELP_OIDC_ISSUER = "http://127.0.0.1:9/o"  # the discard port: nothing listens
    settings.OIDC_RP_CLIENT_ID = "x"
    answer = client.get(reverse("sso-start"))
    assert answer.status_code == 503 and "Sign-in is not working" in answer.content.decode()
    assert client.get(reverse("sign-in")).status_code == 200


def test_an_administrator_keeps_the_mapping_in_admin(client, mappings):
    admin = User.objects.create_user("admin.sso", password="x", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    assert client.get("/admin/sso/groupmapping/").status_code == 200
    answer = client.post("/admin/sso/groupmapping/add/", {
        "group": "CSC-Social-Workers", "description": "", "role": Role.SOCIAL_WORKER, "order": 20,
        "teams": [mappings["south"].pk]})
    assert answer.status_code == 302, answer.content[:2000]
    assert GroupMapping.objects.get(group="CSC-Social-Workers").role == Role.SOCIAL_WORKER
    client.force_login(User.objects.create_user("worker.x", password="x", role=Role.EARLY_HELP_PRACTITIONER))
    assert client.get("/admin/sso/groupmapping/").status_code in (302, 403)
