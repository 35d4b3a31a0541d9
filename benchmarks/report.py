"""The table printed at the end of a run and the results file (benchmarks/results.md for make bench)."""

import os
import platform
from dataclasses import dataclass, field

import django
from auditlog.models import LogEntry
from django.db import connection

from earlyhelp.audit.models import AccessRecord
from earlyhelp.episodes.models import Assessment, Episode, PlanAction, Review
from earlyhelp.frontdoor.models import HarmReferral, RequestForSupport
from earlyhelp.people.models import Family, Person
from earlyhelp.sharing.models import Consent, SharingDecision

from .load import LOAD_TARGET_MS, LoadResult
from .pages import PAGE_TARGET_MS, TARGETS_MS
from .search_quality import RecallResult
from .timing import PageTiming

SEARCH_TARGET_MS = 100
RECALL_TARGET = 0.99


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            kilobytes = int(meminfo.readline().split()[1])
        return f"{kilobytes / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown"


def database_description() -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def machine_lines(load_at_start: str) -> list[str]:
    return [
        f"- Processor: {_cpu_model()}, {os.cpu_count()} cores; memory {_memory()}",
        f"- {platform.system()} {platform.release()}; Python {platform.python_version()}; Django {django.get_version()}",
        f"- Database: {database_description()}, on the same machine",
        # Other work on the machine slows every figure: compare runs made with nothing else running.
        f"- Load average (1, 5, 15 minutes) at the start: {load_at_start}; at the end: {load_average()}",
    ]


def data_sizes() -> list[tuple[str, int]]:
    open_episodes = Episode.objects.exclude(state="closed").count()
    return [
        ("families", Family.objects.count()),
        ("people", Person.objects.count()),
        ("episodes", Episode.objects.count()),
        ("open episodes", open_episodes),
        ("assessments", Assessment.objects.count()),
        ("plan actions", PlanAction.objects.count()),
        ("reviews", Review.objects.count()),
        ("requests for support", RequestForSupport.objects.count()),
        ("concerns of significant harm", HarmReferral.objects.count()),
        ("consent records", Consent.objects.count()),
        ("information-sharing records", SharingDecision.objects.count()),
        ("audit: access records", AccessRecord.objects.count()),
        ("audit: change history entries", LogEntry.objects.count()),
    ]


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _met(met: bool) -> str:
    return "met" if met else "NOT MET"


@dataclass
class Run:
    title: str
    command: str
    date: str
    seed: int
    seeded_seconds: float | None
    requests: int
    pages: list[PageTiming]
    budget: dict[str, int]
    search: list[RecallResult]
    load: LoadResult | None
    load_steps: list[LoadResult] = field(default_factory=list)
    load_at_start: str = ""


