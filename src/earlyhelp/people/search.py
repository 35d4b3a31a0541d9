"""Finding people: "already known?" search and duplicate checks (DOMAIN §2).

Two steps. Candidate generation asks the database for a few hundred people who could
match: exact NHS number or UPN, date of birth and postcode, and for names, on PostgreSQL,
names that sound alike (Soundex) with the nearest names by trigram word distance as the
fallback, or on SQLite blocking on surname initial. Scoring and ranking are then the same on both databases: `rank_candidates`, with
rapidfuzz and the nickname list in matching.py. Merged records are never candidates.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.expressions import RawSQL
from rapidfuzz import fuzz

from .matching import name_variants, normalise_name
from .models import Person

RESULT_LIMIT = 20
# Upper bound on the rows scored in Python for one search.
CANDIDATE_LIMIT = 3000
# A name must be at least this similar (0 to 1) for a person to be shown.
NAME_THRESHOLD = 0.75
# PostgreSQL, when no name that sounds alike was found: how many of the nearest names to take
# for what was typed, and for how many of its nickname variants ("Bill Smith": William Smith).
NEAREST_NAMES = 100
NAME_QUERIES = 4
# PostgreSQL: the people whose names sound like what was typed, closest first, at most this many.
SOUNDS_LIKE_LIMIT = 500
# How much each thing typed counts towards the score when it is not an exact identifier.
WEIGHTS = {"name": 0.6, "date_of_birth": 0.3, "postcode": 0.1}
# A nickname ("Bill" for William) is nearly as good as the name itself.
NICKNAME_SIMILARITY = 0.92

POSTCODE_PATTERN = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
CANDIDATE_FIELDS = (
    "pk", "first_name", "middle_names", "last_name", "known_as", "date_of_birth",
    "nhs_number", "upn", "postcode",
)


def postcode_compact(value: str) -> str:
    return "".join((value or "").upper().split())


def postcode_normalise(value: str) -> str:
    """'ls11aa' -> 'LS1 1AA'. Values that are not postcodes come back compacted."""
    compact = postcode_compact(value)
    if len(compact) >= 5 and POSTCODE_PATTERN.match(compact):
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def postcode_is_valid(value: str) -> bool:
    return bool(POSTCODE_PATTERN.match(postcode_normalise(value)))


@dataclass(frozen=True)
class SearchCriteria:
    """What the user typed, already validated (identifiers compacted, postcode normalised)."""

    name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""

    @property
    def name_tokens(self) -> list[str]:
        return normalise_name(self.name).split()

    @property
    def is_empty(self) -> bool:
        return not (self.name_tokens or self.date_of_birth or self.nhs_number or self.upn or self.postcode)


@dataclass(frozen=True)
class Match:
    person_id: int
    score: float  # 0 to 100
    exact_identifier: bool
    matched_on: tuple[str, ...]  # plain words: "NHS number", "name", "date of birth", ...
    sort_name: str


# Scoring ------------------------------------------------------------------------------------


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return fuzz.ratio(a, b) / 100


def _given_similarity(token: str, given_names: list[str]) -> float:
    variants = name_variants(token)
    best = 0.0
    for given in given_names:
        if given == token:
            return 1.0
        if given in variants:
            best = max(best, NICKNAME_SIMILARITY)
        else:
            best = max(best, _similarity(token, given))
    return best


def _family_similarity(text: str, surname: str) -> float:
    parts = surname.split()
    return max([_similarity(text, surname), *(_similarity(text, part) for part in parts)])


def name_score(tokens: list[str], row: dict) -> float:
    """How alike the typed name and the person's names are, 0 to 1; typos and nicknames allowed."""
    if not tokens:
        return 0.0
    given = [
        *normalise_name(row["first_name"]).split(),
        *normalise_name(row["middle_names"]).split(),
        *normalise_name(row["known_as"]).split(),
    ]
    surname = normalise_name(row["last_name"])
    if len(tokens) == 1:
        token = tokens[0]
        return max(_family_similarity(token, surname), _given_similarity(token, given))
    first, last = tokens[0], tokens[-1]
    in_order = max(
        0.4 * _given_similarity(first, given) + 0.6 * _family_similarity(last, surname),
        # A double-barrelled or two-word surname typed after the first name.
        0.4 * _given_similarity(first, given) + 0.6 * _similarity(" ".join(tokens[1:]), surname),
    )
    # "Smith John": surname first, as some records and some people write it.
    swapped = 0.95 * (0.4 * _given_similarity(last, given) + 0.6 * _family_similarity(first, surname))
    return max(in_order, swapped)


