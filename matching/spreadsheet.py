"""Spreadsheet matching: read mentor and mentee CSV files, run the engine, write proposals.

Every row is checked before anything runs. A malformed row (an unknown region or code, a
yes/no cell that says something else, two rows with the same id) is reported with its file,
row and column, and nothing is written. Facts that are simply missing are not errors: a blank
"approved" or "enhanced_check" cell means "not recorded", and the engine then reports that
person as not eligible, with the reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.exports import spreadsheet_safe
from matching import taxonomy
from matching.engine import RoundResult, RoundRules, Weights, run_round
from matching.explain import Labels
from matching.records import MenteeRecord, MentorRecord, build_tables

LIST_SEPARATOR = ";"
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}

MENTOR_COLUMNS = (
    "mentor_id",
    "first_name",
    "region",
    "meets_online",
    "offers",
    "industries",
    "job_title",
    "interests",
    "availability",
    "places",
    "current_mentees",
    "open_to_one_to_two",
    "approved",
    "fully_trained",
    "enhanced_check",
    "organisation",
    "conflicts",
)
MENTEE_COLUMNS = (
    "mentee_id",
    "first_name",
    "age",
    "region",
    "meets_online",
    "outside_region_ok",
    "needs",
    "industries",
    "interests",
    "availability",
    "accepts_one_to_two",
    "prefers_one_to_two",
    "consent",
    "parental_consent",
    "induction_done",
    "organisation",
    "conflicts",
)
PAIR_COLUMNS = ("mentee_id", "mentor_id")
OPTIONAL_COLUMNS = {"first_name", "job_title", "organisation", "conflicts", "current_mentees"}

PROPOSAL_HEADER = ("mentee_id", "mentee_name", "mentor_id", "mentor_name", "score", "locked", "explanation")
UNMATCHED_HEADER = ("role", "id", "name", "reason")


@dataclass(frozen=True)
class RowError:
    file: str
    row: int  # the line in the file, the header being line 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file} row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class SpreadsheetError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the spreadsheets")
        self.errors = errors


class _Vocabulary:
    """Codes and labels accepted for one list column, case-insensitively."""

    def __init__(self, entries: Sequence[tuple[str, str]]):
        self.lookup = {}
        for code, label in entries:
            self.lookup[code.lower()] = code
            self.lookup[label.lower()] = code

    def code(self, text: str) -> str | None:
        return self.lookup.get(text.strip().lower())


SUPPORT = _Vocabulary(taxonomy.SUPPORT)
INDUSTRIES = _Vocabulary(taxonomy.INDUSTRIES)
INTERESTS = _Vocabulary(taxonomy.INTERESTS)
DAY_GROUPS = {code: [code] for code, _label in taxonomy.DAYS}
DAY_GROUPS.update(
    {
        "weekday": ["mon", "tue", "wed", "thu", "fri"],
        "weekend": ["sat", "sun"],
        "any": [code for code, _label in taxonomy.DAYS],
    }
)
PARTS = {code for code, _label in taxonomy.PARTS_OF_DAY}


class _Row:
    """One CSV row with helpers that record errors instead of raising."""

    def __init__(self, file: str, line: int, cells: dict, errors: list[RowError]):
        self.file, self.line, self.cells, self.errors = file, line, cells, errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.file, self.line, column, message))

    def text(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def yes_no(self, column: str, *, blank: bool) -> bool:
        value = self.text(column).lower()
        if not value:
            return blank
        if value in YES:
            return True
        if value in NO:
            return False
        self.error(column, f"{self.text(column)!r} is not yes or no")
        return blank

    def items(self, column: str) -> list[str]:
        return [item.strip() for item in self.text(column).split(LIST_SEPARATOR) if item.strip()]

    def codes(self, column: str, vocabulary: _Vocabulary, what: str) -> list[str]:
        codes = []
        for item in self.items(column):
            code = vocabulary.code(item)
            if code is None:
                self.error(column, f"unknown {what} {item!r}")
            elif code not in codes:
                codes.append(code)
        return codes

    def availability(self, column: str) -> list[tuple[str, str]]:
        slots = []
        for item in self.items(column):
            day, _separator, part = item.lower().partition("-")
            if day.strip() not in DAY_GROUPS or part.strip() not in PARTS:
                self.error(
                    column, f"unknown free time {item!r}; write day-part, e.g. mon-evening or weekend-morning"
                )
                continue
            slots.extend((day_code, part.strip()) for day_code in DAY_GROUPS[day.strip()])
        return slots

    def region(self, column: str, regions: dict[str, str]) -> str | None:
        value = self.text(column)
        if not value:
            return None
        code = regions.get(value.lower())
        if code is None:
            self.error(column, f"unknown region {value!r}")
        return code


def _read_rows(file: str, handle: Iterable[str], columns: Sequence[str], errors: list[RowError]):
    reader = csv.DictReader(handle)
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in columns if name not in header and name not in OPTIONAL_COLUMNS]
    unknown = [name for name in header if name not in columns]
    if missing:
        errors.append(RowError(file, 1, "", f"missing column(s): {', '.join(missing)}"))
    if unknown:
        errors.append(RowError(file, 1, "", f"unknown column(s): {', '.join(unknown)}"))
    if missing or unknown:
        return []
    rows = []
    for cells in reader:
        line = reader.line_num
        if None in cells:
            errors.append(RowError(file, line, "", "more cells than columns"))
            continue
        if not any((value or "").strip() for value in cells.values()):
            continue  # blank line
        rows.append(_Row(file, line, cells, errors))
    return rows


def _region_lookup(regions: Sequence[tuple[str, str]]) -> dict[str, str]:
    lookup = {}
    for code, label in regions:
        lookup[code.lower()] = code
        lookup[label.lower()] = code
    return lookup


def _unique_id(row: _Row, column: str, seen: set) -> str:
    identifier = row.text(column)
    if not identifier:
        row.error(column, "is empty")
    elif identifier in seen:
        row.error(column, f"{identifier!r} appears on more than one row")
    seen.add(identifier)
    return identifier


def read_mentors(file: str, handle, regions: Sequence[tuple[str, str]], errors: list[RowError]):
    region_lookup, seen = _region_lookup(regions), set()
    records, names, conflict_cells = [], {}, []
    for row in _read_rows(file, handle, MENTOR_COLUMNS, errors):
        identifier = _unique_id(row, "mentor_id", seen)
        places_text = row.text("places") or "1"
        if places_text not in ("1", "2"):
            row.error("places", f"{places_text!r} is not 1 or 2")
        current_text = row.text("current_mentees") or "0"
        if current_text not in ("0", "1", "2"):
            row.error("current_mentees", f"{current_text!r} is not 0, 1 or 2")
        records.append(
            MentorRecord(
                id=identifier,
                region=row.region("region", region_lookup),
                remote_ok=row.yes_no("meets_online", blank=True),
                offers=row.codes("offers", SUPPORT, "support"),
                industries=row.codes("industries", INDUSTRIES, "industry"),
                job_title=row.text("job_title"),
                interests=row.codes("interests", INTERESTS, "interest"),
                availability=row.availability("availability"),
                capacity=2 if places_text == "2" else 1,
                open_to_one_to_two=row.yes_no("open_to_one_to_two", blank=False),
                approved=row.yes_no("approved", blank=False),
                fully_trained=row.yes_no("fully_trained", blank=False),
                enhanced_check=row.yes_no("enhanced_check", blank=False),
                organisation=row.text("organisation").lower() or None,
                conflicts=row.items("conflicts"),
                current_mentees=int(current_text) if current_text in ("0", "1", "2") else 0,
            )
        )
        names[identifier] = row.text("first_name")
        conflict_cells.append(row)
    return records, names, conflict_cells


def read_mentees(file: str, handle, regions: Sequence[tuple[str, str]], errors: list[RowError]):
    region_lookup, seen = _region_lookup(regions), set()
    records, names, conflict_cells = [], {}, []
    for row in _read_rows(file, handle, MENTEE_COLUMNS, errors):
        identifier = _unique_id(row, "mentee_id", seen)
        age_text, age = row.text("age"), None
        if age_text:
            if age_text.isdigit() and 5 <= int(age_text) <= 120:
                age = int(age_text)
            else:
                row.error("age", f"{age_text!r} is not an age in whole years")
        records.append(
            MenteeRecord(
                id=identifier,
                age=age,
                region=row.region("region", region_lookup),
                remote_ok=row.yes_no("meets_online", blank=True),
                outside_region_ok=row.yes_no("outside_region_ok", blank=False),
                needs=row.codes("needs", SUPPORT, "support"),
                industries=row.codes("industries", INDUSTRIES, "industry"),
                interests=row.codes("interests", INTERESTS, "interest"),
                availability=row.availability("availability"),
                accepts_one_to_two=row.yes_no("accepts_one_to_two", blank=False),
                prefers_one_to_two=row.yes_no("prefers_one_to_two", blank=False),
                consent=row.yes_no("consent", blank=False),
                parental_consent=row.yes_no("parental_consent", blank=False),
                induction_done=row.yes_no("induction_done", blank=False),
                organisation=row.text("organisation").lower() or None,
                conflicts=row.items("conflicts"),
            )
        )
        names[identifier] = row.text("first_name")
        conflict_cells.append(row)
    return records, names, conflict_cells


def read_pairs(file: str, handle, errors: list[RowError]) -> list[tuple[_Row, str, str]]:
    pairs = []
    for row in _read_rows(file, handle, PAIR_COLUMNS, errors):
        mentee_id, mentor_id = row.text("mentee_id"), row.text("mentor_id")
        if not mentee_id or not mentor_id:
            row.error("", "needs both a mentee_id and a mentor_id")
            continue
        pairs.append((row, mentee_id, mentor_id))
    return pairs


@dataclass
class SpreadsheetRound:
    result: RoundResult
    mentee_names: dict
    mentor_names: dict


def _open(path) -> io.TextIOBase:
    return open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed by the caller's with


def match_files(
    *,
    mentors_path: Path,
    mentees_path: Path,
    regions: Sequence[tuple[str, str]],
    locked_path: Path | None = None,
    rejected_path: Path | None = None,
    rules: RoundRules | None = None,
    weights: Weights | None = None,
    protect_worst_off: bool = False,
    top_k: int = 50,
) -> SpreadsheetRound:
    """Check every row, then run the round. Raises SpreadsheetError listing every bad row."""
    errors: list[RowError] = []
    with _open(mentors_path) as handle:
        mentors, mentor_names, mentor_rows = read_mentors(Path(mentors_path).name, handle, regions, errors)
    with _open(mentees_path) as handle:
        mentees, mentee_names, mentee_rows = read_mentees(Path(mentees_path).name, handle, regions, errors)
    for row, record in zip(mentor_rows, mentors, strict=True):
        for mentee_id in record.conflicts:
            if mentee_id not in mentee_names:
                row.error("conflicts", f"no mentee with id {mentee_id!r}")
    for row, record in zip(mentee_rows, mentees, strict=True):
        for mentor_id in record.conflicts:
            if mentor_id not in mentor_names:
                row.error("conflicts", f"no mentor with id {mentor_id!r}")
    pair_lists = {}
    for name, path in (("locked", locked_path), ("rejected", rejected_path)):
        pair_lists[name] = []
        if path is None:
            continue
        with _open(path) as handle:
            for row, mentee_id, mentor_id in read_pairs(Path(path).name, handle, errors):
                if mentee_id not in mentee_names:
                    row.error("mentee_id", f"no mentee with id {mentee_id!r}")
                elif mentor_id not in mentor_names:
                    row.error("mentor_id", f"no mentor with id {mentor_id!r}")
                else:
                    pair_lists[name].append((mentee_id, mentor_id))
    if errors:
        raise SpreadsheetError(errors)

    built = build_tables(
        mentees, mentors, regions=[code for code, _label in regions], rejected_pairs=pair_lists["rejected"]
    )
    result = run_round(
        built.mentees,
        built.mentors,
        rules=rules,
        weights=weights,
        exclusions=built.exclusions,
        locked=built.pairs(pair_lists["locked"]),
        places_taken=built.places_taken,
        protect_worst_off=protect_worst_off,
        top_k=top_k,
        labels=Labels(regions=tuple(label for _code, label in regions)),
        mentor_job_titles=built.mentor_job_titles,
    )
    return SpreadsheetRound(result=result, mentee_names=mentee_names, mentor_names=mentor_names)


def proposal_rows(round_: SpreadsheetRound) -> list[list[str]]:
    rows = [list(PROPOSAL_HEADER)]
    for proposal in round_.result.proposals:
        rows.append(
            [
                spreadsheet_safe(value)
                for value in (
                    proposal.mentee_id,
                    round_.mentee_names.get(proposal.mentee_id, ""),
                    proposal.mentor_id,
                    round_.mentor_names.get(proposal.mentor_id, ""),
                    f"{proposal.score:.2f}",
                    "yes" if proposal.locked else "no",
                    proposal.explanation,
                )
            ]
        )
    return rows


def unmatched_rows(round_: SpreadsheetRound) -> list[list[str]]:
    rows = [list(UNMATCHED_HEADER)]
    result = round_.result
    for person in result.unmatched_mentees:
        rows.append(
            [
                spreadsheet_safe(v)
                for v in ("mentee", person.id, round_.mentee_names.get(person.id, ""), person.reason_text)
            ]
        )
    for person in result.unchosen_mentors:
        rows.append(
            [
                spreadsheet_safe(v)
                for v in ("mentor", person.id, round_.mentor_names.get(person.id, ""), person.reason_text)
            ]
        )
    for problem in result.lock_problems:
        rows.append(
            [
                spreadsheet_safe(value)
                for value in (
                    "locked pair",
                    f"{problem.mentee_id} with {problem.mentor_id}",
                    round_.mentee_names.get(problem.mentee_id, ""),
                    f"not kept: {problem.reason}",
                )
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
