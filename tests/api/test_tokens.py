"""API tokens: made by their user on their account page and shown once, kept only as a hash,
revoked by the user or an administrator; no token, a bad one, or a session alone is a 401."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Agency, Role, User
from earlyhelp.api.models import ApiToken
from earlyhelp.api.services import token_create

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def _make_on_the_page(client, name="School MIS link"):
    response = client.post(reverse("api-tokens"), {"name": name})
    assert response.status_code == 200
    found = re.search(r'<code class="eh-new-token"[^>]*>([^<]+)</code>', response.content.decode())
    return response, found.group(1) if found else None


def test_a_user_makes_a_token_on_their_page_sees_it_once_and_it_is_kept_only_as_a_hash(client, world):
    lead = world["lead"]
    client.force_login(lead)
    response, token = _make_on_the_page(client)
    assert token and token.startswith("eh_") and response["Cache-Control"] == "no-store"
    record = ApiToken.objects.get(user=lead)
    assert record.digest == hashlib.sha256(token.encode()).hexdigest() and token not in str(vars(record))
    assert record.expires_at is not None and record.name == "School MIS link"
    again = client.get(reverse("api-tokens")).content.decode()
    assert token not in again and "School MIS link" in again and record.prefix in again
    assert ApiClient(token).get(reverse("api-families")).status_code == 200
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_the_page_refuses_an_empty_name_with_a_message(client, world):
    client.force_login(world["lead"])
    response = client.post(reverse("api-tokens"), {"name": "   "})
    assert response.status_code == 400 and "Enter what the token is for" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_user_holds_at_most_the_councils_number_of_tokens(client, world, settings):
    settings.EARLYHELP_API_TOKENS_PER_USER = 1
    client.force_login(world["lead"])
    _make_on_the_page(client, "One")
    response = client.post(reverse("api-tokens"), {"name": "Two"})
    assert response.status_code == 400 and "revoke one" in response.content.decode()


def test_revoked_by_its_user_it_stops_working(client, world):
    lead = world["lead"]
    record, token = token_create(user=lead, name="Script", by=lead)
    client.force_login(lead)
    assert client.post(reverse("api-token-revoke", kwargs={"token_id": record.pk})).status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None and record.revoked_by == lead
    assert ApiClient(token).get(reverse("api-families")).status_code == 401


def test_no_one_else_but_an_administrator_revokes_a_users_token(client, world):
    lead, manager = world["lead"], world["inside"][Role.TEAM_MANAGER]
    record, token = token_create(user=lead, name="Script", by=lead)
    client.force_login(manager)
    assert client.post(reverse("api-token-revoke", kwargs={"token_id": record.pk})).status_code == 403
    record.refresh_from_db()
    assert record.revoked_at is None
    administrator = User.objects.create_user(username="api-admin", password="x" * 12, role=Role.ADMINISTRATOR,
                                             agency=Agency.objects.get(kind="la_early_help"))
    client.force_login(administrator)
    changelist = reverse("admin:api_apitoken_changelist")
    listing = client.get(changelist)
    assert listing.status_code == 200 and "Script" in listing.content.decode() and token not in listing.content.decode()
    response = client.post(changelist, {"action": "revoke", "_selected_action": [record.pk]})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked_by == administrator
    assert ApiClient(token).get(reverse("api-families")).status_code == 401


def test_without_a_valid_token_the_api_answers_401_and_shows_nothing(client, world, anonymous_api):
    lead = world["lead"]
    family_url = reverse("api-family", kwargs={"family_id": world["family"].pk})
    response = anonymous_api.get(family_url)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert "Zebedee" not in response.content.decode()
    for header in ("Bearer eh_not-a-token", "Bearer", "Bearer a b", "Token x", "Bearer \u00e9"):
        assert ApiClient(None).get(family_url, Authorization=header).status_code == 401, header
    # A session on the pages is not a way into the API.
    client.force_login(lead)
    assert client.get(family_url).status_code == 401
    # Expired, or its user no longer active.
    record, token = token_create(user=lead, name="Old", by=lead)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(token).get(family_url).status_code == 401
    other, token = token_create(user=lead, name="New", by=lead)
    assert ApiClient(token).get(family_url).status_code == 200
    User.objects.filter(pk=lead.pk).update(is_active=False)
    assert ApiClient(token).get(family_url).status_code == 401


def test_the_rate_limit_is_counted_in_the_shared_cache(world, api_as, settings):
    from django.core.cache import cache

    settings.EARLYHELP_API_USER_RATE = "3/minute"
    api = api_as(world["lead"])
    answers = [api.get(reverse("api-families")).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    # In Django's cache (the database's table, or Redis), which every worker and host shares.
    assert len(cache.get(f"throttle_user_{world['lead'].pk}")) == 3
