"""Two application hosts, a PostgreSQL primary and a streaming replica, on this machine.

The hosts are two gunicorn servers on their own ports, with production's settings (DEBUG off,
the second factor required), each a separate set of processes sharing nothing but the
databases, as two machines behind a reverse proxy would (docs/deploy.md "Several hosts"). The
primary and the replica are a PostgreSQL cluster of the test's own, made with initdb, and a copy
made from it with pg_basebackup that streams its changes. The test checks, as a person would
see it:

- a user who gives their password on one host gives their code on the other, and carries on
  there: the session is in the database, not in a host;
- wrong passwords sent to both hosts count together: the account locks at the limit;
- two people changing one family's address on two hosts: the second is refused, not overwritten
  (row locks and versions are the primary's);
- the dashboard's figures are read from the replica (the hosts connect to it only to read them);
- Annex A asked for on one host is made by a background worker on the other and downloaded from
  either (the queue is in the primary; the finished files in a folder every host shares).

PostgreSQL only: it needs PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup), run as
the postgres user when the tests run as root.
"""

import glob
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import User

from .frontdoor.factories import make_family
from .test_gunicorn_concurrency import PROJECT, _database_url, _free_port

START_SECONDS = 60
TIMEOUT = 30


def _server_programs() -> Path | None:
    """The newest PostgreSQL installed (its pg_dump reads the test database, which is no newer)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(Path(path).parts[-3]))
    return Path(found[-1]).parent if found else None


PG_BIN = _server_programs()

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a streaming replica: PostgreSQL only"),
    pytest.mark.skipif(PG_BIN is None,
                       reason="PostgreSQL's server programs (initdb, pg_basebackup) are not installed"),
    pytest.mark.skipif(bool(os.environ.get("EARLYHELP_TEST_NOW")), reason="the hosts' clocks cannot be moved"),
    pytest.mark.django_db(transaction=True),
]


# --- The databases -------------------------------------------------------------------------------


def _as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL's server refuses to run as root: as the postgres user then."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120, **kwargs)


class Cluster:
    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port

    @property
    def url(self) -> str:
        return f"postgres://earlyhelp@127.0.0.1:{self.port}/earlyhelp"

    def sql(self, query: str) -> str:
        return subprocess.run([PG_BIN / "psql", "-X", "-At", "-d", self.url, "-c", query], check=True,
                              capture_output=True, text=True, timeout=TIMEOUT).stdout.strip()

    def start(self, sockets: Path) -> None:
        _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-l", str(self.directory / "server.log"),
                      "-o", f"-p {self.port} -k {sockets} -c listen_addresses=127.0.0.1", "-w", "start"])

    def stop(self) -> None:
        if (self.directory / "postmaster.pid").exists():
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-m", "immediate", "-w", "stop"])


@pytest.fixture
def primary_and_replica(transactional_db):
    """A primary holding a copy of the test database as it is when asked for, and its replica."""
    root = Path(tempfile.mkdtemp(prefix="earlyhelp-hosts-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary, replica = Cluster(root / "primary", _free_port()), Cluster(root / "replica", _free_port())

    def start():
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(primary.directory), "-U", "earlyhelp", "--auth=trust",
                      "-E", "UTF8", "--no-sync"])
        primary.start(root)
        subprocess.run([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "earlyhelp",
                        "earlyhelp"], check=True, timeout=TIMEOUT)
        # The test database as it is now (its schema and what the test made) is the primary's.
        dump = subprocess.run([PG_BIN / "pg_dump", "--no-owner", "--no-privileges", "-d", _database_url()],
                              check=True, capture_output=True, timeout=120).stdout
        subprocess.run([PG_BIN / "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", primary.url], input=dump,
                       check=True, capture_output=True, timeout=120)
        _as_postgres([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "earlyhelp",
                      "-D", str(replica.directory), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync"])
        replica.start(root)
        assert replica.sql("SELECT pg_is_in_recovery()") == "t"  # a standby, streaming from the primary
        return primary, replica

    try:
        yield start
    finally:
        for cluster in (replica, primary):
            try:
                cluster.stop()
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(root, ignore_errors=True)


# --- The hosts -----------------------------------------------------------------------------------


class Host:
    def __init__(self, name: str, process: subprocess.Popen, url: str, log: Path):
        self.name, self.process, self.url, self.log = name, process, url, log

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def _host_env(marker: str, primary: Cluster, replica: Cluster, directory: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "earlyhelp.config.settings.base",
        "DATABASE_URL": primary.url,
        "DATABASE_REPLICA_URL": replica.url,
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "EARLYHELP_DEMO_MODE": "0",
        "EARLYHELP_REQUIRE_TWO_FACTOR": "1",
        "EARLYHELP_SERVICE_NAME": marker,
        # Files made in the background: a folder every host mounts (or S3-compatible storage).
        "EARLYHELP_BACKGROUND_FILES_DIR": str(directory / "shared-background-files"),
    }


def _start_host(name: str, primary: Cluster, replica: Cluster, directory: Path) -> Host:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    marker = f"Early Help {name} {uuid.uuid4().hex[:6]}"
    log = directory / f"{name}.log"
    env = _host_env(marker, primary, replica, directory)
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "earlyhelp.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--timeout", "60", "--graceful-timeout", "5"],
            cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    host = Host(name, process, url, log)
    deadline = time.monotonic() + START_SECONDS
    while True:
        assert process.poll() is None, f"{name} stopped:\n{host.log_tail()}"
        assert time.monotonic() < deadline, f"{name} did not answer:\n{host.log_tail()}"
        try:
            page = requests.get(url + reverse("sign-in"), timeout=10)
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
            continue
        assert page.status_code == 200 and marker in page.text, page.text[:300]  # ours, not another server
        return host


@pytest.fixture
def two_hosts(primary_and_replica, tmp_path):
    hosts: list[Host] = []

    def start():
        primary, replica = primary_and_replica()
        hosts.extend(_start_host(name, primary, replica, tmp_path) for name in ("host-a", "host-b"))
        # Host B's background worker (django-tasks' database backend: the queue is the primary).
        log = tmp_path / "host-b-worker.log"
        with open(log, "w") as output:
            worker = subprocess.Popen([sys.executable, "-m", "django", "db_worker", "--no-startup-delay", "--no-reload"],
                                      cwd=PROJECT, env=_host_env("worker", primary, replica, tmp_path),
                                      stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        hosts.append(Host("host-b-worker", worker, "", log))
        return primary, replica, hosts

    try:
        yield start
    finally:
        for host in hosts:
            os.killpg(host.process.pid, signal.SIGTERM)
        for host in hosts:
            try:
                host.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(host.process.pid, signal.SIGKILL)


def _hidden_fields(page: str) -> dict[str, str]:
    """What a browser sends without anyone typing it: the CSRF token, the version the page was opened at."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        if 'type="hidden"' in tag and (name := re.search(r'name="([^"]+)"', tag)):
            value = re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


def _post(browser: requests.Session, host: Host, path: str, data: dict, page: str) -> requests.Response:
    return browser.post(host.url + path, data={**_hidden_fields(page), **data},
                        headers={"Referer": host.url + path}, allow_redirects=False, timeout=TIMEOUT)


def _password_given(browser: requests.Session, host: Host, username: str, password: str) -> requests.Response:
    path = reverse("sign-in")
    page = browser.get(host.url + path, timeout=TIMEOUT).text
    return _post(browser, host, path, {"username": username, "password": password}, page)


def _code_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def _replica_connections(replica: Cluster) -> list[str]:
    """The last query of each host's connection to the replica (a host connects only when it reads there)."""
    rows = replica.sql("SELECT query FROM pg_stat_activity WHERE datname = 'earlyhelp' AND backend_type = 'client backend' "
                       "AND pid <> pg_backend_pid()")
    return [row for row in rows.splitlines() if row.strip()]


def _signed_in(host_for_password: Host, host_for_code: Host, username: str, password: str) -> requests.Session:
    """The password given on one host, the code from the authenticator app on the other."""
    device = TOTPDevice.objects.get(user__username=username)
    browser = requests.Session()
    answer = _password_given(browser, host_for_password, username, password)
    verify = reverse("two-factor-verify")
    assert answer.status_code == 302, host_for_password.log_tail()  # the password is right
    refused = browser.get(host_for_code.url + reverse("home"), allow_redirects=False, timeout=TIMEOUT)
    assert refused.status_code == 302 and verify in refused.headers["Location"]  # known on this host too: the code next
    page = browser.get(host_for_code.url + verify, timeout=TIMEOUT)
    assert page.status_code == 200 and 'name="code"' in page.text, host_for_code.log_tail()
    answer = _post(browser, host_for_code, verify, {"code": _code_now(device)}, page.text)
    assert answer.status_code == 302 and verify not in answer.headers["Location"], answer.text[:2000]
    return browser


# --- The test ------------------------------------------------------------------------------------


def test_two_hosts_a_primary_and_a_replica_work_as_one_service(two_hosts, organisations):
    password = "several-hosts-password-2026"
    hasher = Argon2PasswordHasher()
    for user in User.objects.filter(username__in=("manager", "practitioner")):
        user.password = hasher.encode(password, hasher.salt())  # the hosts' hasher, not the tests' fast one
        user.save(update_fields=["password"])
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    family = make_family(name="Hosts", practitioner=User.objects.get(username="practitioner"))
    primary, replica, (host_a, host_b, worker) = two_hosts()

    # Signed in on one host, carried on on the other; nothing so far has read the replica.
    manager = _signed_in(host_a, host_b, "manager", password)
    assert manager.get(host_a.url + reverse("home"), timeout=TIMEOUT).status_code == 200
    assert _replica_connections(replica) == []

    # The dashboard's figures are read from the replica.
    for host in (host_a, host_b):
        dashboard = manager.get(host.url + reverse("dashboard"), allow_redirects=False, timeout=TIMEOUT)
        assert dashboard.status_code == 200 and "Dashboard" in dashboard.text, (dashboard.status_code, host.log_tail())
    queries = _replica_connections(replica)
    assert len(queries) >= 2, queries  # one connection from each host's worker that served it
    assert all(query.lstrip().upper().startswith(("SELECT", "DECLARE", "CLOSE")) for query in queries), queries  # reads

    # Two people change one family's address on the two hosts: the second is refused, not overwritten.
    practitioner = _signed_in(host_b, host_a, "practitioner", password)
    move = reverse("family-move", kwargs={"family_id": family.pk})
    first_tab, second_tab = (practitioner.get(host.url + move, timeout=TIMEOUT) for host in (host_a, host_b))
    assert first_tab.status_code == second_tab.status_code == 200, host_a.log_tail()
    new_home = {"address": "1 New Street\nLeeds", "postcode": "LS1 1AA",
                "moved_in_0": "1", "moved_in_1": "11", "moved_in_2": "2026"}
    saved = _post(practitioner, host_b, move, new_home, second_tab.text)
    assert saved.status_code == 302, saved.text[:2000]
    refused = _post(practitioner, host_a, move, {**new_home, "address": "2 Other Road\nLeeds", "postcode": "LS2 2BB"},
                    first_tab.text)
    assert refused.status_code == 409, (refused.status_code, refused.text[:1000])
    assert primary.sql(f"SELECT postcode FROM people_family WHERE id = {family.pk}") == "LS1 1AA"
    for _ in range(100):  # and the replica has the change a moment later
        if replica.sql(f"SELECT postcode FROM people_family WHERE id = {family.pk}") == "LS1 1AA":
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the replica did not receive the change")

    # Annex A asked for on one host is made by the other host's worker, and downloaded from either.
    reports = reverse("reports")
    page = manager.get(host_a.url + reports, timeout=TIMEOUT)
    asked = _post(manager, host_a, reports, {"as_of_0": "30", "as_of_1": "6", "as_of_2": "2026", "format": "csv"},
                  page.text)
    assert asked.status_code == 302, asked.text[:2000]
    progress = asked.headers["Location"]
    for _ in range(120):
        if "Your file is ready" in manager.get(host_a.url + progress, timeout=TIMEOUT).text:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"the worker did not make the file:\n{worker.log_tail()}")
    download = manager.get(host_b.url + progress + "download", timeout=TIMEOUT)
    assert download.status_code == 200 and download.text.startswith("Child Unique ID"), download.text[:300]

    # Wrong passwords sent to both hosts count together: the account locks, on both.
    intruder = requests.Session()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        answer = _password_given(intruder, (host_a, host_b)[attempt % 2], "manager", f"guess-{attempt}")
        assert answer.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT - 1 else 422), attempt
    assert "Your account is locked" in answer.text
    for host in (host_a, host_b):
        assert _password_given(requests.Session(), host, "manager", password).status_code == 429
