"""Misspelt, reordered and nicknamed names of real people in the database, with known answers.

The same seed and the same data give the same set. Three kinds of query, as practitioners type
them into "already known?":

- typo: one edit (a letter changed, left out or added) in the first or last name. Never the
  first letter: people rarely get it wrong, and the SQLite candidate blocking relies on it;
- swapped: last name first ("Smith John"), as some records and some people write it;
- nickname: the first name replaced by a nickname or formal name from people/matching.py
  ("Bill Jones" for William Jones).
"""

import random
import string
from dataclasses import dataclass
from datetime import date

from django.db.models.functions import Length, Lower

from earlyhelp.people.matching import NICKNAMES, name_variants, normalise_name
from earlyhelp.people.models import Person

KINDS = ("typo", "swapped", "nickname")
# Of every four queries: two typos, one swapped, one nickname.
KIND_WEIGHTS = {"typo": 2, "swapped": 1, "nickname": 1}


@dataclass(frozen=True)
class KnownQuery:
    kind: str
    name: str
    date_of_birth: date | None
    person_id: int
    true_name: str


def one_edit(word: str, rng: random.Random) -> str:
    """The word with one letter changed, left out or added, never the first letter."""
    position = rng.randrange(1, len(word))
    letter = rng.choice([c for c in string.ascii_lowercase if c != word[position].lower()])
    edit = rng.choice(("change", "leave out", "add"))
    if edit == "change":
        return word[:position] + letter + word[position + 1:]
    if edit == "leave out":
        return word[:position] + word[position + 1:]
    return word[:position] + letter + word[position:]


def _eligible_people():
    # Whole names of a reasonable length: a one-edit typo in a two-letter name is another name.
    return (Person.objects.filter(merged_into__isnull=True)
            .annotate(first_length=Length("first_name"), last_length=Length("last_name"))
            .filter(first_length__gte=3, last_length__gte=3)
            .exclude(first_name__contains=" ").exclude(last_name__contains=" "))


def _sample_ids(queryset, count: int, rng: random.Random) -> list[int]:
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    return sorted(rng.sample(ids, min(count, len(ids))))


def known_queries(count: int = 200, seed: int = 1) -> list[KnownQuery]:
    """`count` queries, each with the person it should find."""
    rng = random.Random(seed)
    total_weight = sum(KIND_WEIGHTS.values())
    wanted = {kind: count * weight // total_weight for kind, weight in KIND_WEIGHTS.items()}
    wanted["typo"] += count - sum(wanted.values())
    people = _eligible_people()
    nicknamed = people.annotate(first_lower=Lower("first_name")).filter(first_lower__in=sorted(NICKNAMES))
    chosen = {
        "typo": _sample_ids(people, wanted["typo"], rng),
        "swapped": _sample_ids(people, wanted["swapped"], rng),
        "nickname": _sample_ids(nicknamed, wanted["nickname"], rng),
    }
    rows = Person.objects.in_bulk([pk for ids in chosen.values() for pk in ids])
    queries = []
    for kind in KINDS:
        for pk in chosen[kind]:
            person = rows[pk]
            first, last = normalise_name(person.first_name), normalise_name(person.last_name)
            if kind == "typo":
                if rng.random() < 0.5:
                    first = one_edit(first, rng)
                else:
                    last = one_edit(last, rng)
                name = f"{first} {last}"
            elif kind == "swapped":
                name = f"{last} {first}"
            else:
                name = f"{rng.choice(sorted(name_variants(first) - {first}))} {last}"
            queries.append(KnownQuery(kind=kind, name=name, date_of_birth=person.date_of_birth, person_id=pk,
                                      true_name=f"{person.first_name} {person.last_name}"))
    rng.shuffle(queries)
    return queries