def pages_table(run: Run) -> list[str]:
    lines = [
        "| Page | What it lists | Median ms | p95 ms | Queries (budget) | SQL ms, median | Total / SQL | Target p95 | |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for timing in run.pages:
        page = timing.page
        budget = run.budget.get(page.key)
        queries = f"{timing.query_count}" + (f" ({budget})" if budget is not None else "")
        ratio = f"{timing.total_to_sql:.1f}" if timing.total_to_sql else "-"
        target = f"< {page.target_ms / 1000:g} s" if page.target_ms >= 1000 else f"< {page.target_ms} ms"
        note = f" ({timing.note})" if timing.note else ""
        lines.append(f"| {page.title}{note} | {page.list_size} | {_ms(timing.median_ms)} | {_ms(timing.p95_ms)} | "
                     f"{queries} | {_ms(timing.sql_median_ms)} | {ratio} | {target} | {_met(timing.met)} |")
    return lines


def search_table(run: Run) -> list[str]:
    lines = [
        "| Searched with | Queries | Right person in the top 5 | Also counting same-name ties | Median ms | p95 ms |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for result in run.search:
        lines.append(f"| {result.label} | {result.queries} | {result.recall:.3f} | {result.recall_with_ties:.3f} | "
                     f"{_ms(result.median_ms)} | {_ms(result.p95_ms)} |")
    misses = [miss for result in run.search for miss in result.misses]
    if misses:
        lines += ["", "Not found in the top 5 (kind, typed, the person, their rank or - when not in the top 20):"]
        for result in run.search:
            lines += [f"- {result.label}: {query.kind}, \"{query.name}\", {query.true_name}, {rank or '-'}"
                      for query, rank in result.misses[:20]]
    return lines


def load_table(run: Run) -> list[str]:
    load = run.load
    if load is None:
        return ["Not run."]
    total = load.total
    lines = [
        f"{load.users} simulated users for {load.seconds} s against gunicorn ({load.workers} workers"
        f"{', the production settings over TLS, no second factor' if load.production else ''}), "
        f"1 to 3 s between pages.",
        "",
        "| Requests | Throughput (requests/s) | Median ms | p95 ms | Errors | |",
        "|--:|--:|--:|--:|--:|---|",
        f"| {total.requests:,} | {total.requests_per_second:.1f} | {_ms(total.median_ms)} | {_ms(total.p95_ms)} | "
        f"{total.failures} | {_met(load.met)} (zero errors) |",
        "",
        "| Page under load | Requests | Median ms | p95 ms | Errors |",
        "|---|--:|--:|--:|--:|",
    ]
    for row in sorted(load.pages, key=lambda row: -row.requests):
        held = "" if row in load.held_pages else " (not held to the target: the password check)"
        lines.append(f"| {row.name}{held} | {row.requests:,} | {_ms(row.median_ms)} | {_ms(row.p95_ms)} | "
                     f"{row.failures} |")
    if load.failures:
        lines += ["", "Errors:", *[f"- {failure}" for failure in load.failures]]
    if load.dropped:
        lines += ["", "Left out of the plan (the chosen user may not see them):", *[f"- {page}" for page in load.dropped]]
    return lines


def cpu_table(load: LoadResult | None) -> list[str]:
    split = load.cpu_split if load else None
    if split is None:
        return []
    available = split.cores * split.seconds
    lines = [
        "", f"### Where the CPU went ({load.users} users, {split.seconds} s)", "",
        f"CPU seconds from the processes' own counters. The machine was busy {split.machine_busy_s:,.0f} of "
        f"{available:,} core-seconds ({100 * split.machine_busy_s / available:.0f} %).", "",
        "| Part | CPU s | Share | CPU ms per request |", "|---|--:|--:|--:|",
    ]
    parts = [("Load generator (Locust)", split.generator_s), ("Application (gunicorn workers: Python)", split.application_s),
             ("PostgreSQL", split.postgres_s), ("py-spy, while it sampled", split.profiler_s)]
    total = sum(value or 0.0 for _, value in parts)
    for name, value in parts:
        if value is None:
            lines.append(f"| {name} | not readable | | |")
            continue
        lines.append(f"| {name} | {value:,.1f} | {100 * value / total:.0f} % | {split.per_request_ms(value):.1f} |")
    if split.samples:
        lines += ["", f"What the application's Python was doing, from py-spy ({split.profiled}, {split.samples:,} "
                      "samples of threads on a CPU; the innermost frame that names a part decides):", "",
                  "| Part | Share of samples | CPU ms per request |", "|---|--:|--:|"]
        for name, count in split.python_buckets.most_common():
            share = count / split.samples
            lines.append(f"| {name} | {100 * share:.0f} % | {split.per_request_ms(split.application_s * share):.1f} |")
    return lines


def steps_table(run: Run) -> list[str]:
    if not run.load_steps:
        return []
    lines = [
        "", "### Stepped load", "",
        f"p95 of all requests, and of the slowest kind of page held to the {LOAD_TARGET_MS} ms target.", "",
        "| Users | Seconds | Requests | Throughput (requests/s) | Median ms | p95 ms | Slowest page p95 ms | Errors |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for step in run.load_steps:
        total = step.total
        slowest = max(step.held_pages, key=lambda row: row.p95_ms, default=None)
        lines.append(f"| {step.users} | {step.seconds} | {total.requests:,} | {total.requests_per_second:.1f} | {_ms(total.median_ms)} | "
                     f"{_ms(total.p95_ms)} | {_ms(step.worst_p95_ms)}{f' ({slowest.name})' if slowest else ''} | "
                     f"{total.failures} |")
    passed = next((step.users for step in run.load_steps if step.total.p95_ms >= LOAD_TARGET_MS), None)
    lines += ["", f"p95 of all requests passes {LOAD_TARGET_MS} ms at {passed} users." if passed else
              f"p95 of all requests stayed under {LOAD_TARGET_MS} ms at every step."]
    return lines


def targets_summary(run: Run) -> list[str]:
    by_key = {timing.page.key: timing for timing in run.pages}
    # The pages with a target of their own (pages.TARGETS_MS) are reported on their own lines.
    core = [timing for key, timing in by_key.items() if key not in TARGETS_MS]
    slow = [timing.page.title for timing in core if not timing.met]
    lines = [
        "| Target | Result | |",
        "|---|---|---|",
        f"| p95 under {PAGE_TARGET_MS} ms for every core page except exports | "
        f"{'all under' if not slow else 'over: ' + ', '.join(slow)} | {_met(not slow)} |",
    ]
    if "search" in by_key or run.search:
        times = ([("search page", by_key["search"].p95_ms)] if "search" in by_key else []) + [
            (f"search, {result.label}", result.p95_ms) for result in run.search]
        met = all(p95 < SEARCH_TARGET_MS for _, p95 in times)
        lines.append("| Search p95 under 100 ms | " + "; ".join(f"{label} {_ms(p95)} ms" for label, p95 in times)
                     + f" | {_met(met)} |")
    if run.search:
        # With the name alone, people who share the name are ties no search can break: counted as found.
        recalls = [(result.label, result.recall if result.label == "name and date of birth" else result.recall_with_ties)
                   for result in run.search]
        met = all(recall >= RECALL_TARGET for _, recall in recalls)
        lines.append(f"| Search recall in the top 5 at least {RECALL_TARGET} | "
                     + "; ".join(f"{label} {recall:.3f}" for label, recall in recalls)
                     + f" (name only: same-name ties counted) | {_met(met)} |")
    for key in ("chronology", "note"):
        if key in by_key:
            page = by_key[key]
            lines.append(f"| {page.page.title} under {page.page.target_ms} ms (p95) | {_ms(page.p95_ms)} ms | "
                         f"{_met(page.met)} |")
    if "dashboard" in by_key:
        page = by_key["dashboard"]
        lines.append(f"| Dashboard as it opens under 200 ms (p95) | {_ms(page.p95_ms)} ms | {_met(page.met)} |")
    if "dashboard_counted" in by_key:
        page = by_key["dashboard_counted"]
        lines.append(f"| Dashboard for one team, counted when asked, under 1 s (p95) | {_ms(page.p95_ms)} ms | "
                     f"{_met(page.met)} |")
    if "annex_a" in by_key:
        page = by_key["annex_a"]
        worst = max(page.total_ms)
        lines.append(f"| Annex A for the whole council under {page.page.target_ms / 1000:g} s (slowest run) | "
                     f"{worst / 1000:.1f} s | "
                     f"{_met(worst < page.page.target_ms)} |")
    if run.load:
        slow = run.load.slow_pages
        lines.append(f"| {run.load.users} users: p95 under {LOAD_TARGET_MS} ms for every kind of page (sign-in's "
                     f"password check apart) | slowest {_ms(run.load.worst_p95_ms)} ms"
                     + (f"; over: {', '.join(row.name for row in slow)}" if slow else "") + f" | {_met(not slow)} |")
    for step in run.load_steps:
        lines.append(f"| Zero errors with {step.users} users ({step.seconds} s) | {step.total.failures} errors in "
                     f"{step.total.requests:,} requests, p95 {_ms(step.total.p95_ms)} ms | {_met(step.met)} |")
    if run.load:
        lines.append(f"| Zero errors under load | {run.load.total.failures} errors in {run.load.total.requests:,} requests | "
                     f"{_met(run.load.met)} |")
    return lines


def render(run: Run) -> str:
    sizes = data_sizes()
    seeded = (f" Seeded in this run in {run.seeded_seconds / 60:.1f} minutes." if run.seeded_seconds is not None else "")
    lines = [
        f"# {run.title}",
        "",
        f"Run on {run.date} with `{run.command}` (seed {run.seed}).{seeded} "
        "How to reproduce and what each figure means: [docs/performance.md](../docs/performance.md).",
        "",
        "## Machine",
        "",
        *machine_lines(run.load_at_start),
        "",
        "## Data",
        "",
        ", ".join(f"{count:,} {label}" for label, count in sizes) + ".",
        "",
        "## Targets",
        "",
        *targets_summary(run),
        "",
        f"## Core pages ({run.requests} requests each after warming up; Annex A fewer)",
        "",
        "Server time in-process (Django's test Client: middleware, view and templates, no network). "
        "Queries leave out BEGIN, COMMIT and savepoints; the budget is benchmarks/query_budget.json, checked by "
        "tests/test_query_budget.py.",
        "",
        *pages_table(run),
        "",
        '## "Already known?" search quality',
        "",
        "Misspelt (one edit), reordered (last name first) and nicknamed names of real people "
        "(benchmarks/search_set.py), timed through people.search.search_people.",
        "",
        *search_table(run),
        "",
        "## Load",
        "",
        *load_table(run),
        *cpu_table(run.load),
        *steps_table(run),
        "",
    ]
    return "\n".join(lines)
