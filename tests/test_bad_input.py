"""Bad input never gives a 500: every form, as the people who use it, sent input it must refuse.

The forms come from the pages themselves: each route of the URL configuration is opened (GET)
by each kind of user of the access-matrix world, with episodes in every state, and the forms
on the page that post back to that route are parsed (the standard library's html.parser).
A route that only takes a POST is fuzzed through the page that shows its form (HOSTS below).
Each field in turn is sent empty, 100,000 characters long, with a NUL byte, with odd unicode,
twice, and, by kind, as an impossible date part, a negative or huge number, or a choice that is
not offered; then the form with no fields and with 5,000 fields. Every answer must be below 500
with no exception escaping the view (the test client raises it); an answer of 4xx means the
input was refused, so then nothing may have been saved. Each submission runs in a savepoint
rolled back afterwards, so every one meets the same world and the test is deterministic.
"""

import html
import os
import random
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from earlyhelp.accounts.models import Agency, Role
from earlyhelp.episodes import models as ep
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person
from earlyhelp.sharing.models import Consent

from .test_access_matrix import _row_counts, _user, front_door_world, world  # noqa: F401 (fixtures)

SEED = 20261201

# Routes whose form is shown on another page (they take only POST), and that page.
HOSTS = {"involvement-end": "person-detail", "episode-assessment-complete": "episode-assessment-check",
         "family-chronology-pdf": "family-chronology", "audit-subject-access": "audit-person"}
# Routes whose pages show a form of their own, posting (or, for searches and filters, getting) back.
OWN_FORMS = {
    "allocation-meetings", "already-known", "audit-search", "break-glass", "dashboard", "episode-action-create",
    "episode-action-status", "episode-assessment-analysis", "episode-assessment-child", "episode-assessment-engagement",
    "episode-assessment-family", "episode-assessment-needs", "episode-close-step", "episode-consent",
    "episode-consent-withdraw", "episode-disagreement-create", "episode-disagreement-resolve",
    "episode-lead-professional", "episode-monitoring", "episode-outcome-create", "episode-review-create",
    "episode-sharing-create", "episode-start", "episode-step-up-step", "episode-taf-create", "episode-taf-invite",
    "escalation-resolve",
    "family-create", "family-move", "harm-referral-create", "involvement-create", "level-disagree", "person-create",
    "person-merge", "person-update", "relationship-create", "reports", "request-checklist", "request-create-step",
    "request-level", "request-triage", "self-referral-step", "sign-in", "step-down-detail", "step-down-propose",
    "step-up-decide", "supporting-families-need", "team-work", "two-factor-setup", "note-create",
    "note-addendum", "alert-create", "alert-end", "oversight-create", "family-chronology", "family-document-upload",
    "episode-document-upload", "person-document-upload", "episodes-allocate",
    "episode-assessment-family-ratings", "api-tokens", "message-preferences",
}
# Routes not fuzzed here, and why.
NOT_FUZZED = {
    "sign-out": "signs the user out; takes no input",
    "sso-start": "sends the browser to the council's provider; bad callbacks are tested in tests/sso",
    "sso-callback": "takes the provider's answer; forged and refused ones are tested in tests/sso",
    "episode-assessment-given": "a button that keeps the family's copy of the assessment PDF; takes no input",
    "episode-plan-given": "a button that keeps the family's copy of the plan PDF; takes no input",
    # The published directory answers JSON to GET only; tests/directory/test_published.py sends its parameters
    # bad values (400 JSON) and a POST (405).
    **{name: "the public directory's JSON (tests/directory/test_published.py)" for name in (
        "directory-oruk-root", "directory-oruk-services", "directory-oruk-service",
        "directory-oruk-service-at-locations", "directory-oruk-taxonomies", "directory-oruk-taxonomy-terms")},
    "api-token-revoke": "a button that revokes the user's own API token; takes no input",
    # The API takes JSON, not forms: schemathesis sends it what its description allows and more
    # (tests/api/test_schema.py), and tests/api/test_endpoints.py bad input by field.
    **{name: "the API: fuzzed from its OpenAPI description (tests/api/test_schema.py)" for name in (
        "api-schema", "api-families", "api-family", "api-people", "api-person", "api-requests", "api-request",
        "api-episodes", "api-episode", "api-episode-plan", "api-notes", "api-note", "api-not-found")},
}
# Pages that show no form that posts back to them (their forms, if any, post to the routes above).
NO_FORM = {
    "sso-problem", "accessibility-statement", "cookies", "request-create", "episode-step-up", "episode-close", "self-referral",
    "allocation-meeting-detail", "audit-person", "audit-person-csv", "dashboard-csv", "dashboard-list",
    "episode-assessment", "episode-assessment-pdf", "episode-consent-recorded", "episode-detail", "episode-plan",
    "episode-plan-pdf", "episode-plan-version", "episode-review-detail", "episode-reviews", "episode-sharing",
    "episode-stepping", "episode-taf-detail", "family-detail", "front-door", "harm-referral-raised", "harm-referrals",
    "home", "my-work", "notifications", "person-detail", "privacy-notice", "request-detail", "request-submitted",
    "requests-mine", "self-referral-sent", "sharing-for-review", "signed-out", "step-downs", "supporting-families",
    "supporting-families-csv", "supporting-families-family", "family-notes", "episode-notes", "note-detail",
    "family-alerts", "episode-oversight", "family-chronology-csv", "family-documents",
    "episode-documents", "person-documents", "document-download", "notification-open",
    "episode-assessment-check", "background-file", "background-file-download",
}


