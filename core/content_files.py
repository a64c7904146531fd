"""Content kept in files: Markdown with a YAML front matter, read the same way by every loader.

A content file starts with a `---` line, then YAML (the front matter: title, settings, quiz
questions...), then another `---` line, then the Markdown body:

    ---
    title: Active listening
    minutes: 6
    ---
    Listening is the skill mentees value most...

YAML is read with PyYAML's safe loader, so a file can hold only plain data. Every problem is raised
as a `ContentFileError` whose message starts with the file's path, so an author knows where to look.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<meta>.*?)^---[ \t]*$\n?(?P<body>.*)\Z", re.DOTALL | re.MULTILINE)


class ContentFileError(ValueError):
    """A content file that cannot be loaded: the message names the file and says what is wrong."""

    def __init__(self, path: Path, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{display_path(path)}: {problem}")


def display_path(path: Path) -> str:
    """The path as a developer types it: relative to the project when the file is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class ContentFile:
    path: Path
    meta: dict[str, Any]
    body: str  # the Markdown after the front matter, without leading or trailing blank lines


def read_content_file(path: Path, *, required: set[str], optional: frozenset[str] | set[str] = frozenset()):
    """Read one content file. The front matter must hold every `required` key and nothing beyond
    `required` and `optional` (a misspelt key is an error, not a silently ignored setting)."""
    try:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as error:
        raise ContentFileError(path, f"cannot be read ({error})") from error
    match = FRONT_MATTER.match(text)
    if match is None:
        raise ContentFileError(
            path, "the file must start with a front matter: a line '---', the settings, then another '---'"
        )
    try:
        meta = yaml.safe_load(match["meta"])
    except yaml.YAMLError as error:
        # An unclosed quote or bracket is found at the end: the line where it opened says more.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""  # + the opening '---' line
        problem = "; ".join(filter(None, [getattr(error, "context", None), getattr(error, "problem", None)]))
        raise ContentFileError(
            path, f"the front matter is not valid YAML{where}: {problem or error}"
        ) from error
    if not isinstance(meta, dict):
        raise ContentFileError(path, "the front matter must be a list of 'key: value' settings")
    missing = required - meta.keys()
    if missing:
        raise ContentFileError(path, f"the front matter lacks {_names(missing)}")
    unknown = meta.keys() - required - set(optional)
    if unknown:
        allowed = _names(required | set(optional))
        raise ContentFileError(path, f"the front matter has unknown {_names(unknown)} (allowed: {allowed})")
    return ContentFile(path=path, meta=meta, body=match["body"].strip())


def _names(keys) -> str:
    return ", ".join(f"'{key}'" for key in sorted(map(str, keys)))


TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a group of 'key: value' settings",
}


def checked(path: Path, value, expected: type, where: str):
    """`value` if it has the `expected` type, else a ContentFileError saying which setting is wrong.
    (YAML reads `yes` as true and `12` as a number, so a text setting is checked to be text.)"""
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return value
    raise ContentFileError(path, f"{where} must be {TYPE_NAMES[expected]}, not {value!r}")


def validated(path: Path, instance, *, exclude: list[str] | None = None):
    """Run the model's own checks on a row built from a file (lengths, choices, unique names),
    reporting a failure as a ContentFileError that names the file. Returns the instance."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        raise ContentFileError(path, problems) from error
    return instance
