"""Run the whole test suite on SQLite, then on PostgreSQL when one is reachable.

PostgreSQL is taken from DATABASE_URL when it names one, or else found on the local
socket as the current user. The last line says which databases were used.
"""

import os
import subprocess
import sys


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return url
    try:
        import psycopg

        with psycopg.connect("dbname=postgres", connect_timeout=3) as connection:
            connection.execute("select 1")
        return "postgres:///earlyhelp"
    except Exception:
        return None


def server_version(url: str) -> str:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    params = {
        "dbname": "postgres", "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None, "host": config.get("HOST") or None,
        "port": config.get("PORT") or None, "connect_timeout": 5,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as connection:
        return connection.execute("show server_version").fetchone()[0].split()[0]


def run_suite(label: str, database_url: str | None, args: list[str]) -> bool:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    print(f"\n=== Test suite on {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env) == 0


def main() -> int:
    args = sys.argv[1:]
    # Both cores: each worker gets its own test database and live server.
    if not any(arg == "-n" or arg.startswith("-n") or arg.startswith("--numprocesses") for arg in args):
        args = ["-n", os.environ.get("EARLYHELP_TEST_WORKERS", "auto"), *args]
    results: list[tuple[str, bool]] = [("SQLite", run_suite("SQLite", None, args))]
    url = postgres_url()
    if url:
        label = f"PostgreSQL {server_version(url)}"
        results.append((label, run_suite(label, url, args)))
    summary = ", ".join(f"{label} ({'passed' if ok else 'FAILED'})" for label, ok in results)
    if not url:
        summary += "; PostgreSQL not reachable (set DATABASE_URL or start a local server), so not tested on it"
    print(f"\nDatabases used: {summary}")
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