def all_routes() -> list[tuple[str, tuple[str, ...]]]:
    found = []

    def walk(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if "admin" not in str(pattern.pattern):
                    walk(pattern)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((pattern.name, tuple(pattern.pattern.converters)))

    walk(get_resolver())
    return sorted(set(found))


ROUTES = dict(all_routes())


# Forms on a page -------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """Each <form>: its method, action and controls (name, kind, value, offered options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.form: dict | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "controls": []}
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit" and a.get("name"):
                    self.form["controls"].append({"name": a["name"], "kind": "submit", "value": a.get("value", ""),
                                                  "checked": False, "options": []})
                return
            self.form["controls"].append({"name": a["name"], "kind": kind, "value": a.get("value", ""),
                                          "checked": "checked" in a, "options": [a.get("value", "on")]})
        elif tag == "button" and a.get("name"):
            self.form["controls"].append({"name": a["name"], "kind": "submit", "value": a.get("value", ""),
                                          "checked": False, "options": []})
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "kind": "select", "value": None, "checked": False, "options": [],
                           "multiple": "multiple" in a}
            self.form["controls"].append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and a.get("name"):
            self.textarea = {"name": a["name"], "kind": "textarea", "value": "", "checked": False, "options": []}
            self.form["controls"].append(self.textarea)

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
            self.select["options"].append(value)
            if self.option["selected"]:
                self.select["value"] = value
            self.option = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(content: str) -> list[dict]:
    parser = FormParser()
    parser.feed(content)
    return parser.forms


def _route_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).url_name
    except Resolver404:
        return None


def plausible(control: dict, today: date) -> list[str]:
    """A value a person might well type, so that the rest of the form is valid and deep code runs."""
    name, kind, value = control["name"], control["kind"], control["value"]
    if kind in ("checkbox", "radio"):
        return [value]
    if kind == "select":
        offered = [option for option in control["options"] if option]
        return [control["value"] or (offered[0] if offered else "")]
    if value or kind == "hidden":
        return [value]
    if name.endswith("day"):
        return [str(today.day)]
    if name.endswith("month"):
        return [str(today.month)]
    if name.endswith("year"):
        return [str(today.year)]
    if kind == "number":
        return ["1"]
    if kind == "email":
        return ["someone@example.org"]
    if kind == "tel":
        return ["01234 567890"]
    if "postcode" in name:
        return ["ZZ9 9ZZ"]
    return ["Plain words"]