def date_of_birth_score(wanted: date, recorded: date | None) -> float:
    if recorded is None:
        return 0.0
    if wanted == recorded:
        return 1.0
    if (wanted.year, wanted.month, wanted.day) == (recorded.year, recorded.day, recorded.month):
        return 0.7  # day and month swapped
    same = sum([wanted.year == recorded.year, wanted.month == recorded.month, wanted.day == recorded.day])
    return 0.4 if same == 2 else 0.0  # one part mistyped


def postcode_score(wanted: str, recorded: str) -> float:
    wanted, recorded = postcode_compact(wanted), postcode_compact(recorded)
    if not recorded:
        return 0.0
    if wanted == recorded:
        return 1.0
    return 0.5 if wanted[:-3] == recorded[:-3] else 0.0  # the same district


def score_candidate(row: dict, criteria: SearchCriteria) -> Match | None:
    """Score one candidate row (CANDIDATE_FIELDS); None when it is not a likely match."""
    sort_name = f"{row['last_name']} {row['first_name']}".lower()
    exact = []
    if criteria.nhs_number and row["nhs_number"] == criteria.nhs_number:
        exact.append("NHS number")
    if criteria.upn and row["upn"] == criteria.upn:
        exact.append("unique pupil number")
    if exact:
        return Match(row["pk"], 100.0, True, tuple(exact), sort_name)

    parts: list[tuple[float, float]] = []
    matched_on = []
    tokens = criteria.name_tokens
    if tokens:
        similarity = name_score(tokens, row)
        if similarity < NAME_THRESHOLD:
            return None
        parts.append((WEIGHTS["name"], similarity))
        matched_on.append("name" if similarity == 1 else "similar name")
    if criteria.date_of_birth:
        similarity = date_of_birth_score(criteria.date_of_birth, row["date_of_birth"])
        parts.append((WEIGHTS["date_of_birth"], similarity))
        if similarity == 1:
            matched_on.append("date of birth")
        elif similarity:
            matched_on.append("similar date of birth")
    if criteria.postcode:
        similarity = postcode_score(criteria.postcode, row["postcode"])
        parts.append((WEIGHTS["postcode"], similarity))
        if similarity == 1:
            matched_on.append("postcode")
    if not parts or not matched_on:
        return None
    score = 100 * sum(weight * value for weight, value in parts) / sum(weight for weight, _ in parts)
    # A different identifier on record is strong evidence of a different person.
    if (criteria.nhs_number and row["nhs_number"]) or (criteria.upn and row["upn"]):
        score *= 0.6
    return Match(row["pk"], round(score, 1), False, tuple(matched_on), sort_name)


def rank_candidates(rows, criteria: SearchCriteria, *, limit: int = RESULT_LIMIT) -> list[Match]:
    """THE ranking, the same on every database: exact identifiers first, then by score."""
    matches = [match for row in rows if (match := score_candidate(row, criteria)) is not None]
    matches.sort(key=lambda match: (not match.exact_identifier, -match.score, match.sort_name, match.person_id))
    return matches[:limit]


# Candidate generation -------------------------------------------------------------------------


def _date_of_birth_block(wanted: date) -> Q:
    dates = {wanted}
    try:
        dates.add(date(wanted.year, wanted.day, wanted.month))  # day and month swapped
    except ValueError:
        pass
    return Q(date_of_birth__in=dates)


def _exact_blocks(criteria: SearchCriteria) -> Q:
    blocks = Q(pk__in=[])
    if criteria.nhs_number:
        blocks |= Q(nhs_number=criteria.nhs_number)
    if criteria.upn:
        blocks |= Q(upn=criteria.upn)
    if criteria.date_of_birth:
        blocks |= _date_of_birth_block(criteria.date_of_birth)
    if criteria.postcode:
        compact = postcode_compact(criteria.postcode)
        blocks |= Q(postcode__in={compact, postcode_normalise(compact)})
    return blocks


def _initial_blocks(tokens: list[str]) -> Q:
    """SQLite: people whose surname (or, for one word, any name) starts with the same letter."""
    surname_tokens = {tokens[-1], tokens[0]} if len(tokens) > 1 else {tokens[0]}
    blocks = Q(pk__in=[])
    for initial in sorted({token[0] for token in surname_tokens}):
        blocks |= Q(last_name__istartswith=initial)
    if len(tokens) == 1:
        blocks |= Q(first_name__istartswith=tokens[0][0]) | Q(known_as__istartswith=tokens[0][0])
    # Nicknames can start with another letter (Bill, William): search_name begins with the first name.
    for variant in sorted(name_variants(tokens[0])):
        blocks |= Q(search_name__startswith=f"{variant} ")
    return blocks


def _name_queries(tokens: list[str]) -> list[str]:
    """The typed name, and the same with each nickname or formal name for the first word."""
    queries = [" ".join(tokens)]
    for variant in sorted(name_variants(tokens[0]) - {tokens[0]}):
        queries.append(" ".join([variant, *tokens[1:]]))
    return queries


