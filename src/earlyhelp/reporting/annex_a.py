"""Ofsted ILACS Annex A, List 2 (early help): the columns, spellings and formats of STANDARDS.md.

Scope: early help assessments started in the six months before the as-of date, and current
early help interventions (open episodes whose assessment has started; an episode still
waiting for consent is not yet an intervention). One row per child. Every row is checked
against the list's rules before anything is written; rows that would break them are
returned for correction instead of being exported wrongly.
"""

import re
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from earlyhelp.config.routers import reads_from_replica
from earlyhelp.episodes.models import EpisodeChild, EpisodeState
from earlyhelp.exports import csv_writer, write_xlsx_sheet
from earlyhelp.standards import AnnexAGender, Ethnicity, annex_a_coded

SHEET_NAME = "List 2"
COLUMNS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Assessment start date",
    "Assessment completion date",
    "Organisation completing assessment",
)
DATE_PATTERN = re.compile(r"^\d{2}/\d{2}/\d{4}$")
GENDER_VALUES = {annex_a_coded(AnnexAGender, value) for value in AnnexAGender.values}
ETHNICITY_VALUES = {annex_a_coded(Ethnicity, value, show="value") for value in Ethnicity.values}


@dataclass(frozen=True)
class Problem:
    child_id: str
    column: str
    message: str


def _ddmmyyyy(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _age(born: date | None, on: date) -> int | str:
    if born is None or born > on:
        return ""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def child_unique_id(person_id: int) -> str:
    return f"EH{person_id:07d}"


@reads_from_replica  # the whole council's children: the largest read, and a moment's lag is fine
def annex_a_rows(*, as_of: date) -> list[dict]:
    """One row per child, newest assessment first when a child appears more than once."""
    # "Started in the six months before" includes its first day: as of 15 June, 15 December counts.
    six_months_before = as_of - relativedelta(months=6)
    started_recently = Q(episode__assessment__started_on__gte=six_months_before,
                         episode__assessment__started_on__lte=as_of)
    current = (Q(episode__opened_on__lte=as_of) & (Q(episode__closed_on__isnull=True) | Q(episode__closed_on__gt=as_of))
               & Q(episode__assessment__started_on__lte=as_of) & ~Q(episode__state=EpisodeState.AWAITING_CONSENT))
    memberships = (
        EpisodeChild.objects.filter(started_recently | current)
        .filter(added_on__lte=as_of)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=as_of))
        .order_by("person_id", "-episode__assessment__started_on")
        # Only the columns' fields: a whole council is hundreds of thousands of rows.
        .values_list("person_id", "person__gender", "person__ethnicity", "person__date_of_birth",
                     "episode__assessment__started_on", "episode__assessment__completed_on",
                     "episode__assessment__organisation__name")
    )
    genders = {value: annex_a_coded(AnnexAGender, value) for value in AnnexAGender.values}
    ethnicities = {value: annex_a_coded(Ethnicity, value, show="value") for value in Ethnicity.values}
    rows, seen = [], set()
    for person_id, gender, ethnicity, born, started_on, completed_on, organisation in memberships.iterator(
            chunk_size=5000):
        if person_id in seen:
            continue
        seen.add(person_id)
        completed = completed_on if completed_on and completed_on <= as_of else None
        rows.append({
            "Child Unique ID": child_unique_id(person_id),
            "Gender": genders.get(gender, ""),
            "Ethnicity": ethnicities.get(ethnicity, ""),
            "Date of Birth": _ddmmyyyy(born),
            "Age of Child (Years)": _age(born, as_of),
            "Assessment start date": _ddmmyyyy(started_on),
            "Assessment completion date": _ddmmyyyy(completed),
            "Organisation completing assessment": organisation or "",
        })
    return rows


def annex_a_problems(rows: list[dict]) -> list[Problem]:
    """The same rules as the template: never-blank columns and exact formats."""
    problems = []
    for row in rows:
        child = row["Child Unique ID"] or "(no ID)"

        def problem(column: str, message: str) -> None:
            problems.append(Problem(child, column, message))

        if not re.fullmatch(r"[A-Za-z0-9]+", row["Child Unique ID"] or ""):
            problem("Child Unique ID", "must be letters and numbers and never blank")
        if row["Gender"] not in GENDER_VALUES:
            problem("Gender", "must be one of a) Male, b) Female, c) Not stated/recorded, d) Neither")
        if row["Ethnicity"] not in ETHNICITY_VALUES:
            problem("Ethnicity", "must be one of the census ethnicity codes")
        for column in ("Date of Birth", "Assessment completion date"):
            if row[column] and not DATE_PATTERN.match(row[column]):
                problem(column, "must be dd/mm/yyyy")
        if not row["Assessment start date"] or not DATE_PATTERN.match(row["Assessment start date"]):
            problem("Assessment start date", "must be dd/mm/yyyy and never blank")
        age = row["Age of Child (Years)"]
        if age != "" and (not isinstance(age, int) or age < 0):
            problem("Age of Child (Years)", "must be a whole number, 0 or more")
        if not row["Organisation completing assessment"]:
            problem("Organisation completing assessment", "must never be blank")
    return problems


def write_xlsx(rows: list[dict], path_or_file) -> None:
    """The sheet `List 2`, a row at a time; text is never a formula."""
    write_xlsx_sheet(path_or_file, sheet=SHEET_NAME, columns=COLUMNS, rows=rows)


def write_csv(rows: list[dict], path_or_file) -> None:
    if isinstance(path_or_file, (str, Path)):
        with open(path_or_file, "w", newline="", encoding="utf-8") as handle:
            write_csv(rows, handle)
        return
    writer = csv_writer(path_or_file)
    writer.writerow(COLUMNS)
    writer.writerows(map(itemgetter(*COLUMNS), rows))
