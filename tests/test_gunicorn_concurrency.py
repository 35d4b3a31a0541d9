"""N identical moves sent at once to gunicorn with four workers on PostgreSQL: one change, N−1 refusals.

The threaded tests (tests/episodes/test_concurrent_moves.py) race the services in one process;
this one races the real thing. gunicorn starts with four sync workers, DEBUG off and the second
factor required, as in production (docs/deploy.md), against pytest's test database. Signed-in
staff are sessions made here in the database session store, each with a confirmed authenticator
device (as django-otp's login leaves it), sent as cookies; every form is fetched first for its
CSRF token. Then N identical POSTs leave at once, from N threads, and the test checks:

- no answer is a 5xx;
- exactly one change is in the database (rows counted);
- the winner is the redirect the page makes after a move, and the N−1 others are the 409 page
  (web/refusals.py) with the plain reason, which links back to the page showing what was decided;
- all four workers served (each holds its own persistent connection to the test database).

The public self-referral is tried across the four workers too: one browser's check your answers
(its answers in its database session) sent eight times at once stores one request, and eight
browsers' answers from one address (behind one trusted proxy, X-Forwarded-For:
accounts/client_ip.py) store exactly the limit, five, the others answered 429.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import User
from earlyhelp.episodes.models import (
    Assessment,
    Closure,
    Episode,
    EpisodeEvent,
    EpisodeState,
    LeadProfessionalAssignment,
    NeedOutcome,
    StepUp,
)
from earlyhelp.frontdoor import services
from earlyhelp.frontdoor.models import (
    AllocationDecision,
    HarmReferral,
    Notification,
    RequestForSupport,
    RequestSource,
    RequestStatus,
    TriageOutcome,
)
from earlyhelp.frontdoor.self_referral_pages import ALREADY_SENT

from .frontdoor.factories import make_family, practitioner_request
from .frontdoor.test_self_referral import ANSWERS as SELF_REFERRAL_ANSWERS
from .frontdoor.test_self_referral import PREFIX as SELF_REFERRAL_PREFIX
from .frontdoor.test_self_referral import url as self_referral_url

PROJECT = Path(__file__).resolve().parents[1]
WORKERS = 4
N = 20  # identical submissions of each move
REPLAYS = 8  # self-referral posts, as in tests/frontdoor/test_self_referral_workers.py
SELF_REFERRAL_LIMIT = 5
START_SECONDS = 60
TIMEOUT = 60

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="gunicorn's four workers share the test database: PostgreSQL only (SQLite's is in memory)"),
    pytest.mark.skipif(bool(os.environ.get("EARLYHELP_TEST_NOW")) and not shutil.which("faketime"),
                       reason="EARLYHELP_TEST_NOW moves this process's clock only: gunicorn needs faketime"),
    pytest.mark.django_db(transaction=True),
]


# --- The server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """pytest-django's test database (its NAME is the test one by now), as a DATABASE_URL."""
    db = connection.settings_dict
    auth = f"{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@" if db["USER"] else ""
    host = (db["HOST"] or "") + (f":{db['PORT']}" if db["PORT"] else "")
    return f"postgres://{auth}{host}/{quote(db['NAME'])}"


