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
from tests.frontdoor.test_self_referral import _data

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


def _send_from_workers(database_url: str, tmp_path: Path, jobs: list[dict]) -> list[int]:
    """Start one process per job, wait until each has set Django up, then let them all send at once."""
    go = tmp_path / "go"
    env = {**os.environ, "DATABASE_URL": database_url,  # and the tests' DJANGO_SETTINGS_MODULE
           "EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR": "5", "EARLYHELP_SELF_REFERRAL_MIN_SECONDS": "3"}
    workers = []
    for number, job in enumerate(jobs):
        ready, orders = tmp_path / f"ready-{number}", tmp_path / f"job-{number}.json"
        orders.write_text(json.dumps({**job, "ready": str(ready), "go": str(go)}))
        process = subprocess.Popen([sys.executable, str(WORKER), str(orders)], cwd=PROJECT, env=env,
                                   text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        workers.append((process, ready))
    deadline = time.monotonic() + 120
    while not all(ready.exists() or process.poll() is not None for process, ready in workers):
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.05)
    go.touch()
    statuses = []
    for process, _ in workers:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        statuses += json.loads(out.strip().splitlines()[-1])
    return statuses


def test_eight_sent_at_once_from_one_address_by_four_workers_store_exactly_five(shared_database, tmp_path):
    database_url, stored = shared_database
    jobs = [{"address": "198.51.100.20", "posts": [_data(), _data()]} for _ in range(4)]
    statuses = _send_from_workers(database_url, tmp_path, jobs)
    assert sorted(statuses) == [302] * 5 + [429] * 3
    assert stored() == 5


def test_one_page_sent_eight_times_by_four_workers_stores_one_request(shared_database, tmp_path):
    database_url, stored = shared_database
    page = _data(form_token=self_referral_token(time.time() - 60))
    jobs = [{"address": f"198.51.100.{30 + number}", "posts": [page, page]} for number in range(4)]
    statuses = _send_from_workers(database_url, tmp_path, jobs)
    assert sorted(statuses) == [200] * 7 + [302]  # the replays are told it was already sent
    assert stored() == 1
