"""How often "already known?" puts the right person in its top 5, and how long a search takes.

Each query of search_set.py is run through people.search.search_people, the function behind
the search page, twice: with the name alone, and with the name and the date of birth (what a
practitioner usually has). With the name alone, several real people can share the name: when
the right person scores exactly as high as the fifth result, no search could tell them apart
by name, so that is counted apart ("tied") rather than as a miss of the search.
"""

from collections import Counter
from dataclasses import dataclass, field
from time import perf_counter

from earlyhelp.people.search import SearchCriteria, search_people

from .search_set import KnownQuery, known_queries
from .timing import percentile

TOP = 5
# Enough rows to see who ties with the fifth.
RANKED = 20


@dataclass
class RecallResult:
    label: str
    queries: int = 0
    found: int = 0
    tied: int = 0  # not in the top 5, but as good a match as the fifth (same name)
    times_ms: list[float] = field(default_factory=list)
    misses: list[tuple[KnownQuery, int | None]] = field(default_factory=list)  # (query, rank or None)
    found_by_kind: Counter = field(default_factory=Counter)
    queries_by_kind: Counter = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.found / self.queries if self.queries else 0.0

    @property
    def recall_with_ties(self) -> float:
        return (self.found + self.tied) / self.queries if self.queries else 0.0

    @property
    def p95_ms(self) -> float:
        return percentile(self.times_ms, 0.95)

    @property
    def median_ms(self) -> float:
        return percentile(self.times_ms, 0.5)


def _run(label: str, queries: list[KnownQuery], *, with_date_of_birth: bool) -> RecallResult:
    result = RecallResult(label)
    for query in queries:
        criteria = SearchCriteria(name=query.name,
                                  date_of_birth=query.date_of_birth if with_date_of_birth else None)
        started = perf_counter()
        matches = search_people(criteria, limit=RANKED)
        result.times_ms.append((perf_counter() - started) * 1000)
        ids = [match.person_id for match in matches]
        rank = ids.index(query.person_id) + 1 if query.person_id in ids else None
        result.queries += 1
        result.queries_by_kind[query.kind] += 1
        if rank is not None and rank <= TOP:
            result.found += 1
            result.found_by_kind[query.kind] += 1
            continue
        if rank is not None and len(matches) >= TOP and matches[rank - 1].score >= matches[TOP - 1].score:
            result.tied += 1
        else:
            result.misses.append((query, rank))
    return result


def search_quality(*, count: int = 200, seed: int = 1) -> list[RecallResult]:
    queries = known_queries(count=count, seed=seed)
    # One search first, so that the first timed one does not pay for connecting and caches.
    search_people(SearchCriteria(name=queries[0].name))
    return [
        _run("name and date of birth", queries, with_date_of_birth=True),
        _run("name only", queries, with_date_of_birth=False),
    ]