def _sounds_like_pairs(tokens: list[str]) -> list[tuple[str, str]]:
    """(surname, first name) pairs to look up by sound: both ways round, with nicknames."""
    if len(tokens) < 2:
        return []
    pairs = []
    for first, last in ((tokens[0], tokens[-1]), (tokens[-1], tokens[0])):
        pairs += [(last, given) for given in sorted(name_variants(first) | {first})]
    return pairs


# Each pair matches when both names sound alike, or when one sounds alike and the other starts
# with the same letter (a typo can change a Soundex code). Each form has its own index.
_SOUNDS_LIKE = (
    "(soundex(last_name) = soundex(%s) AND soundex(first_name) = soundex(%s))"
    " OR (soundex(first_name) = soundex(%s) AND left(lower(last_name), 1) = %s)"
    " OR (soundex(last_name) = soundex(%s) AND left(lower(first_name), 1) = %s)"
)


def _sounds_like(pairs: list[tuple[str, str]]) -> RawSQL:
    clause = " OR ".join([_SOUNDS_LIKE] * len(pairs))
    params = [value for surname, given in pairs for value in (surname, given, given, surname[:1], surname, given[:1])]
    return RawSQL(f"({clause})", params, output_field=BooleanField())


def _nearest_names(people, query: str):
    return (people.annotate(distance=RawSQL("search_name <->> %s", (query,)))
            .order_by("distance").values(*CANDIDATE_FIELDS)[:NEAREST_NAMES])


def _all_of(queries: list):
    """The rows of every query, in one round trip."""
    return queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]


def _candidates_postgresql(criteria: SearchCriteria) -> list[dict]:
    """Blocks on what was typed, each through its own index, in one query: the NHS number, UPN,
    date of birth (or day and month swapped), postcode, and names that sound alike (Soundex of
    surname and first name, nicknames included, either way round).

    Only when nothing found has a similar name (a typo in a first letter, a one-word name) does
    it ask for the nearest names by trigram word distance: a GiST index answers that without
    reading every Smith, but it is the slow part, so it is the fallback.
    """
    people = Person.objects.filter(merged_into__isnull=True)
    tokens = criteria.name_tokens
    pairs = _sounds_like_pairs(tokens)
    queries = []
    if criteria.nhs_number or criteria.upn or criteria.date_of_birth or criteria.postcode:
        queries.append(people.filter(_exact_blocks(criteria)).order_by("pk").values(*CANDIDATE_FIELDS)[:CANDIDATE_LIMIT])
    if pairs:
        # A common surname sounds like thousands of people: keep those whose whole name is
        # closest to what was typed (worked out on the block only, so no index is needed).
        queries.append(
            people.filter(_sounds_like(pairs))
            .annotate(closeness=RawSQL("word_similarity(%s, search_name)", (" ".join(tokens),)))
            .order_by("-closeness", "pk").values(*CANDIDATE_FIELDS)[:SOUNDS_LIKE_LIMIT]
        )
    found: dict[int, dict] = {}
    if queries:
        for row in _all_of(queries):
            found.setdefault(row["pk"], row)
    if tokens and not any(name_score(tokens, row) >= NAME_THRESHOLD for row in found.values()):
        nearest = [_nearest_names(people, query) for query in _name_queries(tokens)[:NAME_QUERIES]]
        for row in _all_of(nearest):
            found.setdefault(row["pk"], row)
    return list(found.values())


def _candidates_blocked(criteria: SearchCriteria) -> list[dict]:
    exact = _exact_blocks(criteria)
    tokens = criteria.name_tokens
    blocks = exact | _initial_blocks(tokens) if tokens else exact
    return list(
        Person.objects.filter(blocks, merged_into__isnull=True)
        # Identifier, date of birth and postcode matches first, so the limit never drops them.
        .annotate(priority=Case(When(exact, then=Value(0)), default=Value(1)))
        .order_by("priority", "pk")
        .values(*CANDIDATE_FIELDS)[:CANDIDATE_LIMIT]
    )


def candidate_rows(criteria: SearchCriteria) -> list[dict]:
    if criteria.is_empty:
        return []
    if connection.vendor == "postgresql":
        return _candidates_postgresql(criteria)
    return _candidates_blocked(criteria)


def search_people(criteria: SearchCriteria, *, limit: int = RESULT_LIMIT, exclude_ids=()) -> list[Match]:
    """The best matches for what was typed, best first, at most `limit`."""
    excluded = set(exclude_ids)
    rows = [row for row in candidate_rows(criteria) if row["pk"] not in excluded]
    return rank_candidates(rows, criteria, limit=limit)
