"""The benchmark suite's own parts (benchmarks/): what they count and generate, not any time."""

import json
import random
import subprocess
import sys

import pytest
from django.conf import settings
from rapidfuzz.distance import Levenshtein

from benchmarks.form_fields import posted_fields
from benchmarks.load import (
    ROLE_MIX,
    SIGN_IN_EVERY,
    _server_environment,
    load_plan,
    role_counts,
    sessions_made,
)
from benchmarks.search_quality import search_quality
from benchmarks.search_set import KINDS, known_queries, one_edit
from benchmarks.timing import percentile, query_count


def test_a_typo_is_one_edit_and_keeps_the_first_letter():
    rng = random.Random(3)
    for word in ["smith", "okafor", "fitzgerald", "abc"]:
        for _ in range(50):
            typo = one_edit(word, rng)
            assert Levenshtein.distance(word, typo) == 1
            assert typo[0] == word[0]


def test_p95_is_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.5) == 50
    assert percentile([7.0], 0.95) == 7.0


def test_transaction_bookkeeping_is_not_counted_as_queries():
    class Captured:
        captured_queries = [{"sql": sql} for sql in (
            "BEGIN", 'SELECT 1', 'SAVEPOINT "s1"', 'INSERT INTO x VALUES (1)', 'RELEASE SAVEPOINT "s1"', "COMMIT",
        )]

    assert query_count(Captured()) == 2


@pytest.mark.parametrize("users", [1, 5, 10, 50, 73])
def test_the_load_mix_has_as_many_users_as_asked_and_every_role_when_there_is_room(users):
    counts = role_counts(users)
    assert sum(counts.values()) == users
    if users >= len(ROLE_MIX):
        assert all(count >= 1 for count in counts.values())


def test_the_search_set_is_the_same_for_the_same_seed_and_has_every_kind(seeded):
    first, again = known_queries(count=40, seed=3), known_queries(count=40, seed=3)
    assert first == again
    assert len(first) == 40
    assert {query.kind for query in first} == set(KINDS)


def test_the_search_finds_the_known_people_by_misspelt_name_and_date_of_birth(seeded):
    with_date_of_birth, name_only = search_quality(count=40, seed=3)
    assert with_date_of_birth.queries == name_only.queries == 40
    assert with_date_of_birth.recall >= 0.99, with_date_of_birth.misses
    assert name_only.recall_with_ties >= 0.99, name_only.misses


