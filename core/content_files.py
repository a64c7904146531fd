"""Content kept in files: Markdown with a YAML front matter, read the same way by every loader.

A content file starts with a `---` line, then YAML (the front matter: title, settings, quiz
questions...), then another `---` line, then the Markdown body:

    ---
    title: Active listening
    minutes: 6
    ---
    Listening is the skill mentees value most...

YAML is read with PyYAML's safe loader, so a file can hold only plain data. Every problem is raised
as a `ContentFileError` whose message starts with the file's path, and the line when the problem is
in the front matter (`line_of` gives the line of a setting, a quiz question or a choice), so an
author knows where to look.
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
    """A content file that cannot be loaded: the message names the file (and the line, when known)
    and says what is wrong."""

    def __init__(self, path: Path, problem: str, *, line: int | None = None):
        self.path = path
        self.problem = problem
        self.line = line
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{display_path(path)}: {where}{problem}")


# The front matter starts on the file's second line, after the opening '---'.
FIRST_LINE = 2


class _Mapping(dict):
    """A mapping read from a front matter, knowing its line and the line of each of its keys."""

    line: int
    key_lines: dict


class _Sequence(list):
    """A list read from a front matter, knowing its line."""

    line: int


class _LineLoader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping where each mapping, list and key starts in the file."""


def _construct_mapping(loader, node):
    data = _Mapping()
    data.line = node.start_mark.line + FIRST_LINE
    data.key_lines = {}
    yield data
    data.update(loader.construct_mapping(node))
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, str | int | bool | float):
            data.key_lines[key] = key_node.start_mark.line + FIRST_LINE


def _construct_sequence(loader, node):
    data = _Sequence()
    data.line = node.start_mark.line + FIRST_LINE
    yield data
    data.extend(loader.construct_sequence(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def line_of(data, key=None) -> int | None:
    """The file line where a mapping or list of the front matter starts, or where its `key` is set;
    None when unknown (a value built some other way)."""
    if key is not None:
        return getattr(data, "key_lines", {}).get(key, getattr(data, "line", None))
    return getattr(data, "line", None)


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
        meta = yaml.load(match["meta"], Loader=_LineLoader)  # noqa: S506  # nosec B506: a safe loader
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


def checked(path: Path, value, expected: type, where: str, *, line: int | None = None):
    """`value` if it has the `expected` type, else a ContentFileError saying which setting is wrong
    (at `line`, when given). YAML reads `yes` as true and `12` as a number, so a text setting is
    checked to be text."""
    if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
        return value
    raise ContentFileError(path, f"{where} must be {TYPE_NAMES[expected]}, not {value!r}", line=line)


def validated(path: Path, instance, *, exclude: list[str] | None = None, line: int | None = None):
    """Run the model's own checks on a row built from a file (lengths, choices, unique names),
    reporting a failure as a ContentFileError that names the file (and `line`). Returns the instance."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        raise ContentFileError(path, problems, line=line) from error
    return instance
