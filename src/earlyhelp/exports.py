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
from collections.abc import Iterable, Sequence

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


def write_xlsx_sheet(path_or_file, *, sheet: str, columns: Sequence[str], rows: Iterable[dict]) -> None:
    """A workbook of one sheet: a header row of `columns`, then a row per dict, a row at a time.

    Every str is text, never a formula or a link; numbers and dates stay typed; "" and None are
    blank. Written by rust_xlsxwriter (through rustpy-xlsxwriter), about seven times faster than
    XlsxWriter for a council's hundreds of thousands of Annex A rows (docs/performance.md).
    """
    from rustpy_xlsxwriter import FastExcel  # only the exports need it

    # The header comes from the first row's keys and each row's cells from its own keys in order,
    # so every row is written with exactly `columns`, in order.
    FastExcel(path_or_file).sheet(sheet, ({column: row.get(column) for column in columns} for row in rows)).save()
