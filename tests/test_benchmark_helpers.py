"""The benchmark suite's own parts (benchmarks/): what they count and generate, not any time."""

import random

import pytest
from rapidfuzz.distance import Levenshtein

from benchmarks.load import ROLE_MIX, role_counts
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
