"""The query budget of the core pages (issue 7): counts only, never times.

Each core page of benchmarks/pages.py (the pages `make bench` times) is read twice: with the
shortest lists of a small database, and with the longest lists of a larger one (more open
episodes, family members, plan actions, requests waiting, episodes on the dashboard and in
Annex A). Its number of queries must stay within benchmarks/query_budget.json and must not
grow from the first to the second: a query per row shows as growth.
After a change that deliberately adds a query, record the new counts on both databases:

    EARLYHELP_RECORD_QUERY_BUDGET=1 .venv/bin/python scripts/run_tests.py tests/test_query_budget.py -n0
"""

import json
import os
from pathlib import Path

import pytest
from django.db import connection, transaction

from benchmarks.pages import CORE_PAGE_KEYS, core_pages
from benchmarks.timing import count_page_queries
from earlyhelp.seed import seed_database

BUDGET_FILE = Path(__file__).resolve().parents[1] / "benchmarks" / "query_budget.json"
# Families seeded for the smaller and the larger database. 240: enough for the front-door queue
# to be longer than the seed's smallest.
SMALL, LARGE = 12, 240
SEED = 7


def _page_counts(*, longest: bool) -> dict[str, tuple[int, str]]:
    # In a savepoint rolled back afterwards: the pages write audit records, which would stop the reseed.
    with transaction.atomic():
        pages = core_pages(seed=SEED, longest=longest)
        counts = {page.key: (count_page_queries(page), page.list_size) for page in pages}
        transaction.set_rollback(True)
    return counts


def _record(vendor: str, counts: dict[str, int]) -> None:
    budgets = json.loads(BUDGET_FILE.read_text(encoding="utf-8")) if BUDGET_FILE.exists() else {}
    budgets[vendor] = {key: counts[key] for key in CORE_PAGE_KEYS}
    BUDGET_FILE.write_text(json.dumps(budgets, indent=2) + "\n", encoding="utf-8")


@pytest.mark.django_db
def test_core_pages_stay_within_their_query_budget_and_do_not_grow_with_the_data():
    seed_database(families=SMALL, seed=SEED)
    small = _page_counts(longest=False)
    seed_database(families=LARGE, seed=SEED, reset=True)
    large = _page_counts(longest=True)

    grew = [f"{key}: {small[key][0]} queries with {small[key][1]}, {large[key][0]} with {large[key][1]}"
            for key in CORE_PAGE_KEYS if large[key][0] > small[key][0]]
    assert not grew, "Queries grow with the data (a query per row?):\n" + "\n".join(grew)

    vendor = connection.vendor
    most = {key: max(small[key][0], large[key][0]) for key in CORE_PAGE_KEYS}
    if os.environ.get("EARLYHELP_RECORD_QUERY_BUDGET"):
        _record(vendor, most)
    budget = json.loads(BUDGET_FILE.read_text(encoding="utf-8")).get(vendor, {})
    missing = [key for key in CORE_PAGE_KEYS if key not in budget]
    assert not missing, f"No {vendor} budget for {missing} in {BUDGET_FILE.name}: record it (see this file's docstring)"
    over = [f"{key}: {most[key]} queries, budget {budget[key]}" for key in CORE_PAGE_KEYS if most[key] > budget[key]]
    assert not over, "Over the query budget:\n" + "\n".join(over)
