"""Load: staff work through the pages of their journeys, reading and writing (issues 7 and 15).

Run by benchmarks/load.py, which writes the plan (who signs in, which pages each reads, what
each writes, which names they search for) from the seeded database and starts the server. Each
simulated user is its own seeded account: one in SIGN_IN_EVERY signs in with the demo password
when it starts, the others carry on a session made earlier that morning. Each walks its pages in
order, saving its writes after the first two (a practitioner: a draft case note, a child's part of an
assessment, a review; a partner: a request for early help, page by page), searches "already known?" once, and
starts again, pausing as a person would between pages.

By hand: EARLYHELP_LOAD_PLAN=var/bench/load-plan.json locust -f benchmarks/locustfile.py --host URL
"""

import itertools
import json
import os

from locust import HttpUser, between, events, task

from benchmarks.form_fields import posted_fields

SIGN_IN_PATH = "/sign-in/"
THINK_TIME = between(float(os.environ.get("EARLYHELP_LOAD_THINK_MIN", "1")),
                     float(os.environ.get("EARLYHELP_LOAD_THINK_MAX", "3")))

# Home and my work first, then the writes, then the rest of the journey.
WRITES_AFTER_PAGES = 2

_plan: dict = {}
_next_account = itertools.count()


@events.init.add_listener
def load_plan(environment, **kwargs):
    path = os.environ.get("EARLYHELP_LOAD_PLAN")
    if not path:
        raise SystemExit("Set EARLYHELP_LOAD_PLAN to the plan written by benchmarks/load.py")
    with open(path, encoding="utf-8") as plan_file:
        _plan.update(json.load(plan_file))


class StaffMember(HttpUser):
    wait_time = THINK_TIME

    def on_start(self):
        if self.host.startswith("https:"):
            # The production settings over TLS: the server checked against the run's own certificate
            # (with verify=False urllib3 loads the system's whole CA store for every connection, 25 ms
            # of the generator's CPU a request), and the Origin a browser sends, which Django's CSRF
            # check asks of every secure POST.
            self.client.verify = os.environ.get("EARLYHELP_LOAD_TRUSTED_CERTIFICATE", True)
            self.client.headers["Origin"] = self.host.rstrip("/")
        accounts = _plan["accounts"]
        self.account = accounts[next(_next_account) % len(accounts)]
        self.pages = [tuple(page) for page in self.account["pages"]]
        self.searches = itertools.cycle(self.account["searches"] or [""])
        self.writes = [tuple(write) for write in self.account.get("writes", [])]
        if self.account.get("session"):
            self.client.cookies.set(_plan["session_cookie"], self.account["session"])
        else:
            self.sign_in()

    def sign_in(self):
        form = self.client.get(SIGN_IN_PATH, name="sign in (form)")
        with self.client.post(
            SIGN_IN_PATH, name="sign in",
            data=posted_fields(form.text, SIGN_IN_PATH,
                               {"username": self.account["username"], "password": _plan["password"]}),
            catch_response=True,
        ) as response:
            if response.url.endswith(SIGN_IN_PATH):
                response.failure(f"{self.account['username']} could not sign in")

    def read(self, name: str, path: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            # A page that sends the user back to sign in has lost the session: an error.
            if SIGN_IN_PATH in response.url:
                response.failure("signed out")

    def write(self, name: str, path: str, typed: dict):
        # As a person saves a form: open it, type over what it holds, send all of it (its version too).
        form = self.client.get(path, name=f"{name} (form)")
        self.wait()
        with self.client.post(path, name=name, data=posted_fields(form.text, path, typed),
                              catch_response=True) as response:
            # Saved: the service redirects to what was saved; the form again means it was refused.
            if SIGN_IN_PATH in response.url:
                response.failure("signed out")
            elif response.url.rstrip("/").endswith(path.rstrip("/")):
                response.failure("not saved")

    @task
    def journey(self):
        for number, (name, path) in enumerate(self.pages):
            self.read(name, path)
            self.wait()
            if number == WRITES_AFTER_PAGES - 1:
                for write_name, write_path, data in self.writes:
                    self.write(write_name, write_path, data)
                    self.wait()
        name = next(self.searches)
        if name:
            form = self.client.get("/already-known/", name="already known? (form)")
            self.wait()
            with self.client.post("/already-known/", name="already known? search",
                                  data=posted_fields(form.text, "/already-known/", {"name": name}),
                                  catch_response=True) as response:
                if SIGN_IN_PATH in response.url:
                    response.failure("signed out")