def baseline(form: dict, today: date) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    radios_done: set[str] = set()
    for control in form["controls"]:
        name, kind = control["name"], control["kind"]
        if kind == "submit":
            continue
        if kind == "radio":
            if name in radios_done:
                continue
            if control["checked"] or not any(c["checked"] for c in form["controls"] if c["name"] == name):
                radios_done.add(name)
                data[name] = [control["value"]]
            continue
        if kind == "checkbox":
            # The ticked ones, else the first of each group so that a required group is answered.
            if control["checked"] or name not in data:
                data.setdefault(name, [])
                if control["checked"] and data[name] and not any(
                        c["checked"] for c in form["controls"] if c["name"] == name and c is not control):
                    data[name] = []
                data[name].append(control["value"])
            continue
        data.setdefault(name, []).extend(plausible(control, today))
    # The first submit button with a name says what the form does (Save, Agree, ...).
    for control in form["controls"]:
        if control["kind"] == "submit":
            data.setdefault(control["name"], [control["value"]])
            break
    return data


HUGE = "99999999999999999999"
LONG = "x" * 100_000
ODD = "\u202e\u202dŻółć 🧒🏽‍🦱 \u200b\ufeff"


def mutations_for(control: dict) -> list[tuple[str, list[str] | None]]:
    """(what, values) for one field; None drops the field."""
    name, kind = control["name"], control["kind"]
    if name == "csrfmiddlewaretoken":
        return []  # the test client does not check it
    found = [("empty", [""]), ("100,000 characters", [LONG]), ("a NUL byte", ["a\x00b"]), ("odd unicode", [ODD])]
    if any(name.endswith(part) for part in ("day", "month", "year")):
        found += [("huge number", [HUGE]), ("zero", ["0"]), ("thirteen", ["13"]), ("not digits", ["twelve"])]
    elif kind in ("number", "hidden", "select", "radio", "checkbox") or "id" in name or "level" in name:
        found += [("missing", None), ("twice", ["1", "2"]), ("negative", ["-1"]), ("huge number", [HUGE]),
                  ("not offered", ["not-an-option"]), ("decimal", ["1.5"])]
    if kind in ("select", "radio", "checkbox"):
        offered = [option for option in control["options"] if option]
        if offered:
            found.append(("every option", offered))
    return found


def whole_form_mutations(data: dict[str, list[str]]) -> list[tuple[str, dict]]:
    many = {**data, **{f"extra{i}": ["x"] for i in range(5_000)}}
    return [("no fields at all", {}), ("5,000 fields", many)]


# The world -------------------------------------------------------------------------------------


