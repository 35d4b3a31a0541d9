"""Server time, SQL time and query count of one page, measured in-process with Django's test Client.

The Client calls the whole Django stack (middleware, view, templates) without a network or a
WSGI server, so "server time" is what the application itself spends. SQL time is the time
spent in the database driver for the request's queries: each execute(), and each fetch of
rows that comes after it (streamed queries such as Annex A's, and every query on SQLite).
"""

import math
import statistics
from contextlib import ExitStack
from dataclasses import dataclass, field
from time import perf_counter
from unittest import mock

from django.db import connection
from django.db.models.sql import compiler
from django.test import Client
from django.test.utils import CaptureQueriesContext

from earlyhelp.accounts.models import User

from .pages import CorePage

# Transaction bookkeeping, not reads or writes: Django logs BEGIN and COMMIT around an atomic
# block in production, and SAVEPOINT and RELEASE SAVEPOINT for the same block inside a test's
# transaction. Leaving them out makes the counts of the test and of the benchmark the same.
TRANSACTION_BOOKKEEPING = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def query_count(captured: CaptureQueriesContext) -> int:
    return sum(1 for query in captured.captured_queries
               if not query["sql"].lstrip().upper().startswith(TRANSACTION_BOOKKEEPING))


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value at least `fraction` of the values are under or at."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class SqlTimer:
    """Adds up the time of every query: an execute wrapper (connection.execute_wrapper), and
    a wrapper of the ORM's row fetching, which happens after execute() for streamed results."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += perf_counter() - started

    def fetching(self):
        original = compiler.cursor_iter

        def timed_cursor_iter(*args, **kwargs):
            chunks = original(*args, **kwargs)
            while True:
                started = perf_counter()
                try:
                    chunk = next(chunks)
                except StopIteration:
                    return
                finally:
                    self.seconds += perf_counter() - started
                yield chunk

        return mock.patch.object(compiler, "cursor_iter", timed_cursor_iter)


@dataclass
class PageTiming:
    page: CorePage
    total_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    status: int = 0
    content_type: str = ""
    response_bytes: int = 0
    note: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.total_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.total_ms, 0.95)

    @property
    def sql_median_ms(self) -> float:
        return statistics.median(self.sql_ms)

    @property
    def query_count(self) -> int:
        # The most seen: a page's count is the same on every request unless something differs.
        return max(self.queries)

    @property
    def total_to_sql(self) -> float | None:
        sql = sum(self.sql_ms)
        return sum(self.total_ms) / sql if sql else None

    @property
    def met(self) -> bool:
        return self.p95_ms < self.page.target_ms


def signed_in_client(username: str) -> Client:
    # SERVER_NAME: a host in the default ALLOWED_HOSTS, so the bench runs with the real settings.
    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username=username))
    return client


def request_page(client: Client, page: CorePage, payload: dict):
    if page.method == "POST":
        response = client.post(page.path, payload)
        if page.made_in_background and response.status_code == 302:
            return _made_in_background(client, response["Location"])
        return response
    return client.get(page.path, payload)


def _made_in_background(client: Client, progress_page: str):
    """The worker's making of the file (run here, as `db_worker` runs it), then its download, or the page
    with the records to correct."""
    from django.urls import resolve

    from earlyhelp.background.models import BackgroundFile, FileStatus
    from earlyhelp.background.services import background_file_make

    file_id = str(resolve(progress_page).kwargs["file_id"])
    background_file_make(file_id=file_id)
    if BackgroundFile.objects.filter(pk=file_id, status=FileStatus.READY).exists():
        from django.http import HttpResponse

        response = client.get(f"{progress_page}download")
        return HttpResponse(b"".join(response.streaming_content), status=response.status_code,
                            content_type=response["Content-Type"])
    return client.get(progress_page)


def check_response(page: CorePage, response) -> None:
    if response.status_code != 200:
        raise AssertionError(f"{page.title} ({page.path}) answered {response.status_code} for {page.username}")


def measure_page(page: CorePage, *, requests: int, warm_up: int = 3, client: Client | None = None) -> PageTiming:
    """Warm up, then time `requests` requests, cycling through the page's payloads."""
    client = client or signed_in_client(page.username)
    for number in range(warm_up):
        check_response(page, request_page(client, page, page.payloads[number % len(page.payloads)]))
    timing = PageTiming(page)
    for number in range(requests):
        sql = SqlTimer()
        with ExitStack() as stack:
            captured = stack.enter_context(CaptureQueriesContext(connection))
            stack.enter_context(connection.execute_wrapper(sql))
            stack.enter_context(sql.fetching())
            started = perf_counter()
            response = request_page(client, page, page.payloads[number % len(page.payloads)])
            elapsed = perf_counter() - started
        check_response(page, response)
        timing.total_ms.append(elapsed * 1000)
        timing.sql_ms.append(sql.seconds * 1000)
        timing.queries.append(query_count(captured))
        timing.status = response.status_code
        timing.content_type = response.get("Content-Type", "")
        timing.response_bytes = len(response.content)
    if page.is_export and timing.content_type.startswith("text/html"):
        timing.note = "answered with the list of records to correct, not the file"
    return timing


def count_page_queries(page: CorePage, client: Client | None = None) -> int:
    """The queries of one request after one warm-up request (caches filled, session made)."""
    return measure_page(page, requests=1, warm_up=1, client=client).queries[0]
