"""The one writer of every CSV and XLSX file the service produces.

A spreadsheet reads a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
as a formula, so text a user typed (a break-glass reason, an organisation's name) could run
as one when the file is opened. Following OWASP's CSV injection guidance, every CSV cell
passes through `safe_cell`, which puts a single quote in front of such text; every XLSX
workbook writes text as text, never as a formula or a link. Only `str` values are touched:
numbers (negative ones too) and dates stay typed.

Low level on purpose: every app may import it; it imports no app.
"""

import csv
from pathlib import Path

from django.http import HttpResponse

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet would read as a formula, with `'` in front; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """`csv.writer`'s writerow and writerows, each cell through `safe_cell`."""

    def __init__(self, handle):
        self._writerow = csv.writer(handle).writerow

    def writerow(self, row):
        return self._writerow([safe_cell(value) for value in row])

    def writerows(self, rows) -> None:
        writerow = self.writerow
        for row in rows:
            writerow(row)


def csv_writer(handle) -> SafeCsvWriter:
    """A CSV writer on an open text file (opened with newline="") or an HttpResponse."""
    return SafeCsvWriter(handle)


def download_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file to download (an attachment named `filename`)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str) -> tuple[HttpResponse, SafeCsvWriter]:
    """A CSV download named `filename`, and the writer to fill it."""
    response = download_response(b"", filename=filename, content_type=CSV_CONTENT_TYPE)
    return response, csv_writer(response)


def xlsx_workbook(path_or_file):
    """An XlsxWriter workbook in which `write` and `write_row` put every str as text.

    No str becomes a formula, a link or a number; write numbers and dates as themselves.
    A path is written a row at a time (constant memory); a file object is built in memory.
    """
    import xlsxwriter  # only the exports need it

    in_memory = not isinstance(path_or_file, (str, Path))
    return xlsxwriter.Workbook(path_or_file, {
        "constant_memory": not in_memory, "in_memory": in_memory,
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