@pytest.fixture
def bad_input_world(front_door_world):  # noqa: F811 (the fixture)
    """The access-matrix world, with an episode in every state besides its plan in place."""
    scene = front_door_world
    today = timezone.localdate()
    lead, inside = scene["lead"], scene["inside"]
    team = scene["episode"].team
    early_help = Agency.objects.get(kind="la_early_help")

    def family_with_child(name: str):
        family = Family.objects.create(name=f"{name}-Quill family", address="3 Fuzz Lane", postcode="ZZ3 3ZZ")
        child = Person.objects.create(first_name=name, last_name="Quill", date_of_birth=date(2015, 5, 5))
        parent = Person.objects.create(first_name=f"{name}-parent", last_name="Quill", date_of_birth=date(1985, 5, 5))
        FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
        FamilyMember.objects.create(family=family, person=parent, role=MemberRole.PARENT)
        return family, child, parent

    def episode(name: str, state: str, consent: bool = True):
        family, child, parent = family_with_child(name)
        made = ep.Episode.objects.create(reference=f"EP-FUZZ-{name}", family=family, state=state, team=team,
                                         allocated_worker=lead, lead_professional=lead,
                                         opened_on=today - timedelta(days=10))
        ep.EpisodeChild.objects.create(episode=made, person=child, added_on=made.opened_on)
        ep.LeadProfessionalAssignment.objects.create(episode=made, lead=lead, started_on=made.opened_on,
                                                     assigned_by=lead)
        if consent:
            Consent.objects.create(family=family, episode=made, person=parent, scope="assessment", decision="given",
                                   method="written", given_on=made.opened_on, recorded_by=lead)
        return made, child

    consent_episode, _ = episode("Consenting", ep.EpisodeState.AWAITING_CONSENT, consent=False)
    assessing, assessed_child = episode("Assessing", ep.EpisodeState.ASSESSMENT)
    assessment = ep.Assessment.objects.create(episode=assessing, started_on=assessing.opened_on,
                                              due_on=today + timedelta(days=30), organisation=early_help)
    section = ep.AssessmentChildSection.objects.create(assessment=assessment, child=assessed_child)
    planning, _ = episode("Planning", ep.EpisodeState.PLANNING)
    ep.Assessment.objects.create(episode=planning, started_on=planning.opened_on, due_on=today,
                                 completed_on=today - timedelta(days=1), organisation=early_help,
                                 agreed_needs=["16A"], what_needs_to_change="Meals", completed_by=lead)
    stepping, _ = episode("Stepping", ep.EpisodeState.STEP_UP_REQUESTED)
    step_up = ep.StepUp.objects.create(episode=stepping, reasons=["complexity"], details="More needs",
                                       requested_by=lead, requested_at=timezone.now(),
                                       social_worker=inside[Role.SOCIAL_WORKER])
    quiet_family, _, _ = family_with_child("Quiet")  # no episode: to start one, or propose a step down
    # A second pending step down, for the manager to decide.
    pending = ep.StepDown.objects.create(family=quiet_family, social_worker=inside[Role.SOCIAL_WORKER],
                                         final_assessment_summary="Lower", handover_plan="Visit",
                                         proposed_at=timezone.now())
    analyst = _user("fuzz-analyst", Role.PERFORMANCE_ANALYST, early_help)
    administrator = _user("fuzz-admin", Role.ADMINISTRATOR, early_help)
    scene["variants"] = [
        {},
        {"episode_id": consent_episode.pk},
        {"episode_id": assessing.pk, "section_id": section.pk},
        {"episode_id": planning.pk},
        {"episode_id": stepping.pk, "step_up_id": step_up.pk},
        {"family_id": quiet_family.pk, "step_down_id": pending.pk},
        {"request_id": scene["request"].pk, "meeting_id": scene["allocation_meeting"].pk},
        # Question pages: the rows of people (names, dates) and a question with a follow-up.
        {"step": "children"},
        {"step": "family"},
    ]
    scene["ids"]["escalation_id"] = scene["escalation"].pk
    scene["by_route"]["allocation-meeting-detail"] = {"meeting_id": scene["allocation_meeting"].pk}
    scene["by_route"]["allocation-decision-create"] = {"meeting_id": scene["allocation_meeting"].pk}
    scene["by_route"]["notification-read"] = {"notification_id": 0}
    # A step up's and a closure's question pages: the reasons and what has changed; each need's outcome.
    scene["by_route"]["episode-step-up-step"] = {"step": "why"}
    scene["by_route"]["episode-close-step"] = {"step": "outcomes"}
    scene["users"] = {
        "lead professional": lead,
        "team manager": inside[Role.TEAM_MANAGER],
        "early help adviser": inside[Role.EARLY_HELP_ADVISER],
        "partner practitioner": inside[Role.PARTNER_PRACTITIONER],
        "social worker": inside[Role.SOCIAL_WORKER],
        "front door officer": scene["officer"],
        "locality manager": scene["managers"]["locality manager"],
        "performance analyst": analyst,
        "administrator": administrator,
        "nobody signed in": None,
    }
    return scene


def _urls(scene, name: str) -> list[str]:
    """The route's address for each variant of the scene that changes it."""
    kwargs = ROUTES[name]
    urls = []
    for variant in scene["variants"]:
        values = {**scene["ids"], **scene["by_route"].get(name, {}), **variant}
        if variant and not set(variant) & set(kwargs):
            continue
        if any(kwarg not in values for kwarg in kwargs):
            continue
        url = reverse(name, kwargs={kwarg: values[kwarg] for kwarg in kwargs})
        if url not in urls:
            urls.append(url)
    return urls


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    return client