class Server:
    def __init__(self, url: str, marker: str, log: Path):
        self.url, self.marker, self.log = url, marker, log

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def server(transactional_db, tmp_path_factory):
    """gunicorn with four workers on a free port, against the test database, for one test.

    Never for longer: the flush after a test makes the content types again with new ids, and
    the workers would go on writing the audit log with the ids they had cached (a 500).
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    marker = f"Early Help gunicorn test {uuid.uuid4().hex[:8]}"  # shown in every page's header
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "earlyhelp.config.settings.base",  # not the tests' settings
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
        "DEBUG": "0",
        "EARLYHELP_DEMO_MODE": "0",
        "EARLYHELP_REQUIRE_TWO_FACTOR": "1",
        "EARLYHELP_TRUSTED_PROXIES": "1",  # X-Forwarded-For's last address is the client's
        "EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR": str(SELF_REFERRAL_LIMIT),
        "EARLYHELP_SELF_REFERRAL_MIN_SECONDS": "1",
        "EARLYHELP_SERVICE_NAME": marker,
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "gunicorn", "earlyhelp.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(WORKERS), "--timeout", "60", "--graceful-timeout", "5", "--log-level", "info"]
    if os.environ.get("EARLYHELP_TEST_NOW"):  # the server's clock at the tests' moment too
        offset = timezone.now() - datetime.now(UTC)  # conftest moves Django's now, not datetime's
        command = ["faketime", "-f", f"{offset.total_seconds():+.0f}s", *command]
    with open(log, "w") as output:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    served = Server(url, marker, log)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert process.poll() is None, f"gunicorn stopped ({process.returncode}):\n{served.log_tail()}"
            assert time.monotonic() < deadline, f"gunicorn did not answer on {url}:\n{served.log_tail()}"
            try:
                page = requests.get(url + reverse("sign-in"), timeout=15)
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a worker still loading
                time.sleep(0.3)
                continue
            # Ours, with our settings: a server left on the port by someone else would not show the marker.
            assert page.status_code == 200 and marker in page.text, page.text[:500]
            break
        yield served
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def fresh_cache():
    cache.clear()  # the shared database cache table is not emptied between tests
    yield
    cache.clear()


# --- Browsers ------------------------------------------------------------------------------------


def signed_in(user: User) -> dict[str, str]:
    """A session in the database store, signed in with the password and the second factor given."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def form_page(server: Server, path: str, cookies: dict[str, str], **headers) -> tuple[dict[str, str], str]:
    """GET the form (200, served from our test database), and the cookies and CSRF token it gives."""
    page = requests.get(server.url + path, cookies=cookies, headers=headers, allow_redirects=False, timeout=TIMEOUT)
    assert page.status_code == 200, (path, page.status_code, page.headers.get("Location"), server.log_tail())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, f"no CSRF token on {path}"
    return {**cookies, **page.cookies.get_dict()}, page.text


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def at_once(server: Server, posts: list[dict]) -> list[requests.Response]:
    """Send every post at the same moment, each from its own thread and connection."""
    barrier = threading.Barrier(len(posts))
    answers: list = [None] * len(posts)

    def send(number: int, post: dict):
        try:
            barrier.wait(timeout=TIMEOUT)
            answers[number] = requests.post(server.url + post["path"], data=post["data"], cookies=post["cookies"],
                                            headers={"Referer": server.url + post["path"], **post.get("headers", {})},
                                            allow_redirects=False, timeout=TIMEOUT)
        except Exception as error:  # noqa: BLE001 (reported below)
            answers[number] = error

    threads = [threading.Thread(target=send, args=(number, post)) for number, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * TIMEOUT)
    failed = [answer for answer in answers if not isinstance(answer, requests.Response)]
    assert failed == [], failed
    errors = [(answer.status_code, answer.text[:300]) for answer in answers if answer.status_code >= 500]
    assert errors == [], f"{errors}\n{server.log_tail()}"
    return answers


def identical(server: Server, user_cookies: dict[str, str], path: str, data: dict) -> list[requests.Response]:
    """The form fetched once, then sent N times at once, as from N tabs of one browser."""
    cookies, page = form_page(server, path, user_cookies)
    post = {"path": path, "cookies": cookies, "data": {**data, "csrfmiddlewaretoken": csrf_token(page)}}
    return at_once(server, [post] * N)


def questions_answered(server: Server, user_cookies: dict[str, str], url_name: str, episode, pages: dict) -> str:
    """Each question page of an episode's journey answered in turn, as a browser would; the address of
    its check your answers, whose sending is the one-way action."""
    management = f"questions-{url_name}-episode_id-{episode.pk}-current_step"
    for step, data in pages.items():
        path = reverse(url_name, kwargs={"episode_id": episode.pk, "step": step})
        cookies, page = form_page(server, path, user_cookies)
        posted = {management: step, "csrfmiddlewaretoken": csrf_token(page),
                  **{f"{step}-{name}": value for name, value in data.items()}}
        answered = requests.post(server.url + path, data=posted, cookies=cookies, headers={"Referer": server.url + path},
                                 allow_redirects=False, timeout=TIMEOUT)
        assert answered.status_code == 302, (path, answered.status_code, answered.text[:1000])
    return reverse(url_name, kwargs={"episode_id": episode.pk, "step": "check"})


def assert_one_change_and_refusals(answers: list[requests.Response], *, went_to: str, refused: str):
    """One redirect to the page after the move; N−1 409 pages saying why, linking back."""
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [302] + [409] * (N - 1), statuses
    (winner,) = [answer for answer in answers if answer.status_code == 302]
    assert winner.headers["Location"] == went_to
    for answer in answers:
        if answer.status_code == 409:
            page = unescape(answer.text)
            assert "There is a problem" in page and refused in page, page[:1000]


# --- The records ---------------------------------------------------------------------------------


