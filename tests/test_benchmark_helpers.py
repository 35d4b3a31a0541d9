"""The benchmark suite's own parts (benchmarks/): what they count and generate, not any time."""

import random

import pytest
from rapidfuzz.distance import Levenshtein

from benchmarks.load import ROLE_MIX, SIGN_IN_EVERY, load_plan, role_counts, sessions_made
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
    practitioner = next(account for account in accounts if account["writes"] and not account["signs_in"])
    # The session made before the run is a signed-in session the server accepts.
    client.cookies[settings.SESSION_COOKIE_NAME] = practitioner["session"]
    (name, path, data), = practitioner["writes"]
    assert client.get(path).status_code == 200
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    note = CaseNote.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert note.author.username == practitioner["username"] and not note.is_completed
