"""Annex A List 2 checked column by column against STANDARDS.md."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from earlyhelp.accounts.models import Agency
from earlyhelp.episodes.models import Assessment, Episode, EpisodeChild, EpisodeState
from earlyhelp.people.models import Family, Person
from earlyhelp.reporting.annex_a import COLUMNS, annex_a_problems, annex_a_rows

AS_OF = date(2026, 11, 30)


def _episode(ref, *, state, opened, closed=None, started=None, completed=None, children=(), organisation):
    family = Family.objects.create(name=f"Family {ref}")
    episode = Episode.objects.create(reference=ref, family=family, state=state, opened_on=opened, closed_on=closed)
    if started:
        Assessment.objects.create(episode=episode, started_on=started, due_on=started, completed_on=completed,
                                  organisation=organisation)
    for child in children:
        EpisodeChild.objects.create(episode=episode, person=child, added_on=opened)
    return episode


@pytest.fixture
def council(organisations):
    school = Agency.objects.filter(kind="school").first()
    ava = Person.objects.create(first_name="Ava", last_name="One", date_of_birth=date(2014, 12, 1), gender="b",
                                ethnicity="WBRI")
    ben = Person.objects.create(first_name="Ben", last_name="Two", date_of_birth=None, gender="a", ethnicity="BAFR")
    cal = Person.objects.create(first_name="Cal", last_name="Three", date_of_birth=date(2010, 1, 1), gender="a",
                                ethnicity="MWAS")
    dee = Person.objects.create(first_name="Dee", last_name="Four", date_of_birth=date(2012, 6, 6), gender="b",
                                ethnicity="WIRI")
    # Started within six months, completed: in.
    _episode("A", state=EpisodeState.PLAN_ACTIVE, opened=date(2026, 7, 1), started=date(2026, 7, 2),
             completed=date(2026, 7, 14), children=[ava], organisation=school)
    # Started ten months ago but still open: a current intervention, in.
    _episode("B", state=EpisodeState.PLAN_ACTIVE, opened=date(2026, 1, 5), started=date(2026, 1, 6),
             children=[ben], organisation=school)
    # Started and closed more than six months ago: out.
    _episode("C", state=EpisodeState.CLOSED, opened=date(2025, 9, 1), closed=date(2026, 2, 1),
             started=date(2025, 9, 2), completed=date(2025, 9, 10), children=[cal], organisation=school)
    # Open but still waiting for consent: not yet an intervention, out.
    _episode("D", state=EpisodeState.AWAITING_CONSENT, opened=date(2026, 11, 20), children=[dee],
             organisation=school)
    return {"ava": ava, "ben": ben, "school": school}


def test_rows_follow_the_scope_and_formats(council):
    rows = annex_a_rows(as_of=AS_OF)
    assert [row["Child Unique ID"] for row in rows] == [f"EH{council['ava'].pk:07d}", f"EH{council['ben'].pk:07d}"]
    ava, ben = rows
    assert ava == {
        "Child Unique ID": f"EH{council['ava'].pk:07d}", "Gender": "b) Female", "Ethnicity": "a) WBRI",
        "Date of Birth": "01/12/2014", "Age of Child (Years)": 11, "Assessment start date": "02/07/2026",
        "Assessment completion date": "14/07/2026", "Organisation completing assessment": council["school"].name,
    }
    assert (ben["Gender"], ben["Ethnicity"], ben["Date of Birth"], ben["Age of Child (Years)"]) == ("a) Male", "o) BAFR", "", "")
    assert ben["Assessment completion date"] == ""
    assert annex_a_problems(rows) == []


def test_the_xlsx_has_sheet_list_2_with_exactly_the_columns(council, tmp_path):
    out = tmp_path / "annex-a.xlsx"
    call_command("annex-a", "--as-of", "2026-11-30", "--out", str(out))
    sheet = load_workbook(out)["List 2"]
    values = list(sheet.values)
    assert values[0] == COLUMNS
    assert len(values) == 3
    assert values[1][1] == "b) Female" and values[1][4] == 11


def test_records_that_break_the_rules_are_listed_and_nothing_is_written(council, tmp_path):
    Person.objects.filter(pk=council["ava"].pk).update(ethnicity="XXXX")
    out = tmp_path / "annex-a.csv"
    with pytest.raises(CommandError, match="need correcting"):
        call_command("annex-a", "--as-of", "2026-11-30", "--out", str(out))
    assert not out.exists()
    problems = annex_a_problems(annex_a_rows(as_of=AS_OF))
    assert [(p.column, p.child_id) for p in problems] == [("Ethnicity", f"EH{council['ava'].pk:07d}")]


def test_an_organisation_name_that_looks_like_a_formula_stays_text(council, tmp_path):
    import csv

    name = '=HYPERLINK("http://evil.example","Click")'
    Agency.objects.filter(pk=council["school"].pk).update(name=name)
    call_command("annex-a", "--as-of", "2026-11-30", "--out", str(tmp_path / "annex-a.xlsx"))
    cells = [cell for row in load_workbook(tmp_path / "annex-a.xlsx")["List 2"].iter_rows(min_row=2) for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert [cell.value for cell in cells if cell.column == 8] == [name, name]
    assert {cell.data_type for cell in cells if cell.column == 5 and cell.value is not None} == {"n"}  # the age
    call_command("annex-a", "--as-of", "2026-11-30", "--out", str(tmp_path / "annex-a.csv"))
    with open(tmp_path / "annex-a.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert [row[7] for row in rows[1:]] == ["'" + name, "'" + name]


def test_rule_started_in_the_six_months_before_includes_the_first_day(organisations):
    """STANDARDS.md Annex A: an assessment started exactly six months before the as-of date is in scope;
    one started the day before that (and closed) is not."""
    school = Agency.objects.filter(kind="school").first()
    first_day = Person.objects.create(first_name="Eve", last_name="Five", gender="b", ethnicity="WBRI")
    day_before = Person.objects.create(first_name="Fin", last_name="Six", gender="a", ethnicity="WBRI")
    _episode("E", state=EpisodeState.CLOSED, opened=date(2026, 5, 30), closed=date(2026, 6, 30),
             started=date(2026, 5, 30), completed=date(2026, 6, 10), children=[first_day], organisation=school)
    _episode("F", state=EpisodeState.CLOSED, opened=date(2026, 5, 29), closed=date(2026, 6, 30),
             started=date(2026, 5, 29), completed=date(2026, 6, 10), children=[day_before], organisation=school)
    ids = [row["Child Unique ID"] for row in annex_a_rows(as_of=AS_OF)]
    assert ids == [f"EH{first_day.pk:07d}"]
