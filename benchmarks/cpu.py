"""Where the CPU goes under load (issue 15, point 2): the load generator, the application's
Python, and PostgreSQL, and within the Python, what it was doing.

The split comes from the processes' own CPU counters (psutil, which Locust already needs): the
load generator's and gunicorn's through this process's reaped children, PostgreSQL's from its
server processes. What the Python was doing comes from py-spy sampling the gunicorn workers
for part of the run (only threads on a CPU are sampled: waiting for PostgreSQL is not counted
as Python), each sample put in the bucket of the innermost frame that names one.
"""

import resource
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Innermost frame first: a template that runs a query counts as the ORM; the ORM waiting on the
# driver counts as the driver.
BUCKETS = (
    ("PostgreSQL driver (psycopg and libpq: sending, reading, waiting)", ("psycopg/", "psycopg_pool/")),
    ("ORM: building SQL and model instances", ("django/db/",)),
    ("templates and forms", ("django/template/", "crispy_forms", "/templatetags/", "django/forms/")),
    ("sessions, auth and middleware", ("django/contrib/sessions/", "django/contrib/auth/", "django/middleware/",
                                       "/middleware.py", "axes/", "django_otp/", "auditlog/", "whitenoise/")),
    ("request handling (Django, gunicorn)", ("django/core/", "django/urls/", "django/http/", "gunicorn/")),
    ("the service's own code", ("earlyhelp/",)),
)
OTHER = "other (standard library, other libraries)"


def children_cpu_seconds() -> float:
    """CPU of this process's children that have ended and been waited for (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_cpu_seconds() -> float | None:
    """CPU of the PostgreSQL server on this machine so far: its processes, and those that ended
    (counted in the postmaster's children). None when no server is found or it cannot be read."""
    import psutil  # with the bench extra (Locust needs it); the test suite imports this module without it

    total, found = 0.0, False
    for process in psutil.process_iter(["name", "ppid"]):
        if process.info["name"] != "postgres":
            continue
        try:
            times = process.cpu_times()
            total += times.user + times.system
            if psutil.Process(process.info["ppid"]).name() != "postgres":  # the postmaster
                total += times.children_user + times.children_system
            found = True
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total if found else None


def machine_busy_seconds() -> float:
    """CPU time spent on anything but idling, over all cores, since boot."""
    import psutil

    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


@dataclass
class CpuSplit:
    seconds: int
    generator_s: float
    application_s: float
    postgres_s: float | None
    machine_busy_s: float
    cores: int
    requests: int
    profiler_s: float = 0.0
    python_buckets: Counter = field(default_factory=Counter)
    samples: int = 0
    profiled: str = ""

    @property
    def total_s(self) -> float:
        return self.generator_s + self.application_s + (self.postgres_s or 0.0)

    def per_request_ms(self, seconds: float) -> float:
        return seconds * 1000 / self.requests if self.requests else 0.0


def py_spy_start(pid: int, *, seconds: int, out: Path) -> subprocess.Popen | None:
    """Sample gunicorn's workers (its subprocesses) for `seconds`, raw (collapsed stacks) to `out`."""
    beside_python = Path(sys.executable).with_name("py-spy")
    executable = str(beside_python) if beside_python.exists() else shutil.which("py-spy")
    if executable is None:
        return None
    return subprocess.Popen(
        [executable, "record", "--pid", str(pid), "--subprocesses", "--duration", str(seconds), "--rate", "50",
         "--format", "raw", "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def bucket_of(stack: str) -> str:
    frames = stack.split(";")
    for frame in reversed(frames):  # innermost first
        for name, markers in BUCKETS:
            if any(marker in frame for marker in markers):
                return name
    return OTHER


def read_py_spy(path: Path) -> tuple[Counter, int]:
    """Samples per bucket from py-spy's raw output: one `stack count` line per distinct stack."""
    buckets: Counter = Counter()
    if not path.exists():
        return buckets, 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        buckets[bucket_of(stack)] += int(count)
    return buckets, sum(buckets.values())