def test_the_load_plan_writes_a_draft_note_and_signs_in_at_a_mornings_rate(seeded, client):
    from django.conf import settings

    from earlyhelp.recording.models import CaseNote

    plan = load_plan(12, seed=3)
    sessions_made(plan)
    accounts = plan["accounts"]
    assert [account["signs_in"] for account in accounts].count(True) == -(-len(accounts) // SIGN_IN_EVERY)
    practitioner = next(account for account in accounts
                        if account["role"] == "early_help_practitioner" and not account["signs_in"])
    # The session made before the run is a signed-in session the server accepts.
    client.cookies[settings.SESSION_COOKIE_NAME] = practitioner["session"]
    name, path, data = practitioner["writes"][0]
    assert name == "case note (save draft)"
    assert client.get(path).status_code == 200
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    note = CaseNote.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert note.author.username == practitioner["username"] and not note.is_completed


def test_the_load_plan_saves_a_note_an_assessment_section_a_review_and_a_request_as_a_browser_would(seeded, client):
    """Each write of the plan, sent as the load run sends it (the form's own fields, the plan's typed
    over them), saves: nothing is refused, nothing goes back to the form."""
    from earlyhelp.accounts.models import User
    from earlyhelp.episodes.models import AssessmentChildSection, Review
    from earlyhelp.frontdoor.models import RequestForSupport
    from earlyhelp.recording.models import CaseNote

    plan = load_plan(50, seed=3)
    writes = {}  # each kind of write, as the first account that makes it makes it
    for account in plan["accounts"]:
        for kind in {name.split(" (")[0] for name, _, _ in account["writes"]} - set(writes):
            writes[kind] = (account["username"], [(path, typed) for name, path, typed in account["writes"]
                                                  if name.split(" (")[0] == kind])
    assert set(writes) == {"case note", "assessment section", "review", "request"}
    before = (CaseNote.objects.count(), Review.objects.count(), RequestForSupport.objects.count())
    for kind, (username, steps) in writes.items():
        client.force_login(User.objects.get(username=username))
        for path, typed in steps:
            form = client.get(path, follow=True)
            assert form.status_code == 200, (kind, path)
            response = client.post(path, posted_fields(form.content.decode(), path, typed))
            assert response.status_code == 302, (kind, path, response.content.decode()[:3000])
            assert response["Location"].split("?")[0].rstrip("/") != path.rstrip("/"), (kind, path)
    assert (CaseNote.objects.count(), Review.objects.count(), RequestForSupport.objects.count()) == tuple(
        count + 1 for count in before)
    section_path = writes["assessment section"][1][0][0]
    section = AssessmentChildSection.objects.get(pk=section_path.rstrip("/").split("/")[-1])
    assert section.wishes_and_feelings == "Said school is better since the new timetable (load run)."


def test_a_form_is_sent_with_its_own_fields_and_only_the_typed_ones_changed():
    page = """<form method="post" action="/sign-out/"><input type="hidden" name="csrfmiddlewaretoken" value="x"></form>
    <form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t"><input name="opened" type="hidden" value="v1">
    <textarea name="words">
Kept</textarea><input type="radio" name="choice" value="a"><input type="radio" name="choice" value="b" checked>
    <input type="checkbox" name="ticks" value="1" checked><input type="checkbox" name="ticks" value="2" checked>
    <select name="pick"><option value="p">P</option><option value="q" selected>Q</option></select>
    <select name="first"><option value="f">F</option></select><input type="submit" name="go" value="Go">
    <input name="off" value="no" disabled></form>"""
    assert posted_fields(page, "/notes/1/", {"words": "Typed"}) == {
        "csrfmiddlewaretoken": "t", "opened": "v1", "words": "Typed", "choice": "b", "ticks": ["1", "2"],
        "pick": "q", "first": "f"}
    assert posted_fields(page, "/notes/1/", {})["words"] == "Kept"


def test_the_stepped_load_reports_where_p95_passes_the_target_and_holds_every_page_but_the_password_check():
    from benchmarks.load import LoadResult, LoadRow
    from benchmarks.report import Run, steps_table, targets_summary

    def step(users, p95, sign_in_p95=900.0):
        pages = [LoadRow("family page", 100, 0, 50, p95, 5), LoadRow("sign in", 10, 0, 400, sign_in_p95, 1)]
        return LoadResult(users=users, seconds=60, workers=3, total=LoadRow("Aggregated", 110, 0, 60, p95, 6),
                          pages=pages)

    steps = [step(25, 90), step(50, 150), step(100, 240), step(150, 900)]
    run = Run(title="t", command="c", date="d", seed=1, seeded_seconds=None, requests=1, pages=[], budget={},
              search=[], load=steps[1], load_steps=steps)
    table = "\n".join(steps_table(run))
    assert "p95 of all requests passes 200 ms at 100 users." in table
    assert "| 100 | 60 | 110 | 6.0 | 60.0 | 240 | 240 (family page) | 0 |" in table
    summary = "\n".join(targets_summary(run))
    assert "| 50 users: p95 under 200 ms for every kind of page (sign-in's password check apart) | slowest 150 ms | met |" \
        in summary
    assert steps[2].slow_pages == [steps[2].pages[0]]


def test_a_sample_counts_for_the_innermost_part_it_names(tmp_path):
    from benchmarks.cpu import OTHER, bucket_of, read_py_spy

    template_then_query = ("main (gunicorn/arbiter.py:1);render (django/template/base.py:2);"
                           "execute_sql (django/db/models/sql/compiler.py:3);wait (psycopg/connection.py:4)")
    assert bucket_of(template_then_query).startswith("PostgreSQL driver")
    assert bucket_of("main (gunicorn/arbiter.py:1);render (django/template/base.py:2)") == "templates and forms"
    assert bucket_of("main (gunicorn/arbiter.py:1);page (earlyhelp/people/views.py:9)") == "the service's own code"
    assert bucket_of("loads (json/decoder.py:1)") == OTHER
    raw = tmp_path / "py-spy.txt"
    raw.write_text(f"{template_then_query} 7\nmain (gunicorn/arbiter.py:1);render (django/template/base.py:2) 3\n")
    buckets, samples = read_py_spy(raw)
    assert samples == 10 and buckets["templates and forms"] == 3


def test_load_steps_are_users_with_their_own_seconds_or_the_default():
    from benchmarks.run import _arguments

    arguments = _arguments(["--load-steps", "25,50,200:300", "--load-step-seconds", "90"])
    assert arguments.load_steps == [(25, None), (50, None), (200, 300)]


def test_a_production_load_run_serves_the_production_settings_with_our_key_and_no_second_factor():
    """`--production`: the server's environment loads the production settings themselves (secure
    cookies, HTTPS only), signs with the key the run's sessions were made with, and asks no second
    factor of the simulated staff."""
    shown = subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup(); from django.conf import settings as s; "
                               "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.DEBUG, "
                               "s.EARLYHELP_DEMO_MODE, s.EARLYHELP_REQUIRE_TWO_FACTOR, s.SECRET_KEY]))"],
        env=_server_environment(production=True), capture_output=True, text=True, check=True)
    assert json.loads(shown.stdout) == [True, True, False, False, False, settings.SECRET_KEY]
