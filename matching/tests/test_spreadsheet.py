import csv
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.exports import spreadsheet_safe
from matching.spreadsheet import MENTEE_COLUMNS, MENTOR_COLUMNS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, columns, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def match(tmp_path, mentors: Path, mentees: Path, *extra) -> tuple[Path, Path, str]:
    out, unmatched = tmp_path / "proposals.csv", tmp_path / "unmatched.csv"
    stdout = io.StringIO()
    call_command(
        "match_spreadsheet",
        "--mentors",
        str(mentors),
        "--mentees",
        str(mentees),
        "--out",
        str(out),
        "--unmatched",
        str(unmatched),
        *extra,
        stdout=stdout,
    )
    return out, unmatched, stdout.getvalue()


def good_mentor(**overrides):
    row = {
        "mentor_id": "M1",
        "first_name": "Priya",
        "region": "london",
        "meets_online": "yes",
        "offers": "interview_practice",
        "industries": "law",
        "job_title": "Solicitor",
        "places": "1",
        "approved": "yes",
        "fully_trained": "yes",
        "enhanced_check": "yes",
    }
    row.update(overrides)
    return row


def good_mentee(**overrides):
    row = {
        "mentee_id": "S1",
        "first_name": "Jade",
        "age": "17",
        "region": "London",
        "needs": "interview practice",
        "industries": "law",
        "consent": "yes",
        "induction_done": "yes",
    }
    row.update(overrides)
    return row


def test_example_files_give_proposals_and_unmatched_with_reasons(tmp_path):
    out, unmatched, stdout = match(tmp_path, EXAMPLES / "mentors.csv", EXAMPLES / "mentees.csv")
    proposals = read(out)
    assert list(proposals[0]) == [
        "mentee_id",
        "mentee_name",
        "mentor_id",
        "mentor_name",
        "score",
        "locked",
        "explanation",
    ]
    by_mentee = {row["mentee_id"]: row for row in proposals}
    assert by_mentee["S001"]["mentor_id"] == "M001"
    assert by_mentee["S001"]["explanation"].startswith("wants law, mentor is a solicitor")
    assert {row["mentor_id"] for row in proposals if row["mentee_id"] in ("S003", "S004")} == {"M003"}
    left = {(row["role"], row["id"]): row["reason"] for row in read(unmatched)}
    assert left[("mentee", "S006")] == "the mentee is under 16 and parental consent is not recorded"
    assert left[("mentee", "S011")] == "the mentee's consent is not recorded"
    assert left[("mentor", "M009")] == "the mentor has not been approved"
    assert "Proposed 11 of 14 mentees" in stdout


def test_example_locked_file_is_honoured(tmp_path):
    out, _unmatched, _stdout = match(
        tmp_path, EXAMPLES / "mentors.csv", EXAMPLES / "mentees.csv", "--locked", str(EXAMPLES / "locked.csv")
    )
    locked = [row for row in read(out) if row["locked"] == "yes"]
    assert [(row["mentee_id"], row["mentor_id"]) for row in locked] == [("S002", "M002")]


def test_mentor_without_a_completed_check_is_ineligible_for_under_18s_not_an_error(tmp_path):
    mentors = write(tmp_path / "mentors.csv", MENTOR_COLUMNS, [good_mentor(enhanced_check="")])
    mentees = write(tmp_path / "mentees.csv", MENTEE_COLUMNS, [good_mentee()])
    out, unmatched, _stdout = match(tmp_path, mentors, mentees)
    assert read(out) == []
    reasons = {row["id"]: row["reason"] for row in read(unmatched)}
    assert reasons["S1"].startswith("the mentee is under 18 and the mentor has no valid enhanced check")


def test_malformed_rows_are_all_reported_and_nothing_is_written(tmp_path):
    mentors = write(
        tmp_path / "mentors.csv",
        MENTOR_COLUMNS,
        [
            good_mentor(),
            good_mentor(mentor_id="M2", places="3", approved="maybe"),
            good_mentor(mentor_id="M1"),
        ],
    )
    mentees = write(
        tmp_path / "mentees.csv",
        MENTEE_COLUMNS,
        [
            good_mentee(region="Atlantis"),
            good_mentee(mentee_id="S2", needs="juggling", age="seventeen", availability="mon-midnight"),
            good_mentee(mentee_id="S3", conflicts="M9"),
        ],
    )
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="no files were written"):
        call_command(
            "match_spreadsheet",
            f"--mentors={mentors}",
            f"--mentees={mentees}",
            f"--out={tmp_path / 'proposals.csv'}",
            f"--unmatched={tmp_path / 'unmatched.csv'}",
            stderr=stderr,
        )
    assert not (tmp_path / "proposals.csv").exists()
    assert not (tmp_path / "unmatched.csv").exists()
    report = stderr.getvalue()
    assert "mentors.csv row 3, column places: '3' is not 1 or 2" in report
    assert "mentors.csv row 3, column approved: 'maybe' is not yes or no" in report
    assert "mentors.csv row 4, column mentor_id: 'M1' appears on more than one row" in report
    assert "mentees.csv row 2, column region: unknown region 'Atlantis'" in report
    assert "mentees.csv row 3, column needs: unknown support 'juggling'" in report
    assert "mentees.csv row 3, column age: 'seventeen' is not an age in whole years" in report
    assert "mentees.csv row 3, column availability: unknown free time 'mon-midnight'" in report
    assert "mentees.csv row 4, column conflicts: no mentor with id 'M9'" in report


