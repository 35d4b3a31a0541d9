"""The one CSV/XLSX helper: text a spreadsheet would run as a formula is neutralised (OWASP)."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from earlyhelp.exports import csv_response, csv_writer, safe_cell, write_xlsx_sheet

DANGEROUS = ["=HYPERLINK(\"http://evil.example\",\"Click\")", "+1+2", "-2+3", "@SUM(A1:A2)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_text_beginning_with_a_formula_character_gets_a_quote_in_front(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [
    "", "Covering for a colleague", "a=b", "Leeds - North", "'=already quoted", " =spaced", "1+1",
    0, 11, -3, 2.5, -0.25, Decimal("-1.50"), True, date(2026, 11, 30), datetime(2026, 11, 30, 9, 30), None,
])
def test_safe_text_numbers_negative_numbers_dates_and_none_pass_through_unchanged(value):
    assert safe_cell(value) is value


def test_the_csv_writer_neutralises_text_and_leaves_numbers_as_numbers():
    handle = io.StringIO(newline="")
    writer = csv_writer(handle)
    writer.writerow(["Reason", "Count"])
    writer.writerows([["=1+1", -5], ["Fine", 3.5]])
    assert list(csv.reader(io.StringIO(handle.getvalue()))) == [["Reason", "Count"], ["'=1+1", "-5"], ["Fine", "3.5"]]


def test_the_csv_response_is_a_utf8_attachment():
    response, writer = csv_response("list.csv")
    writer.writerow(["@name", "Zoë"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert response.content.decode() == "'@name,Zoë\r\n"


def test_the_workbook_writes_formula_like_text_as_text_and_numbers_as_numbers():
    buffer = io.BytesIO()
    columns = ["formula", "array", "link", "leading zero", "number", "blank", "none", "day"]
    write_xlsx_sheet(buffer, sheet="Sheet", columns=columns, rows=[{
        "formula": "=HYPERLINK(\"http://evil.example\")", "array": "{=SUM(A1)}", "link": "http://evil.example",
        "leading zero": "007", "number": -3, "blank": "", "none": None, "day": "01/02/2026",
    }])
    header, cells = load_workbook(io.BytesIO(buffer.getvalue()))["Sheet"].iter_rows()
    assert [cell.value for cell in header] == columns
    assert [cell.data_type for cell in cells][:5] == ["s", "s", "s", "s", "n"]
    assert [cell.value for cell in cells] == ["=HYPERLINK(\"http://evil.example\")", "{=SUM(A1)}",
                                              "http://evil.example", "007", -3, None, None, "01/02/2026"]
    assert cells[2].hyperlink is None