# Routes that take only a POST and whose form this scene does not show on a page: the fields their
# view reads, sent by whom (the form is made up here, as a script would send it).
SYNTHETIC = {
    "draft-save": ("lead professional", "episode-detail", {"draft_path": "/episodes/1/plan/", "description": "Words"}),
    "draft-discard": ("lead professional", "episode-detail", {"draft_path": "/episodes/1/plan/"}),
    "request-family-link": ("front door officer", None, {"family": "1"}),
    "request-family-create": ("front door officer", None, {}),
    "episode-start-from-allocation": ("team manager", None, {}),
    "sharing-mark-seen": ("team manager", None, {}),
    "notifications-read-all": ("lead professional", None, {}),
    "notification-read": ("lead professional", None, {}),
    "episode-assessment-start": ("lead professional", None, {}),
    "episode-assessment-add-children": ("lead professional", None, {}),
    "episode-assessment-sign-off": ("team manager", None, {"decision": "sign_off", "reason": "Words"}),
    "episode-consent-close": ("lead professional", None, {"summary_for_family": "Words", "needs_met_how": "Words",
                                                           "needs_will_escalate": "no"}),
    "allocation-decision-create": ("locality manager", None, {"outcome": "allocate_team", "team": "1",
                                                               "reasons": "Words"}),
    "two-factor-verify": ("lead professional", None, {"token": "123456"}),
    "session-extend": ("lead professional", None, {}),
    "episode-child-remove": ("lead professional", None, {"reason": "Words"}),
    "episode-plan-agree": ("lead professional", None, {}),
    "harm-referral-detail": ("social worker", None, {"decision": "early_help", "notes": "Words"}),
    # The world's note is completed, so its page offers no change: sent as from an older tab.
    "note-edit": ("lead professional", None, {"kind": "home_visit", "what_happened": "Words", "action": "complete"}),
}

# Submissions of single-field changes for one form as its first user; beyond that, a seeded sample.
MAX_PER_FORM = int(os.environ.get("EARLYHELP_FUZZ_PER_FORM", "150"))
ROLE_CHECKS = ("baseline", "no fields at all", "every field a NUL byte")


def _found_forms(scene, name: str, clients: dict) -> list[dict]:
    """Each distinct form posting to the route, with the address, the user and the page it was found on."""
    found, seen = [], set()
    host = HOSTS.get(name, name)
    for url in _urls(scene, host):
        for who, client in clients.items():
            with transaction.atomic():
                response = client.get(url)
                transaction.set_rollback(True)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in forms_on(response.content.decode()):
                action = html.unescape(form["action"]) or url
                if _route_of(action) != name:
                    continue
                signature = (form["method"], tuple(sorted({c["name"] for c in form["controls"]})))
                users = [entry for entry in found if entry["signature"] == signature]
                if users and who in users[0]["roles"]:
                    continue
                if users:
                    users[0]["roles"].append(who)
                    continue
                seen.add(signature)
                found.append({**form, "url": action if form["method"] == "post" else urlsplit(action).path,
                              "signature": signature, "roles": [who], "page": url})
    return found


def _synthetic_form(scene, name: str) -> list[dict]:
    who, _, fields = SYNTHETIC[name]
    urls = _urls(scene, name)
    controls = [{"name": key, "kind": "text", "value": value, "checked": False, "options": []}
                for key, value in fields.items()]
    controls.append({"name": "csrfmiddlewaretoken", "kind": "hidden", "value": "x", "checked": False, "options": []})
    return [{"method": "post", "url": url, "controls": controls, "roles": [who], "page": url} for url in urls[:1]]


