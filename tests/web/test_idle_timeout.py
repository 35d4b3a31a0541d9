"""The idle timeout saves the session once a tenth of the idle time has passed, not on every page."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from earlyhelp.web import idle_timeout

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The idle timeout's clock, moved by hand: never the day the test runs."""
    moment = {"now": 2_000_000_000}
    monkeypatch.setattr(idle_timeout, "_now", lambda: moment["now"])
    return moment


def _session_writes(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('UPDATE "django_session"' in query["sql"] or 'INSERT INTO "django_session"' in query["sql"]
               for query in queries.captured_queries)


def test_a_page_read_saves_the_session_only_once_a_tenth_of_the_idle_time_has_passed(client, demo_user, clock):
    client.force_login(demo_user("practitioner"))
    assert idle_timeout.touch_seconds() == min(60, settings.SESSION_COOKIE_AGE // 10)
    assert _session_writes(client, reverse("home")) == 1  # the first page starts the idle time
    clock["now"] += idle_timeout.touch_seconds() - 1
    assert _session_writes(client, reverse("home")) == 0
    clock["now"] += 1
    assert _session_writes(client, reverse("home")) == 1


def test_the_warning_counts_down_from_the_last_save_and_stay_signed_in_starts_it_again(client, demo_user, clock):
    client.force_login(demo_user("practitioner"))
    client.get(reverse("home"))
    clock["now"] += idle_timeout.touch_seconds() - 1
    page = client.get(reverse("home")).content.decode()
    left = settings.SESSION_COOKIE_AGE - idle_timeout.touch_seconds() + 1
    assert f'data-session-seconds="{left}"' in page
    response = client.post(reverse("session-extend"))
    assert response.json() == {"seconds": settings.SESSION_COOKIE_AGE}
    session = Session.objects.get(pk=client.session.session_key)
    assert session.get_decoded()[idle_timeout.SAVED_AT_KEY] == clock["now"]


def test_an_ended_session_is_not_brought_back_or_made_anew(client, clock):
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-anywhere-at-all"
    before = Session.objects.count()
    client.get(reverse("sign-in"))
    assert Session.objects.count() == before
