"""The benchmark's own database: found, created when missing, migrated and seeded.

PostgreSQL when one is reachable, in this order: the server of BENCH_DATABASE_URL (used as it
is), the server of DATABASE_URL, the local socket as the current user, and the role that
.ci/run creates (earlyhelp on 127.0.0.1). Otherwise a SQLite file under var/. The database is
named for the run (earlyhelp_bench, earlyhelp_bench_quick), never the one the demo or the
tests use, and is seeded only when empty: seeding 200,000 families takes a while.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parents[1]
CI_SERVER = "postgres://earlyhelp:earlyhelp@127.0.0.1:5432/earlyhelp"
POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _connect(url: str, database: str):
    import psycopg

    config = dj_database_url.parse(url)
    params = {"dbname": database, "user": config.get("USER") or None, "password": config.get("PASSWORD") or None,
              "host": config.get("HOST") or None, "port": config.get("PORT") or None, "connect_timeout": 3}
    return psycopg.connect(**{key: value for key, value in params.items() if value}, autocommit=True)


def _reachable(url: str) -> bool:
    try:
        with _connect(url, "postgres") as connection:
            connection.execute("select 1")
        return True
    except Exception:
        return False


def bench_database_url(name: str) -> str:
    """Where the benchmark database `name` lives (it may not exist yet)."""
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    candidates = []
    if os.environ.get("DATABASE_URL", "").startswith(POSTGRES_SCHEMES):
        candidates.append(os.environ["DATABASE_URL"])
    candidates += ["postgres:///postgres", CI_SERVER]
    for server in candidates:
        if _reachable(server):
            return _with_database(server, name)
    var_dir = Path(os.environ.get("EARLYHELP_VAR_DIR", PROJECT_DIR / "var"))
    var_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{var_dir / f'{name}.sqlite3'}"


def create_if_missing(url: str) -> bool:
    """Create the PostgreSQL database; True when it was made. SQLite makes its file itself."""
    if not url.startswith(POSTGRES_SCHEMES):
        return False
    name = dj_database_url.parse(url)["NAME"]
    with _connect(url, "postgres") as connection:
        if connection.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            return False
        from psycopg import sql

        connection.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    return True


def _earlyhelp(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "EARLYHELP_DEMO_MODE": "1", "DEBUG": "0",
           "DJANGO_SETTINGS_MODULE": "earlyhelp.config.settings.base"}
    command = [sys.executable, "-m", "earlyhelp", *args]
    print("$ earlyhelp " + " ".join(args), flush=True)
    subprocess.run(command, env=env, check=True, cwd=PROJECT_DIR)


def prepare(name: str, *, families: int, seed: int) -> tuple[str, float | None]:
    """The URL of a migrated, seeded database `name`, and the seconds seeding took (None: already seeded)."""
    url = bench_database_url(name)
    print(f"Benchmark database: {redact(url)}" + (" (created)" if create_if_missing(url) else ""), flush=True)
    _earlyhelp(url, "migrate", "--no-input", "--verbosity", "0")
    started = time.monotonic()
    before = _family_count(url)
    if before:
        if before != families:
            print(f"Note: the database already holds {before} families, not {families}; it is used as it is. "
                  f"Drop it to seed afresh.", flush=True)
        return url, None
    _earlyhelp(url, "seed", "--families", str(families), "--seed", str(seed), "--verbosity", "2")
    return url, time.monotonic() - started


def _family_count(url: str) -> int:
    env = {**os.environ, "DATABASE_URL": url, "EARLYHELP_DEMO_MODE": "1",
           "DJANGO_SETTINGS_MODULE": "earlyhelp.config.settings.base"}
    found = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from earlyhelp.people.models import Family; "
                               "print(Family.objects.count())"],
        env=env, check=True, capture_output=True, text=True, cwd=PROJECT_DIR,
    )
    return int(found.stdout.strip().splitlines()[-1])


def redact(url: str) -> str:
    """The URL without its password, for printing."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url
