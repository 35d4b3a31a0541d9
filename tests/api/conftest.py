import pytest
from django.test import Client

from earlyhelp.api.services import token_create

from ..test_access_matrix import world  # noqa: F401 (fixture: one family with a record of every kind)


class ApiClient:
    """Django's test client, sending a user's token; JSON in and out."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, params=None, **headers):
        return self.client.get(path, params or {}, headers={**self.headers, **headers})

    def post(self, path, data, **headers):
        return self.client.post(path, data, content_type="application/json", headers={**self.headers, **headers})

    def patch(self, path, data, **headers):
        return self.client.patch(path, data, content_type="application/json", headers={**self.headers, **headers})


@pytest.fixture
def api_as():
    """api_as(user): a client holding a new token of the user's."""

    def make(user) -> ApiClient:
        _, token = token_create(user=user, name="Tests", by=user)
        return ApiClient(token)

    return make


@pytest.fixture
def anonymous_api():
    return ApiClient(None)
