"""A separate process sending self-referrals, as one of several gunicorn workers would.

Run by tests/frontdoor/test_self_referral_workers.py with DATABASE_URL naming the test's
database. Reads {"address", "sends", "session", "ready", "go"} from the JSON file it is given.
Without "session", each send is from a new browser that first answers every question (before
saying it is ready); with it, every send is from the browser holding that session. "walk_only"
answers the questions once and prints the session's key. Otherwise it says it is ready by making
the file `ready`, waits for the file `go` so that every worker sends at once, and prints, for each
check your answers sent, [status, where it redirects, whether it says it was already sent].
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the project, for tests.frontdoor


def main() -> None:
    job = json.loads(Path(sys.argv[1]).read_text())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.frontdoor.test_self_referral import ALREADY_SENT, answer_all, send_data, url

    setup_test_environment()
    if job.get("walk_only"):
        browser = Client(REMOTE_ADDR=job["address"])
        answer_all(browser)
        print(json.dumps({"session": browser.cookies[settings.SESSION_COOKIE_NAME].value}))
        return
    browsers = []
    for _ in range(job["sends"]):
        browser = Client(REMOTE_ADDR=job["address"])
        if job.get("session"):
            browser.cookies[settings.SESSION_COOKIE_NAME] = job["session"]
        else:
            answer_all(browser)
        browsers.append(browser)
    # One time note for all when a token is given (the same page sent again), else each its own.
    data = [send_data(job.get("token")) for _ in browsers]
    Path(job["ready"]).touch()
    go = Path(job["go"])
    deadline = time.monotonic() + 120
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    answers = [browser.post(url("check"), sent) for browser, sent in zip(browsers, data, strict=True)]
    print(json.dumps([[answer.status_code, answer.get("Location", ""), ALREADY_SENT in answer.content.decode()]
                      for answer in answers]))


if __name__ == "__main__":
    main()