def _episode(reference: str, practitioner: User) -> Episode:
    family = make_family(name=reference.title().replace("-", ""))
    episode = Episode.objects.create(
        reference=reference, family=family, state=EpisodeState.PLAN_ACTIVE, opened_on=timezone.localdate(),
        lead_professional=practitioner, team=practitioner.teams.first(),
    )
    LeadProfessionalAssignment.objects.create(episode=episode, lead=practitioner, started_on=episode.opened_on,
                                              assigned_by=practitioner)
    Assessment.objects.create(episode=episode, started_on=episode.opened_on, due_on=episode.opened_on,
                              completed_on=episode.opened_on, organisation=practitioner.agency,
                              agreed_needs=["3B", "16A"], what_needs_to_change="Safer home")
    return episode


@pytest.fixture
def staff(organisations):
    return {name: User.objects.get(username=name)
            for name in ("practitioner", "socialworker", "frontdoor", "partner", "manager")}


# --- The tests -----------------------------------------------------------------------------------


def test_four_gunicorn_workers_on_postgresql(server, staff, fresh_cache):
    """One server for both (each start costs seconds on a small machine), the moves first."""
    identical_moves_sent_at_once_make_one_change(server, staff)
    self_referral_token_and_limit_hold_across_workers(server)
    assert client_connections() >= WORKERS  # every worker took part (and any other connection held meanwhile)


