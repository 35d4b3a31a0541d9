"""A separate process sending self-referrals, as one of several gunicorn workers would.

Run by tests/frontdoor/test_self_referral_workers.py with DATABASE_URL naming the test's
database. Reads {"address", "posts", "ready", "go"} from the JSON file it is given, says it is
ready by making the file `ready`, waits for the file `go` so that every worker sends at once,
and prints the status of each post (each from a new browser) as JSON.
"""

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    job = json.loads(Path(sys.argv[1]).read_text())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.config.settings.test")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    url = reverse("self-referral")
    Path(job["ready"]).touch()
    go = Path(job["go"])
    deadline = time.monotonic() + 120
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    statuses = [Client(REMOTE_ADDR=job["address"]).post(url, data).status_code for data in job["posts"]]
    print(json.dumps(statuses))


if __name__ == "__main__":
    main()
