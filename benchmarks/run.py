"""Run the benchmark suite and print its table; `make bench` and `make bench-quick` call this.

    python -m benchmarks.run                                      # against DATABASE_URL, already seeded
    python -m benchmarks.run --database earlyhelp_bench_quick --families 5000 --quick

With --database, the database is found (PostgreSQL when reachable, else SQLite under var/),
created when missing, migrated and seeded first (benchmarks/database.py).
"""

import argparse
import json
import os
import shlex
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

BENCHMARKS_DIR = Path(__file__).resolve().parent
BUDGET_FILE = BENCHMARKS_DIR / "query_budget.json"


def _steps(text: str) -> list[tuple[int, int | None]]:
    steps = []
    for step in text.split(","):
        users, _, seconds = step.partition(":")
        steps.append((int(users), int(seconds) if seconds else None))
    return steps


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="Name of the benchmark database to find or create, migrate and seed")
    parser.add_argument("--families", type=int, default=200_000, help="Families to seed when the database is empty")
    parser.add_argument("--seed", type=int, default=1, help="Seed of the data and of the search queries")
    parser.add_argument("--quick", action="store_true",
                        help="Fewer requests, searches and a short load run (make bench-quick)")
    parser.add_argument("--requests", type=int, help="Timed requests per core page (default 50, quick 20)")
    parser.add_argument("--searches", type=int, help="Search quality queries (default 200)")
    parser.add_argument("--load-users", type=int, help="Simulated users under load (default 50, quick 10)")
    parser.add_argument("--load-seconds", type=int, help="Length of the load run (default 300, quick 30)")
    parser.add_argument("--load-steps", type=_steps, default=[], metavar="USERS[:SECONDS],...",
                        help="After the load run, step the load through these numbers of users to find where p95 "
                             "passes 200 ms, each for --load-step-seconds or its own (e.g. 25,50,100,150,200:300)")
    parser.add_argument("--load-step-seconds", type=int, default=120, help="Length of each step (default 120)")
    parser.add_argument("--profile", action="store_true",
                        help="Split the load run's CPU between Locust, gunicorn and PostgreSQL, with py-spy on gunicorn")
    parser.add_argument("--production", action="store_true",
                        help="Load runs against the production settings, gunicorn serving TLS (no second factor)")
    parser.add_argument("--skip", action="append", default=[], choices=["pages", "search", "load"],
                        help="Leave a part out (repeatable)")
    parser.add_argument("--page", action="append", default=[], dest="only", metavar="KEY",
                        help="Time only this core page (repeatable), by its key in benchmarks/pages.py: "
                             "my_work, family, chronology, note, dashboard...")
    parser.add_argument("--out", type=Path, help="Write the results here as Markdown")
    arguments = parser.parse_args(argv)
    quick = arguments.quick
    arguments.requests = arguments.requests or (20 if quick else 50)
    arguments.searches = arguments.searches or 200
    arguments.load_users = arguments.load_users or (10 if quick else 50)
    arguments.load_seconds = arguments.load_seconds or (30 if quick else 300)
    return arguments


def _configure_django(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    # The real settings with DEBUG off; demo mode lets the seeded users sign in without a second factor.
    os.environ["DJANGO_SETTINGS_MODULE"] = "earlyhelp.config.settings.base"
    os.environ["DEBUG"] = "0"
    os.environ["EARLYHELP_DEMO_MODE"] = "1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The front-end assets are not needed to time pages: no warning when they were never copied.
    os.environ.setdefault("PYTHONWARNINGS", "ignore:No directory at")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from earlyhelp.config.worker import worker_ready

    worker_ready()  # as each gunicorn worker starts (config/wsgi.py): the pages timed as it serves them


def read_budget() -> dict[str, int]:
    from django.db import connection

    if not BUDGET_FILE.exists():
        return {}
    return json.loads(BUDGET_FILE.read_text(encoding="utf-8")).get(connection.vendor, {})


def _print(text: str = "") -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(sys.argv[1:] if argv is None else argv)
    seeded_seconds = None
    database_url = None
    if arguments.database:
        from .database import prepare

        database_url, seeded_seconds = prepare(arguments.database, families=arguments.families, seed=arguments.seed)
    elif not os.environ.get("DATABASE_URL"):
        _print("Set DATABASE_URL to a seeded database, or give --database NAME to make one.")
        return 2
    _configure_django(database_url)

    from . import report
    from .load import run_load
    from .pages import core_pages
    from .search_quality import search_quality
    from .timing import measure_page

    started = time.monotonic()
    load_at_start = report.load_average()
    pages = []
    if "pages" not in arguments.skip:
        _print(f"Core pages: {arguments.requests} requests each")
        for page in core_pages(seed=arguments.seed, only=tuple(arguments.only)):
            requests = max(3, arguments.requests // 10) if page.is_export else arguments.requests
            timing = measure_page(page, requests=requests, warm_up=1 if page.is_export else 3)
            pages.append(timing)
            _print(f"  {page.title}: median {timing.median_ms:.1f} ms, p95 {timing.p95_ms:.1f} ms, "
                   f"{timing.query_count} queries")
    search = []
    if "search" not in arguments.skip:
        _print(f"Search quality: {arguments.searches} queries")
        search = search_quality(count=arguments.searches, seed=arguments.seed)
    load = None
    if "load" not in arguments.skip:
        _print(f"Load: {arguments.load_users} users for {arguments.load_seconds} s")
        out_dir = Path(os.environ.get("EARLYHELP_VAR_DIR", BENCHMARKS_DIR.parent / "var")) / "bench"
        load = run_load(users=arguments.load_users, seconds=arguments.load_seconds, out_dir=out_dir,
                        seed=arguments.seed, profile=arguments.profile, production=arguments.production)
    steps = []
    for users, seconds in arguments.load_steps:
        seconds = seconds or arguments.load_step_seconds
        _print(f"Load step: {users} users for {seconds} s")
        out_dir = Path(os.environ.get("EARLYHELP_VAR_DIR", BENCHMARKS_DIR.parent / "var")) / "bench" / f"step-{users}"
        steps.append(run_load(users=users, seconds=seconds, out_dir=out_dir, seed=arguments.seed,
                              production=arguments.production))
        _print(f"  p95 {steps[-1].total.p95_ms:.0f} ms overall, slowest page {steps[-1].worst_p95_ms:.0f} ms, "
               f"{steps[-1].total.failures} errors")

    command = "python -m benchmarks.run " + " ".join(shlex.quote(arg) for arg in (argv or sys.argv[1:]))
    run = report.Run(
        title="Benchmark results" + (" (quick)" if arguments.quick else ""),
        command=command, date=datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"), seed=arguments.seed,
        seeded_seconds=seeded_seconds, requests=arguments.requests, pages=pages, budget=read_budget(),
        search=search, load=load, load_steps=steps, load_at_start=load_at_start,
    )
    text = report.render(run)
    _print()
    _print(text)
    if arguments.out:
        arguments.out.parent.mkdir(parents=True, exist_ok=True)
        arguments.out.write_text(text, encoding="utf-8")
        _print(f"Written to {arguments.out} in {(time.monotonic() - started) / 60:.1f} minutes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