def client_connections() -> int:
    """Connections to the test database other than this one: each worker keeps its own (CONN_MAX_AGE)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
        return cursor.fetchone()[0]


def identical_moves_sent_at_once_make_one_change(server: Server, staff: dict[str, User]):
    started = time.monotonic()
    practitioner, social_worker, officer = staff["practitioner"], staff["socialworker"], staff["frontdoor"]
    stepping_up, closing = _episode("EP-GC-UP", practitioner), _episode("EP-GC-CLOSE", practitioner)
    family = make_family(name="Triage", practitioner=staff["partner"])
    to_triage = practitioner_request(staff["partner"], family=family)
    waiting = practitioner_request(staff["partner"], family=make_family(name="Waiting", practitioner=staff["partner"]))
    services.triage_decide(support_request=waiting, by=officer, outcome=TriageOutcome.EHA_NEEDED, notes="Needs")
    meeting = services.meeting_create(held_on=timezone.localdate(), chair=staff["manager"], created_by=officer)
    notifications_before = Notification.objects.filter(recipient=staff["partner"]).count()
    as_practitioner, as_social_worker, as_officer = (signed_in(user) for user in (practitioner, social_worker, officer))

    # A step up to Children's Social Care.
    check = questions_answered(server, as_practitioner, "episode-step-up-step", stepping_up, {
        "why": {"reasons": ["safeguarding"], "details": "Disclosure at school"},
        "factors": {"factors_parenting_capacity": ["16A"]}})
    answers = identical(server, as_practitioner, check,  # check your answers, sent from N tabs
                        {f"questions-episode-step-up-step-episode_id-{stepping_up.pk}-current_step": "check"})
    assert_one_change_and_refusals(answers, went_to=reverse("episode-stepping", args=[stepping_up.pk]),
                                   refused="Children's Social Care must first decide on the step up")
    step_up = StepUp.objects.get(episode=stepping_up)  # exactly one
    assert EpisodeEvent.objects.filter(episode=stepping_up, kind="step_up_requested").count() == 1

    # Children's Social Care's decision on it: accepted, so the episode closes, once.
    answers = identical(server, as_social_worker, reverse("step-up-decide", args=[step_up.pk]),
                        {"decision": "accept", "notes": "Section 47 enquiry"})
    assert_one_change_and_refusals(answers, went_to=reverse("step-up-decide", args=[step_up.pk]),
                                   refused="already decided on this step up")
    step_up.refresh_from_db()
    assert step_up.accepted is True and Closure.objects.filter(episode=stepping_up).count() == 1

    # An episode's closure.
    check = questions_answered(server, as_practitioner, "episode-close-step", closing, {
        "reason": {"reason": "needs_met"}, "outcomes": {"need_3B": "met", "need_16A": "met"},
        "summary": {"summary_for_family": "Well done."}})
    answers = identical(server, as_practitioner, check,
                        {f"questions-episode-close-step-episode_id-{closing.pk}-current_step": "check"})
    assert_one_change_and_refusals(answers, went_to=reverse("episode-stepping", args=[closing.pk]),
                                   refused="The episode is closed")
    assert Closure.objects.filter(episode=closing).count() == 1
    assert NeedOutcome.objects.filter(closure__episode=closing).count() == 2
    assert Episode.objects.get(pk=closing.pk).state == EpisodeState.CLOSED

    # A front door triage decision of significant harm: one harm referral, one note to the partner.
    answers = identical(server, as_officer, reverse("request-triage", args=[to_triage.pk]),
                        {"outcome": TriageOutcome.SIGNIFICANT_HARM, "notes": "Bruising seen at school"})
    referral = HarmReferral.objects.get(request=to_triage)  # exactly one
    assert_one_change_and_refusals(answers, went_to=reverse("harm-referral-detail", args=[referral.pk]),
                                   refused="This request has already been triaged")
    assert Notification.objects.filter(recipient=staff["partner"]).count() == notifications_before + 1

    # The allocation meeting's decision.
    answers = identical(server, as_officer, reverse("allocation-decision-create", args=[meeting.pk, waiting.pk]),
                        {"outcome": "no_action_now", "reasons": "Needs met by school for now"})
    assert_one_change_and_refusals(answers, went_to=reverse("allocation-meeting-detail", args=[meeting.pk]),
                                   refused="is not waiting for the allocation meeting")
    assert AllocationDecision.objects.filter(request=waiting).count() == 1
    assert RequestForSupport.objects.get(pk=waiting.pk).status != RequestStatus.AWAITING_ALLOCATION

    print(f"\n5 moves x {N} identical POSTs at once to {WORKERS} gunicorn workers: "
          f"5 changes, {5 * (N - 1)} refusals (409), no 5xx, {time.monotonic() - started:.1f} s")


def _self_referral_journey(server: Server, address: str) -> dict:
    """One new browser answers every question page (its answers in its session, in the database), and
    the post of check your answers it would send: its CSRF token and the signed time the answers began."""
    headers = {"X-Forwarded-For": address}
    cookies: dict[str, str] = {}
    for step, answers in SELF_REFERRAL_ANSWERS.items():
        cookies, page = form_page(server, self_referral_url(step), cookies, **headers)
        posted = {f"{SELF_REFERRAL_PREFIX}-current_step": step, "csrfmiddlewaretoken": csrf_token(page),
                  **{f"{step}-{name}": value for name, value in answers.items()}}
        answer = requests.post(server.url + self_referral_url(step), data=posted, cookies=cookies,
                               headers={"Referer": server.url + self_referral_url(step), **headers},
                               allow_redirects=False, timeout=TIMEOUT)
        assert answer.status_code == 302, (step, answer.status_code, server.log_tail())
        cookies = {**cookies, **answer.cookies.get_dict()}
    cookies, page = form_page(server, self_referral_url("check"), cookies, **headers)
    token = unescape(re.search(r'name="check-form_token" value="([^"]+)"', page).group(1))
    return {"path": self_referral_url("check"), "cookies": cookies, "headers": headers,
            "data": {f"{SELF_REFERRAL_PREFIX}-current_step": "check", "check-website": "", "check-form_token": token,
                     "csrfmiddlewaretoken": csrf_token(page)}}


def _self_referral_journeys(server: Server, count: int, address: str) -> list[dict]:
    journeys = [_self_referral_journey(server, address) for _ in range(count)]
    time.sleep(1.1)  # EARLYHELP_SELF_REFERRAL_MIN_SECONDS from the first answer: faster is taken for a machine
    return journeys


def _stored() -> int:
    return RequestForSupport.objects.filter(source=RequestSource.SELF_REFERRAL, requester_name="Kerry Marsh").count()


def self_referral_token_and_limit_hold_across_workers(server: Server):
    started = time.monotonic()
    # One browser's check your answers sent eight times at once, from eight addresses: one request stored.
    (journey,) = _self_referral_journeys(server, 1, "198.51.100.30")
    replays = [{**journey, "headers": {"X-Forwarded-For": f"198.51.100.{30 + number}"}} for number in range(REPLAYS)]
    answers = at_once(server, replays)
    assert _stored() == 1
    assert [answer.status_code for answer in answers].count(302) >= 1
    for answer in answers:  # told it was sent; or, its answers cleared by another send, nothing left to send
        assert (answer.status_code == 200 and ALREADY_SENT in answer.text) or (
            answer.status_code == 302 and answer.headers["Location"] in
            {reverse("self-referral-sent"), self_referral_url("children")}), (answer.status_code, answer.text[:500])

    # Eight browsers' answers from one address sent at once: exactly the limit stored, the others 429.
    answers = at_once(server, _self_referral_journeys(server, REPLAYS, "198.51.100.20"))
    assert sorted(answer.status_code for answer in answers) == \
        [302] * SELF_REFERRAL_LIMIT + [429] * (REPLAYS - SELF_REFERRAL_LIMIT)
    assert _stored() == 1 + SELF_REFERRAL_LIMIT
    print(f"\nself-referral across {WORKERS} workers: one token x {REPLAYS} at once stored 1; "
          f"{REPLAYS} pages from one address stored {SELF_REFERRAL_LIMIT}, "
          f"{REPLAYS - SELF_REFERRAL_LIMIT} answered 429; {time.monotonic() - started:.1f} s")
