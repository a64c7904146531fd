"""The built-in courses (the mentor levels and the mentee induction), loaded from Markdown files.

Each course is a folder of `training/content/`, named after the course's slug:

- `course.md`: the course's title, audience (`mentor` or `mentee`), whether it is `mandatory` and
  its `order` in the front matter; the body is the course summary.
- `NN-<name>.md`, one per module, in the order of their numbers: the module's `title`, its
  `section`, its `minutes`, an optional `worksheet` (Markdown) and its `quiz` in the front matter;
  the body is the module's text. A module starts a new section when its `section` differs from
  the module before it.

Loading adds what is missing and never overwrites what staff edited:

- a course that is not in the database is created, with its files published as version 1;
- a course whose latest version is the one the loader published is brought up to date when the
  files have changed since (a module added, a sentence corrected): the files are published as a new
  version, and people who started the course keep the version they started;
- a course whose latest version staff made (a draft they are editing, or a version they published)
  is left alone.

The loader tells its own versions by their `source_digest`, the digest of the content it loaded.
Course details (title, summary, audience, mandatory, order) are set when the course is created;
after that staff change them on the course page. Every file is read and checked before anything is
written, and the whole load is one transaction: a bad file changes nothing.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.content_files import ContentFileError, checked, line_of, read_content_file, validated
from core.errors import ApplicationError

from .models import Audience, Choice, Course, CourseVersion, Module, Question, Section
from .services import choices_clean

CONTENT_DIR = Path(__file__).resolve().parent / "content"
COURSE_FILE = "course.md"
MODULE_FILE = re.compile(r"^(?P<number>\d{2,3})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
DEFAULT_PASS_MARK = Module._meta.get_field("pass_mark").default


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    prompt: str
    explanation: str
    choices: tuple[tuple[str, bool, str], ...]  # (text, is correct, feedback)


@dataclass(frozen=True)
class ModuleSpec:
    path: Path
    title: str
    section: str
    minutes: int
    body: str
    worksheet: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    path: Path
    title: str
    summary: str
    audience: str
    is_mandatory: bool
    order: int
    modules: tuple[ModuleSpec, ...]

    def sections(self) -> list[tuple[str, list[ModuleSpec]]]:
        sections: list[tuple[str, list[ModuleSpec]]] = []
        for module in self.modules:
            if not sections or sections[-1][0] != module.section:
                sections.append((module.section, []))
            sections[-1][1].append(module)
        return sections

    @property
    def digest(self) -> str:
        return content_digest(
            (
                title,
                [
                    (
                        module.title,
                        module.minutes,
                        module.body,
                        module.worksheet,
                        (DEFAULT_PASS_MARK, "", ""),
                        [(q.kind, q.prompt, q.explanation, q.choices) for q in module.questions],
                    )
                    for module in modules
                ],
            )
            for title, modules in self.sections()
        )


def content_digest(sections) -> str:
    """One digest for a course's content however it is held (files or rows): sections in order, each
    with its modules (title, minutes, body, worksheet, pass mark, video, transcript) and their quiz."""
    canonical = json.dumps(list(sections), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def version_digest(version: CourseVersion) -> str:
    """The digest of a version as it stands in the database, comparable with `CourseSpec.digest`."""
    sections = version.sections.order_by("order", "pk").prefetch_related("modules__questions__choices")

    def choices(question):
        return [(choice.text, choice.is_correct, choice.feedback) for choice in question.choices.all()]

    return content_digest(
        (
            section.title,
            [
                (
                    module.title,
                    module.minutes,
                    module.body,
                    module.worksheet,
                    (module.pass_mark, module.video_url, module.transcript),
                    [(q.kind, q.prompt, q.explanation, choices(q)) for q in module.questions.all()],
                )
                for module in section.modules.all()
            ],
        )
        for section in sections
    )


# Reading ---------------------------------------------------------------------------------------


def _text(path: Path, data: dict, key: str, where: str, *, default: str | None = None) -> str:
    if key not in data and default is not None:
        return default
    return checked(path, data.get(key), str, where, line=line_of(data, key)).strip()


def read_question(path: Path, number: int, data) -> QuestionSpec:
    """One quiz question of a module file; a problem is reported with the line it is on."""
    where = f"quiz question {number}"
    checked(path, data, dict, where, line=line_of(data))
    line = line_of(data)
    unknown = data.keys() - {"kind", "prompt", "explanation", "choices"}
    if unknown:
        raise ContentFileError(path, f"{where} has unknown settings {sorted(unknown)}", line=line)
    kind = _text(path, data, "kind", f"the kind of {where}", default=Question.Kind.SINGLE)
    if kind not in Question.Kind.values:
        raise ContentFileError(
            path,
            f"the kind of {where} must be one of {', '.join(Question.Kind.values)}",
            line=line_of(data, "kind"),
        )
    choices = []
    listed = checked(
        path, data.get("choices"), list, f"the choices of {where}", line=line_of(data, "choices")
    )
    for index, choice in enumerate(listed, 1):
        choice_where = f"choice {index} of {where}"
        checked(path, choice, dict, choice_where, line=line_of(listed))
        unknown = choice.keys() - {"text", "correct", "feedback"}
        if unknown:
            raise ContentFileError(
                path, f"{choice_where} has unknown settings {sorted(unknown)}", line=line_of(choice)
            )
        choices.append(
            (
                _text(path, choice, "text", f"the text of {choice_where}"),
                checked(
                    path,
                    choice.get("correct", False),
                    bool,
                    f"'correct' in {choice_where}",
                    line=line_of(choice, "correct"),
                ),
                _text(path, choice, "feedback", f"the feedback of {choice_where}", default=""),
            )
        )
    try:
        choices = choices_clean(kind=kind, choices=choices)
    except ApplicationError as error:
        raise ContentFileError(path, f"{where}: {error}", line=line) from error
    question = QuestionSpec(
        kind=kind,
        prompt=_text(path, data, "prompt", f"the prompt of {where}"),
        explanation=_text(path, data, "explanation", f"the explanation of {where}", default=""),
        choices=tuple(choices),
    )
    validated(
        path,
        Question(kind=question.kind, prompt=question.prompt, explanation=question.explanation),
        exclude=["module"],
        line=line,
    )
    for (text, correct, feedback), choice in zip(question.choices, listed, strict=False):
        validated(
            path,
            Choice(text=text, is_correct=correct, feedback=feedback),
            exclude=["question"],
            line=line_of(choice),
        )
    return question


def read_module(path: Path) -> ModuleSpec:
    file = read_content_file(path, required={"title", "section", "minutes"}, optional={"worksheet", "quiz"})
    meta = file.meta
    module = ModuleSpec(
        path=path,
        title=_text(path, meta, "title", "'title'"),
        section=_text(path, meta, "section", "'section'"),
        minutes=checked(path, meta["minutes"], int, "'minutes'", line=line_of(meta, "minutes")),
        body=file.body,
        worksheet=_text(path, meta, "worksheet", "'worksheet'", default=""),
        questions=tuple(
            read_question(path, number, question)
            for number, question in enumerate(
                checked(path, meta.get("quiz", []), list, "'quiz'", line=line_of(meta, "quiz")), 1
            )
        ),
    )
    validated(
        path,
        Module(title=module.title, minutes=module.minutes, body=module.body, worksheet=module.worksheet),
        exclude=["section"],
    )
    validated(path, Section(title=module.section), exclude=["version"])
    return module


def read_course(folder: Path) -> CourseSpec:
    path = folder / COURSE_FILE
    if not path.is_file():
        raise ContentFileError(folder, f"a course folder needs its {COURSE_FILE}")
    file = read_content_file(path, required={"title", "audience", "mandatory", "order"})
    audience = _text(path, file.meta, "audience", "'audience'")
    if audience not in Audience.values:
        raise ContentFileError(path, f"'audience' must be one of {', '.join(Audience.values)}")
    numbered = {}
    for module_path in sorted(folder.glob("*.md")):
        if module_path.name == COURSE_FILE:
            continue
        match = MODULE_FILE.match(module_path.name)
        if match is None:
            raise ContentFileError(
                module_path, "a module file is named NN-name.md: a number, a hyphen, then lower-case words"
            )
        number = int(match["number"])
        if number in numbered:
            raise ContentFileError(module_path, f"module number {number} is also {numbered[number].name}")
        numbered[number] = module_path
    if not numbered:
        raise ContentFileError(folder, "the course has no module files (NN-name.md)")
    modules = tuple(read_module(numbered[number]) for number in sorted(numbered))
    ended = set()
    for previous, module in zip((None, *modules), modules, strict=False):
        if previous is not None and previous.section != module.section:
            ended.add(previous.section)
        if module.section in ended:
            raise ContentFileError(
                module.path,
                f"section '{module.section}' ended before this module: keep a section's modules together",
            )
    course = CourseSpec(
        slug=folder.name,
        path=path,
        title=_text(path, file.meta, "title", "'title'"),
        summary=file.body,
        audience=audience,
        is_mandatory=checked(path, file.meta["mandatory"], bool, "'mandatory'"),
        order=checked(path, file.meta["order"], int, "'order'"),
        modules=modules,
    )
    return course


def read_courses(content_dir: Path = CONTENT_DIR) -> list[CourseSpec]:
    """Every course in `content_dir`, read and checked; raises ContentFileError on the first bad file."""
    folders = sorted(path for path in content_dir.iterdir() if path.is_dir())
    if not folders:
        raise ContentFileError(content_dir, "no course folders found")
    courses = [read_course(folder) for folder in folders]
    # The order courses are listed in: mentors' first, as on the training pages.
    return sorted(courses, key=lambda course: (course.audience != Audience.MENTOR, course.order, course.slug))


# Loading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseOutcome:
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept"

    course: Course
    action: str
    detail: str

    def __str__(self):
        return f"{self.course.title}: {self.detail}"


@dataclass
class LoadReport:
    outcomes: list[CourseOutcome] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def added(self) -> list[Course]:
        return [outcome.course for outcome in self.outcomes if outcome.action == CourseOutcome.ADDED]

    def summary(self) -> str:
        return (
            f"{self.count(CourseOutcome.ADDED)} added, {self.count(CourseOutcome.UPDATED)} updated, "
            f"{self.count(CourseOutcome.UNCHANGED)} already up to date, "
            f"{self.count(CourseOutcome.KEPT)} left as staff edited them."
        )


def _modules(count: int) -> str:
    return f"{count} module{'s' if count != 1 else ''}"


def _publish(course: Course, spec: CourseSpec, *, number: int) -> CourseVersion:
    """Write the files as a new published version of `course`, retiring the version published before."""
    CourseVersion.objects.filter(course=course, status=CourseVersion.Status.PUBLISHED).update(
        status=CourseVersion.Status.RETIRED
    )
    version = CourseVersion.objects.create(
        course=course,
        number=number,
        status=CourseVersion.Status.PUBLISHED,
        published_at=timezone.now(),
        source_digest=spec.digest,
    )
    for section_order, (section_title, modules) in enumerate(spec.sections(), start=1):
        section = Section.objects.create(version=version, title=section_title, order=section_order)
        for module_order, module_spec in enumerate(modules, start=1):
            module = Module.objects.create(
                section=section,
                title=module_spec.title,
                order=module_order,
                minutes=module_spec.minutes,
                body=module_spec.body,
                worksheet=module_spec.worksheet,
            )
            for question_order, question_spec in enumerate(module_spec.questions, start=1):
                question = Question.objects.create(
                    module=module,
                    kind=question_spec.kind,
                    prompt=question_spec.prompt,
                    explanation=question_spec.explanation,
                    order=question_order,
                )
                Choice.objects.bulk_create(
                    Choice(question=question, text=text, is_correct=correct, feedback=feedback, order=index)
                    for index, (text, correct, feedback) in enumerate(question_spec.choices)
                )
    audit_record(actor=None, action="training.content_load", target=version, summary=str(version))
    return version


def _load_course(spec: CourseSpec) -> CourseOutcome:
    course = Course.objects.filter(slug=spec.slug).first()
    if course is None:
        course = Course(
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            audience=spec.audience,
            is_mandatory=spec.is_mandatory,
            order=spec.order,
        )
        validated(spec.path, course, exclude=[])
        course.save()
    latest = course.versions.order_by("-number").first()
    if latest is None:
        _publish(course, spec, number=1)
        return CourseOutcome(
            course, CourseOutcome.ADDED, f"added ({_modules(len(spec.modules))}, published as version 1)"
        )
    if latest.source_digest == spec.digest:
        return CourseOutcome(course, CourseOutcome.UNCHANGED, "already up to date")
    if latest.status != CourseVersion.Status.PUBLISHED or not latest.source_digest:
        if latest.status == CourseVersion.Status.PUBLISHED and version_digest(latest) == spec.digest:
            # The same content as the files, made some other way (such as loaded before versions were
            # marked): it is the loader's from now on.
            latest.source_digest = spec.digest
            latest.save(update_fields=["source_digest", "updated_at"])
            return CourseOutcome(course, CourseOutcome.UNCHANGED, "already up to date")
        is_draft = latest.status == CourseVersion.Status.DRAFT
        state = "a draft staff are editing" if is_draft else "made by staff"
        return CourseOutcome(
            course,
            CourseOutcome.KEPT,
            f"left alone, as version {latest.number} is {state} (the files were not loaded)",
        )
    loaded_titles = set(Module.objects.filter(section__version=latest).values_list("title", flat=True))
    new_modules = [module.title for module in spec.modules if module.title not in loaded_titles]
    version = _publish(course, spec, number=latest.number + 1)
    detail = f"the files changed, so version {version.number} is published"
    if new_modules:
        detail += f" ({len(new_modules)} new: " + "; ".join(new_modules) + ")"
    return CourseOutcome(course, CourseOutcome.UPDATED, detail)


def load_training_content(content_dir: Path = CONTENT_DIR) -> LoadReport:
    """Read every course in `content_dir`, then load them in one transaction (see the module doc).
    Raises ContentFileError, naming the file, before writing anything if a file is not right."""
    specs = read_courses(content_dir)
    report = LoadReport()
    with transaction.atomic():
        for spec in specs:
            report.outcomes.append(_load_course(spec))
    return report
