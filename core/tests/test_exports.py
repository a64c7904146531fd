import datetime

import pytest

from core.exports import spreadsheet_safe


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_text_that_would_run_as_a_formula_stays_text(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Aisha", "a=b", 42, -3, 2.5, datetime.date(2026, 11, 26)])
def test_ordinary_values_pass_through(value):
    assert spreadsheet_safe(value) == value


def test_missing_value_is_an_empty_cell():
    assert spreadsheet_safe(None) == ""


def test_a_csv_download_names_the_file_and_guards_every_cell():
    import csv
    import io

    from core.exports import csv_download

    rows = ([name, score] for name, score in [("=cmd()", 3), ("Asha", -1)])
    response = csv_download("scores.csv", ["Name", "@score"], rows)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="scores.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["Name", "'@score"],
        ["'=cmd()", "3"],
        ["Asha", "-1"],
    ]


def test_an_xlsx_download_keeps_numbers_as_numbers_with_their_formats():
    import io

    from openpyxl import load_workbook

    from core.exports import xlsx_download

    response = xlsx_download(
        "impact.xlsx",
        ["Group", "Share"],
        [["+ve", 0.25], ["All", None]],
        sheet_title="impact",
        number_formats=[None, "0.0%"],
        note="=not a formula",
    )
    assert response["Content-Disposition"] == 'attachment; filename="impact.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "impact"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Group", "Share"],
        ["'+ve", 0.25],
        ["All", None],
        [None, None],
        ["'=not a formula", None],
    ]
    assert sheet["B2"].number_format == "0.0%"
