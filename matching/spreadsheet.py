"""Spreadsheet matching: read mentor and mentee CSV files, run the engine, write proposals.

Every row is checked before anything runs. A malformed row (an unknown region or code, a
yes/no cell that says something else, two rows with the same id) is reported with its file,
row and column, and nothing is written. Facts that are simply missing are not errors: a blank
"approved" or "enhanced_check" cell means "not recorded", and the engine then reports that
person as not eligible, with the reason.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from core.exports import FORMULA_PREFIXES, spreadsheet_safe, write_rows
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
    row: int  # the spreadsheet row, the header being row 1
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


# Reading a sheet ------------------------------------------------------------------------------

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Sheet:
    """A spreadsheet's header and rows, each row with its number in the spreadsheet (header = 1)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    how_read: str  # e.g. "UTF-16, tab-separated"


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of the encoding it was read with.

    A byte-order mark decides (UTF-8, UTF-16 little or big endian); without one, UTF-16 is
    recognised by its zero bytes, then UTF-8 is tried, and anything else is read as Windows-1252
    (what Excel on Windows saves as "CSV"), falling back to Latin-1 for the five bytes it leaves
    undefined."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8"
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding), "UTF-16"
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) * 3 >= len(sample):
        encoding = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        return data.decode(encoding), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _plain_cell(value) -> str:
    """A cell's text as typed: the `'` that keeps a formula-like value as text is taken off again."""
    text = "" if value is None else str(value)
    text = text.strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def read_sheet(file: str, data: bytes, columns: Sequence[str], errors: list[RowError]) -> Sheet | None:
    """The header and rows of a CSV (any common encoding and separator) or XLSX file.

    Returns None, with the problem added to `errors`, when the file cannot be read as a table."""
    if data.startswith(XLSX_MAGIC):
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is one message to the user
            errors.append(RowError(file, 1, "", "looks like an Excel workbook but cannot be opened"))
            return None
        sheet = workbook.worksheets[0]
        records = [
            (number, [_xlsx_cell(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
        ]
        workbook.close()
        how_read = "Excel workbook, first sheet"
    else:
        text, encoding = _decode(data)
        first_line = text.split("\n", 1)[0]
        known = set(columns)

        def recognised(delimiter: str) -> int:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
            return sum(1 for name in header if name.strip() in known)

        delimiter = max(DELIMITERS, key=lambda candidate: (recognised(candidate), candidate == ","))
        if not recognised(delimiter):
            errors.append(
                RowError(
                    file,
                    1,
                    "",
                    f"the first row should name the columns (such as {', '.join(columns[:3])}) but reads "
                    f"{first_line.strip()[:80]!r} (read as {encoding}). Save the sheet as CSV or Excel "
                    "workbook with the column names in row 1; commas, semicolons or tabs between cells "
                    "are all fine",
                )
            )
            return None
        # Every record is one spreadsheet row (a cell may hold a line break inside quotes).
        records = list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))
        how_read = f"{encoding}, {DELIMITERS[delimiter]}-separated"
    if not records:
        errors.append(RowError(file, 1, "", "the file is empty; row 1 should name the columns"))
        return None
    header = [_plain_cell(name) for name in records[0][1]]
    rows = [(number, [_plain_cell(cell) for cell in cells]) for number, cells in records[1:]]
    return Sheet(header, rows, how_read)


def _read_rows(
    file: str,
    data: bytes,
    columns: Sequence[str],
    errors: list[RowError],
    *,
    extra_columns_ok: bool = False,
) -> list[_Row] | None:
    """The rows of one file as `_Row`s; None when its columns are wrong (the problems are in `errors`)."""
    sheet = read_sheet(file, data, columns, errors)
    if sheet is None:
        return None
    header = sheet.header
    # Blank header cells over blank columns are what a spreadsheet leaves after deleted columns.
    named = [index for index, name in enumerate(header) if name]
    problems = []
    positions: dict[str, list[int]] = {}
    for index in named:
        positions.setdefault(header[index], []).append(index)
    for name, where in positions.items():
        if len(where) > 1:
            letters = " and ".join(_column_letter(index) for index in where)
            problems.append(f"column {name!r} appears more than once (columns {letters}); keep one")
    unnamed = [
        index
        for index in range(len(header))
        if not header[index] and any(index < len(cells) and cells[index] for _n, cells in sheet.rows)
    ]
    if unnamed:
        letters = ", ".join(_column_letter(index) for index in unnamed)
        problems.append(f"column(s) {letters} have values but no name in row 1")
    missing = [name for name in columns if name not in positions and name not in OPTIONAL_COLUMNS]
    unknown = [name for name in positions if name not in columns]
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if unknown and not extra_columns_ok:
        problems.append(f"unknown column(s): {', '.join(unknown)}")
    if problems:
        for problem in problems:
            errors.append(RowError(file, 1, "", problem))
        return None
    rows = []
    for number, cells in sheet.rows:
        if len(cells) > len(header) and any(cells[len(header) :]):
            errors.append(RowError(file, number, "", "more cells than columns"))
            continue
        values = {header[index]: cells[index] if index < len(cells) else "" for index in named}
        if not any(values.values()):
            continue  # a blank row
        rows.append(_Row(file, number, values, errors))
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


def read_mentors(file: str, data: bytes, regions: Sequence[tuple[str, str]], errors: list[RowError]):
    """Mentor records, names and rows; None when the file's columns are wrong."""
    region_lookup, seen = _region_lookup(regions), set()
    records, names, conflict_cells = [], {}, []
    rows = _read_rows(file, data, MENTOR_COLUMNS, errors)
    if rows is None:
        return None
    for row in rows:
        identifier = _unique_id(row, "mentor_id", seen)
        places_text = row.text("places") or "1"
        if places_text not in ("1", "2"):
            row.error("places", f"{places_text!r} is not 1 or 2")
        current_text = row.text("current_mentees") or "0"
        if current_text not in ("0", "1", "2"):
            row.error("current_mentees", f"{current_text!r} is not 0, 1 or 2")
        industries = row.codes("industries", INDUSTRIES, "industry")
        records.append(
            MentorRecord(
                id=identifier,
                region=row.region("region", region_lookup),
                remote_ok=row.yes_no("meets_online", blank=True),
                offers=row.codes("offers", SUPPORT, "support"),
                industries=industries,
                job_title=row.text("job_title"),
                # The job title belongs to the first industry listed.
                job_industry=industries[0] if industries else None,
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


def read_mentees(file: str, data: bytes, regions: Sequence[tuple[str, str]], errors: list[RowError]):
    """Mentee records, names and rows; None when the file's columns are wrong."""
    region_lookup, seen = _region_lookup(regions), set()
    records, names, conflict_cells = [], {}, []
    rows = _read_rows(file, data, MENTEE_COLUMNS, errors)
    if rows is None:
        return None
    for row in rows:
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


def read_pairs(file: str, data: bytes, errors: list[RowError]) -> list[tuple[_Row, str, str]] | None:
    """(row, mentee id, mentor id) per pair. Other columns are ignored, so a proposals file can be
    read back as the locked or rejected pairs."""
    pairs = []
    rows = _read_rows(file, data, PAIR_COLUMNS, errors, extra_columns_ok=True)
    if rows is None:
        return None
    for row in rows:
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


def _missing_id(what: str, identifier: str, known: dict) -> str:
    """ "no mentee with id 's001'", naming the id that differs only in capitals when there is one."""
    message = f"no {what} with id {identifier!r}"
    folded = identifier.casefold()
    near = sorted(other for other in known if other.casefold() == folded)
    if near:
        message += f"; {near[0]!r} differs only in capitals (ids must match exactly)"
    return message


def match_tables(
    *,
    mentors: tuple[str, bytes],
    mentees: tuple[str, bytes],
    regions: Sequence[tuple[str, str]],
    locked: tuple[str, bytes] | None = None,
    rejected: tuple[str, bytes] | None = None,
    rules: RoundRules | None = None,
    weights: Weights | None = None,
    protect_worst_off: bool = False,
    top_k: int = 50,
) -> SpreadsheetRound:
    """Check every row of the (file name, content) pairs, then run the round.

    Raises SpreadsheetError listing every problem. A file whose columns are wrong reports only
    its own problems: the other files' references to it are not checked against it."""
    errors: list[RowError] = []
    mentor_data = read_mentors(mentors[0], mentors[1], regions, errors)
    mentee_data = read_mentees(mentees[0], mentees[1], regions, errors)
    if mentor_data is not None and mentee_data is not None:
        mentor_records, mentor_names, mentor_rows = mentor_data
        mentee_records, mentee_names, mentee_rows = mentee_data
        for row, mentor in zip(mentor_rows, mentor_records, strict=True):
            for mentee_id in mentor.conflicts:
                if mentee_id not in mentee_names:
                    row.error("conflicts", _missing_id("mentee", mentee_id, mentee_names))
        for row, mentee in zip(mentee_rows, mentee_records, strict=True):
            for mentor_id in mentee.conflicts:
                if mentor_id not in mentor_names:
                    row.error("conflicts", _missing_id("mentor", mentor_id, mentor_names))
    pair_lists: dict[str, list[tuple[str, str]]] = {}
    for name, source in (("locked", locked), ("rejected", rejected)):
        pair_lists[name] = []
        if source is None:
            continue
        pairs = read_pairs(source[0], source[1], errors)
        if pairs is None or mentor_data is None or mentee_data is None:
            continue
        for row, mentee_id, mentor_id in pairs:
            if mentee_id not in mentee_data[1]:
                row.error("mentee_id", _missing_id("mentee", mentee_id, mentee_data[1]))
            elif mentor_id not in mentor_data[1]:
                row.error("mentor_id", _missing_id("mentor", mentor_id, mentor_data[1]))
            else:
                pair_lists[name].append((mentee_id, mentor_id))
    if errors or mentor_data is None or mentee_data is None:
        raise SpreadsheetError(errors)

    built = build_tables(
        mentee_records,
        mentor_records,
        regions=[code for code, _label in regions],
        rejected_pairs=pair_lists["rejected"],
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
        mentor_job_industries=built.mentor_job_industries,
    )
    return SpreadsheetRound(result=result, mentee_names=mentee_names, mentor_names=mentor_names)


def match_files(
    *,
    mentors_path: Path,
    mentees_path: Path,
    regions: Sequence[tuple[str, str]],
    locked_path: Path | None = None,
    rejected_path: Path | None = None,
    **options,
) -> SpreadsheetRound:
    """`match_tables` on files (CSV in any common encoding and separator, or XLSX)."""

    def load(path: Path | None) -> tuple[str, bytes] | None:
        return None if path is None else (Path(path).name, Path(path).read_bytes())

    mentors, mentees = load(mentors_path), load(mentees_path)
    assert mentors is not None and mentees is not None
    return match_tables(
        mentors=mentors,
        mentees=mentees,
        regions=regions,
        locked=load(locked_path),
        rejected=load(rejected_path),
        **options,
    )


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
    """Write the rows (the first is the header) to a CSV file, through the shared export writer."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        write_rows(handle, rows[0], rows[1:])
