"""The self-referral limit and its one-time tokens hold across worker processes, not only in one.

Four separate Python processes, each with Django set up on its own against the test's database
(a copy of it on SQLite, the test database itself on PostgreSQL), send at the same moment.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection

from earlyhelp.frontdoor.forms import self_referral_token
from earlyhelp.frontdoor.models import RequestForSupport

WORKER = Path(__file__).with_name("self_referral_worker.py")
PROJECT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_database(tmp_path):
    """A DATABASE_URL other processes can open, and a way to count what they stored there."""
    table = RequestForSupport._meta.db_table
    if connection.vendor == "sqlite":  # the test database is in memory: the workers share a copy on disk
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()

        def stored() -> int:
            with sqlite3.connect(path) as db:
                return db.execute(f"SELECT COUNT(*) FROM {table} WHERE requester_name = 'Kerry Marsh'").fetchone()[0]

        yield f"sqlite:///{path}", stored
        return
    settings = connection.settings_dict
    auth = f"{quote(settings['USER'])}:{quote(settings['PASSWORD'] or '')}@" if settings["USER"] else ""
    host = (settings["HOST"] or "") + (f":{settings['PORT']}" if settings["PORT"] else "")
    yield f"postgres://{auth}{host}/{settings['NAME']}", \
        RequestForSupport.objects.filter(requester_name="Kerry Marsh").count
    cache.clear()  # the workers' counts were committed to the shared table


def _worker(database_url: str, orders: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url,  # and the tests' DJANGO_SETTINGS_MODULE
           "EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR": "5", "EARLYHELP_SELF_REFERRAL_MIN_SECONDS": "3"}
    return subprocess.Popen([sys.executable, str(WORKER), str(orders)], cwd=PROJECT, env=env,
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _output(process: subprocess.Popen):
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _send_from_workers(database_url: str, tmp_path: Path, jobs: list[dict]) -> list[list]:
    """Start one process per job, wait until each is ready to send, then let them all send at once."""
    go = tmp_path / "go"
    workers = []
    for number, job in enumerate(jobs):
        ready, orders = tmp_path / f"ready-{number}", tmp_path / f"job-{number}.json"
        orders.write_text(json.dumps({**job, "ready": str(ready), "go": str(go)}))
        workers.append((_worker(database_url, orders), ready))
    deadline = time.monotonic() + 180
    while not all(ready.exists() or process.poll() is not None for process, ready in workers):
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.05)
    go.touch()
    return [answer for process, _ in workers for answer in _output(process)]


def test_eight_sent_at_once_from_one_address_by_four_workers_store_exactly_five(shared_database, tmp_path):
    database_url, stored = shared_database
    jobs = [{"address": "198.51.100.20", "sends": 2} for _ in range(4)]  # eight browsers, each with its answers
    answers = _send_from_workers(database_url, tmp_path, jobs)
    assert sorted(status for status, _, _ in answers) == [302] * 5 + [429] * 3
    assert stored() == 5


def test_one_check_page_sent_eight_times_by_four_workers_stores_one_request(shared_database, tmp_path):
    database_url, stored = shared_database
    orders = tmp_path / "walk.json"
    orders.write_text(json.dumps({"address": "198.51.100.30", "walk_only": True}))
    session = _output(_worker(database_url, orders))["session"]  # one browser's answers, in the database
    token = self_referral_token(time.time() - 60)
    jobs = [{"address": f"198.51.100.{30 + number}", "sends": 2, "session": session, "token": token}
            for number in range(4)]
    answers = _send_from_workers(database_url, tmp_path, jobs)
    assert stored() == 1
    # The others are told it was sent; or, once another send has cleared the answers, they are shown the
    # confirmation, or (the session saved by a send told it was sent) the first question: nothing to send.
    assert [status for status, location, _ in answers].count(302) >= 1
    for status, location, already_sent in answers:
        assert (status == 200 and already_sent) or (status, location) in {
            (302, "/ask-for-help/sent/"), (302, "/ask-for-help/children/")}, answers
