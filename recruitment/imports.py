"""Reading and checking a youth partner's file of mentees (CSV or XLSX) row by row, saving nothing."""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import MenteeProfile, age_on
from core.exports import FORMULA_PREFIXES

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 1000
REQUIRED_COLUMNS = ("first_name", "last_name", "email", "date_of_birth")
OPTIONAL_COLUMNS = ("stage",)
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# How people write each column's heading; a heading is read in any case, with spaces or underscores.
COLUMN_WORDS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "date_of_birth": "Date of birth",
    "stage": "Stage",
}


def column_words(name: str) -> str:
    """A column's heading in words: "date_of_birth" is "Date of birth"."""
    return COLUMN_WORDS.get(name, name)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
STAGE_LOOKUP = {
    **{value: value for value in MenteeProfile.Stage.values},
    **{label.lower(): value for value, label in MenteeProfile.Stage.choices},
}


@dataclass
class Problem:
    row: int | None  # spreadsheet row number (the header is row 1); None for the whole file
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)  # each with "row" (its number) and the known columns
    problems: list[Problem] = field(default_factory=list)


def _header_key(value) -> str:
    return str(value or "").strip().lower().replace(" ", "_").replace("-", "_")


def _read_csv(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            "The file is not in UTF-8. In your spreadsheet program choose Save as, then "
            "'CSV UTF-8 (comma delimited)', and upload it again."
        ) from None
    if "\x00" in text:
        raise ValueError("The file contains binary data, not comma-separated text.")
    return [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValueError("The file could not be opened as an Excel workbook (.xlsx).") from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2):
        if any(value not in (None, "") for value in values):
            rows.append(["" if value is None else value for value in values])
    workbook.close()
    return rows


def _parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


_DATE_SHAPES = (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"))


def _date_problem(value) -> str:
    """Why a date of birth could not be read: a day that does not exist, or a format not understood."""
    text = str(value).strip()
    if any(shape.match(text) for shape in _DATE_SHAPES):
        return f"{text} is not a date: check the day and the month."
    return f"'{text}' is not a date we can read. Write the date of birth as DD/MM/YYYY (or YYYY-MM-DD)."


def parse_mentee_file(
    *, filename: str, content: bytes, today: datetime.date, min_age: int = 11, max_age: int = 25
) -> ParsedFile:
    """Check every row of the file; nothing here touches the database."""
    result = ParsedFile()
    if len(content) > MAX_FILE_BYTES:
        result.problems.append(
            Problem(
                None, "", f"The file is larger than {MAX_FILE_BYTES // 1024} KB. Split it into smaller files."
            )
        )
        return result
    lower = filename.lower()
    try:
        if lower.endswith(".csv"):
            table = _read_csv(content)
        elif lower.endswith(".xlsx"):
            table = _read_xlsx(content)
        else:
            raise ValueError("Upload a .csv or .xlsx file.")
    except ValueError as error:
        result.problems.append(Problem(None, "", str(error)))
        return result
    except csv.Error:
        result.problems.append(Problem(None, "", "The file is not valid comma-separated text."))
        return result
    if not table:
        result.problems.append(Problem(None, "", "The file is empty."))
        return result
    if len(table) - 1 > MAX_ROWS:
        result.problems.append(
            Problem(None, "", f"The file has more than {MAX_ROWS} mentees. Split it into smaller files.")
        )
        return result

    header = [_header_key(cell) for cell in table[0]]
    written = {_header_key(cell): str(cell or "").strip() for cell in table[0]}
    unknown = [name for name in header if name and name not in KNOWN_COLUMNS]
    allowed = ", ".join(column_words(name) for name in KNOWN_COLUMNS)
    for name in unknown:
        result.problems.append(
            Problem(None, name, f"Unknown column '{written.get(name, name)}'. Use only: {allowed}.")
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    for name in missing:
        result.problems.append(Problem(None, name, f"The column '{column_words(name)}' is missing."))
    if unknown or missing:
        return result

    seen_emails: dict[str, int] = {}
    for index, cells in enumerate(table[1:], start=2):
        values = {
            name: cells[position] if position < len(cells) else "" for position, name in enumerate(header)
        }
        row = {"row": index}
        flagged = set()
        for column in KNOWN_COLUMNS:
            value = values.get(column, "")
            if isinstance(value, str):
                value = value.strip()
                if value.startswith(FORMULA_PREFIXES):
                    result.problems.append(
                        Problem(index, column, "Starts with a formula character (= + - @); remove it.")
                    )
                    value = ""
                    flagged.add(column)
            row[column] = value
        for column in ("first_name", "last_name"):
            if column in flagged:
                continue
            if not row[column]:
                result.problems.append(Problem(index, column, "This is required."))
            elif len(str(row[column])) > 150:
                result.problems.append(Problem(index, column, "Use 150 characters or fewer."))
        email = str(row["email"]).lower()
        row["email"] = email
        if "email" in flagged:
            pass
        elif not email:
            result.problems.append(Problem(index, "email", "The email address is missing."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                result.problems.append(Problem(index, "email", f"'{email}' is not a valid email address."))
            else:
                if email in seen_emails:
                    result.problems.append(
                        Problem(index, "email", f"Duplicate: the same email is on row {seen_emails[email]}.")
                    )
                else:
                    seen_emails[email] = index
        if row["date_of_birth"] in ("", None):
            result.problems.append(Problem(index, "date_of_birth", "The date of birth is missing."))
            row["date_of_birth"] = ""
        else:
            born = _parse_date(row["date_of_birth"])
            if born is None:
                result.problems.append(Problem(index, "date_of_birth", _date_problem(row["date_of_birth"])))
                row["date_of_birth"] = ""
            else:
                age = age_on(born, today)
                if not min_age <= age <= max_age:
                    result.problems.append(
                        Problem(
                            index,
                            "date_of_birth",
                            f"Age {age} is outside this programme's {min_age} to {max_age}.",
                        )
                    )
                row["date_of_birth"] = born.isoformat()
        stage = str(row["stage"] or "").strip().lower()
        if stage and stage not in STAGE_LOOKUP:
            result.problems.append(
                Problem(
                    index, "stage", f"Unknown stage. Use one of: {', '.join(MenteeProfile.Stage.values)}."
                )
            )
        row["stage"] = STAGE_LOOKUP.get(stage, MenteeProfile.Stage.SECONDARY)
        result.rows.append(row)
    if not result.rows:
        result.problems.append(Problem(None, "", "The file has a header row but no mentees."))
    return result
