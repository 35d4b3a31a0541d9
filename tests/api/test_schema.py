"""The published OpenAPI 3 description, and schemathesis run against it: every operation, with
examples it generates (within and outside what the description allows) sent with a real token into
the access matrix's world, finds no server error and no answer that breaks the description."""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from earlyhelp.api.services import token_create

EXAMPLES = 8  # per operation and kind of example: enough to reach each answer, within the suite's time
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]

pytestmark = pytest.mark.django_db


def test_the_description_is_published_openapi_3_without_a_token(anonymous_api):
    response = anonymous_api.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/families/", "/api/v1/families/{family_id}/", "/api/v1/people/", "/api/v1/requests/",
            "/api/v1/episodes/", "/api/v1/episodes/{episode_id}/plan/", "/api/v1/notes/",
            "/api/v1/notes/{note_id}/"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http", "scheme": "bearer", "description": "A token made on the user's API tokens page"}
    assert "cdn" not in response.content.decode().lower()


@pytest.fixture
def wsgi_app():
    """The service's WSGI application, keeping the test's database connection open between requests
    (as Django's test client does: the handler would close it when each request ends)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_description(world, settings, wsgi_app):
    settings.EARLYHELP_API_USER_RATE = "100000/minute"
    lead = world["lead"]
    _, token = token_create(user=lead, name="Schemathesis", by=lead)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    ids = world["ids"]
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in ("positive", "negative"):
            from schemathesis import GenerationMode

            strategy = operation.as_strategy(generation_mode=GenerationMode(mode))

            @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                                 phases=[Phase.explicit, Phase.generate],
                                 suppress_health_check=list(HealthCheck))
            @given(case=strategy, real_ids=st.booleans())
            def run(case, real_ids):
                # Half the time the world's own records, so that answers of 200 are checked too
                # (never for negative examples, whose wrong identifiers are the point).
                if real_ids and mode == "positive" and case.path_parameters:
                    case.path_parameters = {name: ids.get(name, value) for name, value in case.path_parameters.items()}
                case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

            try:
                run()
            except Exception as error:  # noqa: BLE001 (every operation's failures, reported together)
                failures.append(f"{operation.label} ({mode}): {error}")
    assert failures == [], "\n\n".join(failures)
