"""Every download of rows (CSV, XLSX) is built here, so each one guards against formulas the same way.

`csv_download` and `xlsx_download` answer a view with a file to save; `write_rows` writes the same CSV
into any text handle (a file, a ZIP member's buffer). Every header and cell goes through
`spreadsheet_safe`.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

# A spreadsheet program runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value):
    """Text that would start a formula gets a leading apostrophe so it stays text; numbers, dates and
    other values pass through, and a missing value becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_row(row: Iterable) -> list:
    return [spreadsheet_safe(cell) for cell in row]


def write_rows(handle, header: Sequence, rows: Iterable[Iterable]) -> None:
    """Write `header` and then `rows` as CSV to a text handle, every cell made spreadsheet-safe."""
    writer = csv.writer(handle)
    writer.writerow(_safe_row(header))
    for row in rows:
        writer.writerow(_safe_row(row))


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(filename: str, header: Sequence, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV file to save as `filename`: the header, then the rows (read lazily, so a queryset's
    `iterator()` streams into the response)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    write_rows(response, header, rows)
    return _attachment(response, filename)


def xlsx_download(
    filename: str,
    header: Sequence,
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "Sheet1",
    number_formats: Sequence[str | None] = (),
    note: str = "",
) -> HttpResponse:
    """An Excel workbook of one sheet to save as `filename`. Numbers stay numbers; `number_formats`
    gives, column by column, the format for numeric cells (None for none); `note` goes below the
    table after a blank row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(_safe_row(header))
    for row in rows:
        sheet.append(_safe_row(row))
        for cell, number_format in zip(sheet[sheet.max_row], number_formats, strict=False):
            if number_format and isinstance(cell.value, int | float):
                cell.number_format = number_format
    if note:
        sheet.append([])
        sheet.append([spreadsheet_safe(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)
