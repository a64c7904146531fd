"""Spreadsheets as real spreadsheet programs save them: each fixture file and the message a user sees."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from matching.spreadsheet import MENTEE_COLUMNS, MENTOR_COLUMNS
from matching.tests.test_spreadsheet import EXAMPLES, good_mentee, good_mentor, match, read, write

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def problems(tmp_path, mentors: Path, mentees: Path, *extra) -> str:
    """The command's error output for files that must be refused; checks nothing was written."""
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="no files were written"):
        call_command(
            "match_spreadsheet",
            f"--mentors={mentors}",
            f"--mentees={mentees}",
            f"--out={tmp_path / 'p.csv'}",
            f"--unmatched={tmp_path / 'u.csv'}",
            *extra,
            stderr=stderr,
        )
    assert not (tmp_path / "p.csv").exists()
    assert not (tmp_path / "u.csv").exists()
    return stderr.getvalue()


def names(path: Path) -> dict[str, str]:
    rows = read(path)
    return {row["mentor_id"]: row["mentor_name"] for row in rows} | {
        row["mentee_id"]: row["mentee_name"] for row in rows
    }


def test_windows_1252_csv_from_excel_is_read_with_its_accents(tmp_path):
    out, _unmatched, stdout = match(tmp_path, FIXTURES / "mentors_windows_1252.csv", EXAMPLES / "mentees.csv")
    assert "Proposed 11 of 14 mentees" in stdout
    assert names(out)["M001"] == "Zoë"


def test_utf16_little_endian_tab_separated_unicode_text_is_read(tmp_path):
    out, _unmatched, stdout = match(
        tmp_path, EXAMPLES / "mentors.csv", FIXTURES / "mentees_utf16_le_tabs.txt"
    )
    assert "Proposed 11 of 14 mentees" in stdout
    assert names(out)["S001"] == "Jade"


def test_utf16_big_endian_is_read(tmp_path):
    out, _unmatched, stdout = match(
        tmp_path, FIXTURES / "mentors_utf16_be_tabs.txt", EXAMPLES / "mentees.csv"
    )
    assert "Proposed 11 of 14 mentees" in stdout


def test_semicolon_separated_csv_is_read(tmp_path):
    out, _unmatched, stdout = match(tmp_path, EXAMPLES / "mentors.csv", FIXTURES / "mentees_semicolon.csv")
    assert "Proposed 11 of 14 mentees" in stdout
    assert names(out)["S001"] == "Chloé"


def test_xlsx_workbook_is_read_with_numbers_and_true_false_cells(tmp_path):
    out, _unmatched, stdout = match(tmp_path, EXAMPLES / "mentors.csv", FIXTURES / "mentees.xlsx")
    assert "Proposed 11 of 14 mentees" in stdout


def test_row_numbers_are_spreadsheet_rows_after_a_quoted_line_break(tmp_path):
    report = problems(tmp_path, EXAMPLES / "mentors.csv", FIXTURES / "mentees_quoted_newline.csv")
    # The bad region is on spreadsheet row 5 (the header is row 1), though it is line 6 of the text.
    assert report.strip() == "mentees_quoted_newline.csv row 5, column region: unknown region 'Atlantis'"


def test_a_repeated_column_is_refused_by_name_and_only_that_file_is_reported(tmp_path):
    report = problems(tmp_path, FIXTURES / "mentors_duplicate_column.csv", EXAMPLES / "mentees.csv")
    assert report.strip() == (
        "mentors_duplicate_column.csv row 1: column 'region' appears more than once (columns C and Q); "
        "keep one"
    )


def test_a_file_with_wrong_columns_causes_no_errors_in_the_other_files(tmp_path):
    mentors = tmp_path / "mentors.csv"
    mentors.write_text("mentor_id,region,concent\nM001,london,yes\n", encoding="utf-8")
    locked = tmp_path / "locked.csv"
    locked.write_text("mentee_id,mentor_id\nS001,M001\n", encoding="utf-8")
    # mentees.csv and the locked file name mentors that the broken file cannot be checked for.
    report = problems(tmp_path, mentors, EXAMPLES / "mentees.csv", f"--locked={locked}")
    lines = report.strip().splitlines()
    assert lines == [
        "mentors.csv row 1: missing column(s): meets_online, offers, industries, interests, availability, "
        "places, open_to_one_to_two, approved, fully_trained, enhanced_check",
        "mentors.csv row 1: unknown column(s): concent",
    ]


def test_a_file_whose_first_row_names_no_column_says_what_was_found(tmp_path):
    mentees = tmp_path / "mentees.csv"
    mentees.write_text("Mentee list for spring|exported\nS1|Jade\n", encoding="utf-8")
    report = problems(tmp_path, EXAMPLES / "mentors.csv", mentees)
    assert report.strip() == (
        "mentees.csv row 1: the first row should name the columns (such as mentee_id, first_name, age) "
        "but reads 'Mentee list for spring|exported' (read as UTF-8). Save the sheet as CSV or Excel "
        "workbook with the column names in row 1; commas, semicolons or tabs between cells are all fine"
    )


def test_ids_guarded_against_formulas_round_trip_as_locked_pairs(tmp_path):
    mentors = write(tmp_path / "mentors.csv", MENTOR_COLUMNS, [good_mentor(mentor_id="-M1")])
    mentees = write(tmp_path / "mentees.csv", MENTEE_COLUMNS, [good_mentee(mentee_id="-S001")])
    out, _unmatched, _stdout = match(tmp_path, mentors, mentees)
    (row,) = read(out)
    assert (row["mentee_id"], row["mentor_id"]) == ("'-S001", "'-M1")
    proposals = tmp_path / "approved.csv"
    shutil.copy(out, proposals)
    again, _unmatched, _stdout = match(tmp_path, mentors, mentees, f"--locked={proposals}")
    (row,) = read(again)
    assert (row["mentee_id"], row["mentor_id"], row["locked"]) == ("'-S001", "'-M1", "yes")


def test_ids_are_trimmed_and_a_difference_in_capitals_is_pointed_out(tmp_path):
    locked = tmp_path / "locked.csv"
    locked.write_text("mentee_id,mentor_id\n S002 ,m002\ns001,M001\n", encoding="utf-8")
    report = problems(tmp_path, EXAMPLES / "mentors.csv", EXAMPLES / "mentees.csv", f"--locked={locked}")
    assert report.strip().splitlines() == [
        "locked.csv row 2, column mentor_id: no mentor with id 'm002'; 'M002' differs only in capitals "
        "(ids must match exactly)",
        "locked.csv row 3, column mentee_id: no mentee with id 's001'; 'S001' differs only in capitals "
        "(ids must match exactly)",
    ]