def _submissions(form: dict, rng: random.Random, today: date, *, full: bool):
    """(what, data) for one form: its baseline, each field mutated in turn, the whole form mutated."""
    base = baseline(form, today)
    yield "baseline", base
    yield from whole_form_mutations(base)
    names = [name for name in dict.fromkeys(c["name"] for c in form["controls"])]
    for what, value in (("100,000 characters", LONG), ("a NUL byte", "a\x00b"), ("a huge number", HUGE)):
        yield f"every field {what}", {name: [value] for name in names}
    if not full:
        return
    per_field = []
    for name in names:
        control = next(c for c in form["controls"] if c["name"] == name)
        for what, values in mutations_for(control):
            data = {key: list(value) for key, value in base.items()}
            if values is None:
                data.pop(name, None)
            else:
                data[name] = values
            per_field.append((f"field {name!r} {what}", data))
    if len(per_field) > MAX_PER_FORM:
        keep = sorted(rng.sample(range(len(per_field)), MAX_PER_FORM))
        per_field = [per_field[index] for index in keep]
    yield from per_field


def _send(client, form: dict, data: dict):
    if form["method"] == "get":
        return client.get(form["url"], data)
    return client.post(form["url"], data)


FUZZED = sorted(OWN_FORMS | set(HOSTS) | set(SYNTHETIC))
# EARLYHELP_FUZZ_ROUTES=already-known,person-merge fuzzes only those routes (a quick look after a fix).
ONLY = [name for name in os.environ.get("EARLYHELP_FUZZ_ROUTES", "").split(",") if name]


def test_every_route_is_fuzzed_or_shows_no_form():
    """A new route is fuzzed as soon as it is named above; until then this test fails."""
    unplaced = set(ROUTES) - set(FUZZED) - set(NOT_FUZZED) - NO_FORM
    assert unplaced == set(), f"routes to add to OWN_FORMS, HOSTS, SYNTHETIC or NO_FORM: {sorted(unplaced)}"
    assert set(FUZZED) | set(NO_FORM) | set(NOT_FUZZED) <= set(ROUTES), "a route named here no longer exists"


GROUPS = 12  # the routes in this many tests: one world each, spread by xdist


def _fuzz(scene, name: str, clients: dict, today: date) -> tuple[list[str], int, int]:
    rng = random.Random(f"{SEED}:{name}")
    forms = _synthetic_form(scene, name) if name in SYNTHETIC else _found_forms(scene, name, clients)
    failures, sent = [], 0
    if not forms and name not in SYNTHETIC:
        failures.append(f"{name}: no user of this world was shown a form posting to it (see HOSTS, SYNTHETIC)")
    for form in forms:
        for index, who in enumerate(form["roles"]):
            for what, data in _submissions(form, rng, today, full=index == 0):
                if index and what not in ROLE_CHECKS:
                    continue
                sent += 1
                where = f"{name} ({form['method'].upper()} {form['url']}) as {who}: {what}"
                try:
                    with transaction.atomic():
                        before = _row_counts()
                        response = _send(clients[who], form, data)
                        after = _row_counts() if 400 <= response.status_code < 500 else before
                        transaction.set_rollback(True)
                except Exception as error:  # noqa: BLE001 (each one is reported, with where it happened)
                    failures.append(f"{where}: {type(error).__name__}: {str(error)[:300]}")
                    continue
                if response.status_code >= 500:
                    failures.append(f"{where}: answered {response.status_code}")
                elif after != before:
                    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                    failures.append(f"{where}: refused with {response.status_code} but saved {changed}")
    return failures, sent, sum(len(form["roles"]) for form in forms)


@pytest.mark.parametrize("group", range(GROUPS))
def test_bad_input_never_gives_a_500(bad_input_world, group):
    today = timezone.localdate()
    clients = {who: _client(user) for who, user in bad_input_world["users"].items()}
    failures, tally = [], []
    for name in (ONLY or FUZZED)[group::GROUPS]:
        found, sent, form_roles = _fuzz(bad_input_world, name, clients, today)
        failures += found
        tally.append(f"{name}: {form_roles} form x role, {sent} sent, {len(found)} failed")
    if os.environ.get("EARLYHELP_FUZZ_TALLY"):  # a file to add each route's numbers to
        with open(os.environ["EARLYHELP_FUZZ_TALLY"], "a") as out:
            out.write("\n".join(tally) + "\n")
    assert failures == [], f"{len(failures)} submissions failed:\n" + "\n".join(failures[:80])