def test_current_mentees_column_takes_places_off_the_mentor(tmp_path):
    mentors = write(tmp_path / "mentors.csv", MENTOR_COLUMNS, [good_mentor(current_mentees="1")])
    mentees = write(tmp_path / "mentees.csv", MENTEE_COLUMNS, [good_mentee()])
    out, unmatched, _stdout = match(tmp_path, mentors, mentees)
    assert read(out) == []
    reasons = {row["id"]: row["reason"] for row in read(unmatched)}
    assert reasons["M1"] == "the mentor's places are already taken by confirmed matches"


def test_missing_or_unknown_columns_are_reported(tmp_path):
    mentors = tmp_path / "mentors.csv"
    mentors.write_text("mentor_id,region,concent\nM1,london,yes\n", encoding="utf-8")
    mentees = write(tmp_path / "mentees.csv", MENTEE_COLUMNS, [good_mentee()])
    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "match_spreadsheet",
            f"--mentors={mentors}",
            f"--mentees={mentees}",
            f"--out={tmp_path / 'p.csv'}",
            f"--unmatched={tmp_path / 'u.csv'}",
            stderr=stderr,
        )
    assert "mentors.csv row 1: missing column(s): meets_online" in stderr.getvalue()
    assert "unknown column(s): concent" in stderr.getvalue()
    assert not (tmp_path / "p.csv").exists()


def test_cells_that_would_run_as_formulas_are_neutralised(tmp_path):
    mentors = write(
        tmp_path / "mentors.csv", MENTOR_COLUMNS, [good_mentor(mentor_id="=1+1", first_name="@SUM(A1)")]
    )
    mentees = write(
        tmp_path / "mentees.csv",
        MENTEE_COLUMNS,
        [good_mentee(mentee_id="-2", first_name='=HYPERLINK("http://x.test")')],
    )
    out, _unmatched, _stdout = match(tmp_path, mentors, mentees)
    (row,) = read(out)
    assert row["mentee_id"] == "'-2"
    assert row["mentee_name"] == '\'=HYPERLINK("http://x.test")'
    assert row["mentor_id"] == "'=1+1"
    assert row["mentor_name"] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=A1", "'=A1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("Jade", "Jade"),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert spreadsheet_safe(value) == expected


def test_bad_weights_stop_the_command(tmp_path):
    with pytest.raises(CommandError, match="unknown weight"):
        match(tmp_path, EXAMPLES / "mentors.csv", EXAMPLES / "mentees.csv", "--weights", "kindness=10")
    assert not (tmp_path / "proposals.csv").exists()


def test_protect_worst_off_option_reports_the_raise_and_its_cost(tmp_path):
    _out, _unmatched, plain = match(tmp_path, EXAMPLES / "mentors.csv", EXAMPLES / "mentees.csv")
    assert "lowest 10.0" in plain
    _out, _unmatched, protected = match(
        tmp_path, EXAMPLES / "mentors.csv", EXAMPLES / "mentees.csv", "--protect-worst-off"
    )
    assert "raised the lowest score from 10.0 to 25.0 at a cost of 10.0 points of total score" in protected


def test_weights_option_changes_the_scores(tmp_path):
    out, _unmatched, _stdout = match(tmp_path, EXAMPLES / "mentors.csv", EXAMPLES / "mentees.csv")
    default_scores = [row["score"] for row in read(out)]
    out, _unmatched, _stdout = match(
        tmp_path, EXAMPLES / "mentors.csv", EXAMPLES / "mentees.csv", "--weights", "interests=40"
    )
    assert [row["score"] for row in read(out)] != default_scores


def test_a_spreadsheet_saved_by_excel_with_a_byte_order_mark_is_read(tmp_path):
    mentors = tmp_path / "mentors.csv"
    mentors.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / "mentors.csv").read_bytes())
    mentees = tmp_path / "mentees.csv"
    shutil.copy(EXAMPLES / "mentees.csv", mentees)
    out, _unmatched, _stdout = match(tmp_path, mentors, mentees)
    assert len(read(out)) == 11
