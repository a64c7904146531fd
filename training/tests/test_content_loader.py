"""Loading the built-in courses from training/content/: adds what is missing, keeps what staff edited,
and refuses a bad file without changing anything."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.content_files import ContentFileError
from training import selectors, services
from training.loader import CONTENT_DIR, CourseOutcome, load_training_content
from training.models import Choice, Course, CourseVersion, Enrolment, Module, Question

INDUCTION = "mentee-induction"

NEW_MODULE = """---
title: Your first session
section: Staying safe and getting help
minutes: 3
quiz:
  - kind: single
    prompt: Who arranges your first session?
    explanation: Your coordinator sets it up.
    choices:
      - text: My coordinator
        correct: true
      - text: My mentor, by messaging me
        feedback: Your mentor never contacts you directly to arrange it.
---
Your coordinator will tell you when and where you first meet your mentor.
"""


def counts():
    return tuple(
        model.objects.count() for model in (Course, CourseVersion, Module, Question, Choice, Enrolment)
    )


@pytest.fixture
def induction_dir(tmp_path):
    """A content folder holding a copy of the mentee induction, for tests that change the files."""
    shutil.copytree(CONTENT_DIR / INDUCTION, tmp_path / INDUCTION)
    return tmp_path


def induction_modules():
    version = selectors.published_version(Course.objects.get(slug=INDUCTION))
    return version, [module.title for module in version.ordered_modules()]


@pytest.mark.django_db
def test_the_built_in_courses_load_with_their_sections_modules_and_quizzes():
    report = load_training_content()
    assert [outcome.action for outcome in report.outcomes] == [CourseOutcome.ADDED] * 4
    induction = Course.objects.get(slug=INDUCTION)
    assert (induction.title, induction.audience, induction.is_mandatory) == (
        "Getting ready for mentoring",
        "mentee",
        True,
    )
    version, titles = induction_modules()
    assert len(titles) == 5
    first = version.ordered_modules().first()
    assert first.body.startswith("Your mentor is a volunteer: an adult with a job or career behind them")
    question = first.questions.get()
    assert question.choices.filter(is_correct=True).count() == 1
    worksheet = Module.objects.get(title="The five key ingredients of an effective session").worksheet
    assert worksheet.startswith("**Session check-list.**") and "- [ ] We looked at a goal" in worksheet


@pytest.mark.django_db
def test_loading_twice_adds_nothing_and_says_so():
    load_training_content()
    before = counts()
    report = load_training_content()
    assert counts() == before
    assert [outcome.action for outcome in report.outcomes] == [CourseOutcome.UNCHANGED] * 4
    assert report.summary() == "0 added, 0 updated, 4 already up to date, 0 left as staff edited them."


@pytest.mark.django_db
def test_the_command_reports_each_course_and_a_summary():
    out = StringIO()
    call_command("load_training_content", stdout=out)
    assert "Getting ready for mentoring: added (5 modules, published as version 1)" in out.getvalue()
    assert (
        out.getvalue()
        .rstrip()
        .endswith("Courses: 4 added, 0 updated, 0 already up to date, 0 left as staff edited them.")
    )
    out = StringIO()
    call_command("load_training_content", stdout=out)
    assert "Getting ready for mentoring: already up to date" in out.getvalue()


@pytest.mark.django_db
def test_a_version_staff_published_survives_a_reload(world, induction_dir):
    load_training_content(induction_dir)
    course = Course.objects.get(slug=INDUCTION)
    draft = services.version_draft_for_edit(actor=world.staff, course=course)
    module = draft.ordered_modules().first()
    module.body = "Our own words about what mentoring is."
    services.module_save(actor=world.staff, module=module)
    services.version_publish(actor=world.staff, version=draft)
    (induction_dir / INDUCTION / "06-your-first-session.md").write_text(NEW_MODULE, encoding="utf-8")
    before = counts()

    report = load_training_content(induction_dir)

    assert counts() == before
    [outcome] = report.outcomes
    assert outcome.action == CourseOutcome.KEPT
    assert str(outcome) == (
        "Getting ready for mentoring: left alone, as version 2 is made by staff (the files were not loaded)"
    )
    version, titles = induction_modules()
    assert version.number == 2 and "Your first session" not in titles
    assert version.ordered_modules().first().body == "Our own words about what mentoring is."


@pytest.mark.django_db
def test_a_draft_staff_are_editing_is_left_alone(world, induction_dir):
    load_training_content(induction_dir)
    course = Course.objects.get(slug=INDUCTION)
    draft = services.version_draft_for_edit(actor=world.staff, course=course)
    (induction_dir / INDUCTION / "06-your-first-session.md").write_text(NEW_MODULE, encoding="utf-8")

    [outcome] = load_training_content(induction_dir).outcomes

    assert outcome.action == CourseOutcome.KEPT and "a draft staff are editing" in outcome.detail
    assert list(course.versions.values_list("number", "status")) == [(2, "draft"), (1, "published")]
    assert draft.ordered_modules().count() == 5


@pytest.mark.django_db
def test_a_new_module_in_the_folder_appears_in_a_new_version_and_learners_keep_theirs(world, induction_dir):
    load_training_content(induction_dir)
    course = Course.objects.get(slug=INDUCTION)
    started = services.enrolment_start(user=world.mentee_under_16, course=course)
    (induction_dir / INDUCTION / "06-your-first-session.md").write_text(NEW_MODULE, encoding="utf-8")

    [outcome] = load_training_content(induction_dir).outcomes

    assert outcome.action == CourseOutcome.UPDATED
    assert outcome.detail == "the files changed, so version 2 is published (1 new: Your first session)"
    version, titles = induction_modules()
    assert version.number == 2 and titles[-1] == "Your first session" and len(titles) == 6
    new_module = version.ordered_modules().last()
    assert new_module.section.title == "Staying safe and getting help"
    assert new_module.questions.get().choices.get(is_correct=True).text == "My coordinator"
    assert course.versions.get(number=1).status == CourseVersion.Status.RETIRED
    started.refresh_from_db()
    assert started.version.number == 1
    later = services.enrolment_start(user=world.mentee_over_18, course=course)
    assert later.version == version
    # And the new version is the loader's: loading again changes nothing.
    before = counts()
    assert load_training_content(induction_dir).outcomes[0].action == CourseOutcome.UNCHANGED
    assert counts() == before


@pytest.mark.django_db
def test_a_course_loaded_before_versions_carried_a_digest_is_recognised_as_the_loaders(induction_dir):
    load_training_content(induction_dir)
    CourseVersion.objects.update(source_digest="")
    assert load_training_content(induction_dir).outcomes[0].action == CourseOutcome.UNCHANGED
    (induction_dir / INDUCTION / "06-your-first-session.md").write_text(NEW_MODULE, encoding="utf-8")
    assert load_training_content(induction_dir).outcomes[0].action == CourseOutcome.UPDATED


BROKEN = {
    "unclosed quote": (
        'title: "What mentoring is',
        "the front matter is not valid YAML at line 2: while scanning a quoted scalar",
    ),
    "no front matter": (None, "the file must start with a front matter"),
    "missing minutes": ("minutes:", "'minutes' must be a whole number, not None"),
    "misspelt key": ("minutes: 4\nminuets: 4", "the front matter has unknown 'minuets'"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BROKEN))
def test_a_malformed_file_names_itself_and_changes_nothing(induction_dir, case):
    load_training_content(induction_dir)
    (induction_dir / INDUCTION / "06-your-first-session.md").write_text(NEW_MODULE, encoding="utf-8")
    path = induction_dir / INDUCTION / "01-what-mentoring-is.md"
    text = path.read_text(encoding="utf-8")
    replacement, message = BROKEN[case]
    if replacement is None:
        text = text.split("\n---\n", 1)[1]
    elif case == "unclosed quote":
        text = text.replace("title: What mentoring is", replacement)
    else:
        text = text.replace("minutes: 4", replacement, 1)
    path.write_text(text, encoding="utf-8")
    before = counts()

    with pytest.raises(ContentFileError) as raised:
        load_training_content(induction_dir)

    assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value)
    assert counts() == before
    assert induction_modules()[0].number == 1


@pytest.mark.django_db
def test_a_quiz_with_two_right_answers_to_a_single_choice_question_is_refused(induction_dir):
    path = induction_dir / INDUCTION / "06-your-first-session.md"
    path.write_text(
        NEW_MODULE.replace(
            "      - text: My mentor, by", "      - correct: true\n        text: My mentor, by"
        )
    )

    with pytest.raises(
        ContentFileError, match="quiz question 1: A single-choice or scenario question has exactly one"
    ):
        load_training_content(induction_dir)

    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_with_its_name(induction_dir, monkeypatch):
    monkeypatch.setattr(
        "training.management.commands.load_training_content.load_training_content",
        lambda: load_training_content(induction_dir),
    )
    (induction_dir / INDUCTION / "07-loose.md").write_text("---\ntitle: [unclosed\n---\nText\n")

    with pytest.raises(CommandError) as raised:
        call_command("load_training_content", stdout=StringIO())

    assert str(raised.value).startswith(f"Nothing was loaded. {induction_dir / INDUCTION / '07-loose.md'}: ")
    assert Course.objects.count() == 0


# (what is changed in NEW_MODULE, the line it is on, what the message says)
BAD_QUIZZES = {
    "unknown kind": ("kind: single", "kind: guess", 6, "the kind of quiz question 1 must be one of"),
    "correct not true or false": (
        "correct: true",
        "correct: maybe",
        11,
        "'correct' in choice 1 of quiz question 1 must be true or false, not 'maybe'",
    ),
    "two right answers": (
        "      - text: My mentor, by",
        "      - correct: true\n        text: My mentor, by",
        6,
        "quiz question 1: A single-choice or scenario question has exactly one",
    ),
    "choices not a list": (
        NEW_MODULE[NEW_MODULE.index("    choices:") : NEW_MODULE.index("---\nYour coordinator")],
        "    choices: My coordinator\n",
        9,
        "the choices of quiz question 1 must be a list, not 'My coordinator'",
    ),
    "unknown choice setting": (
        "        correct: true",
        "        right: true",
        10,
        "has unknown settings ['right']",
    ),
    "minutes not a number": (
        "minutes: 3",
        "minutes: soon",
        4,
        "'minutes' must be a whole number, not 'soon'",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_QUIZZES))
def test_a_malformed_quiz_names_the_file_and_the_line(induction_dir, case):
    old, new, line, message = BAD_QUIZZES[case]
    assert old in NEW_MODULE
    path = induction_dir / INDUCTION / "06-your-first-session.md"
    path.write_text(NEW_MODULE.replace(old, new), encoding="utf-8")

    with pytest.raises(ContentFileError) as raised:
        load_training_content(induction_dir)

    assert str(raised.value).startswith(f"{path}: line {line}: ")
    assert raised.value.line == line and message in str(raised.value)
    assert counts() == (0, 0, 0, 0, 0, 0)
