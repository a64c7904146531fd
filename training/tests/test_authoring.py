"""Editing course content in place on a draft; published content only changes through a new draft."""

import pytest

from core.errors import ApplicationError
from training import selectors, services
from training.models import Choice, Module, Question, Section
from training.tests.factories import build_course

EDITED = [
    ("Meet in a library", True, "Public and safe."),
    ("Meet at home", False, "Never at homes."),
    ("", False, ""),
]


def _draft_question(world, course):
    draft = services.version_draft_for_edit(actor=world.staff, course=course)
    return draft, draft.ordered_modules().first().questions.get()


def _choices(question):
    return list(question.choices.order_by("order").values_list("text", "is_correct", "feedback"))


@pytest.mark.django_db
def test_question_update_rewrites_text_kind_feedback_and_choices(world):
    course = build_course(published=False)
    question = course.versions.get().ordered_modules().first().questions.get()
    services.question_update(
        actor=world.staff,
        question=question,
        kind=Question.Kind.SCENARIO,
        prompt="Your mentee wants to meet at home. What do you do?",
        explanation="Meetings happen in public places.",
        choices=EDITED,
    )
    question.refresh_from_db()
    assert question.kind == Question.Kind.SCENARIO
    assert question.prompt.startswith("Your mentee wants")
    assert question.explanation == "Meetings happen in public places."
    assert _choices(question) == [
        ("Meet in a library", True, "Public and safe."),
        ("Meet at home", False, "Never at homes."),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [("A", False, ""), ("B", False, "")], "Mark at least one answer as correct."),
        ("multiple", [("A", False, ""), ("B", False, "")], "Mark at least one answer as correct."),
        ("single", [("A", True, ""), ("B", True, "")], "exactly one correct answer"),
        ("single", [("A", True, ""), ("", False, "")], "Give at least two answers."),
    ],
)
def test_question_update_refuses_bad_answers_and_changes_nothing(world, kind, choices, message):
    course = build_course(published=False)
    question = course.versions.get().ordered_modules().first().questions.get()
    before = _choices(question)
    with pytest.raises(ApplicationError, match=message):
        services.question_update(
            actor=world.staff,
            question=question,
            kind=kind,
            prompt="Changed?",
            explanation="",
            choices=choices,
        )
    question.refresh_from_db()
    assert question.prompt == "Question 1?"
    assert _choices(question) == before


@pytest.mark.django_db
def test_multiple_choice_question_may_have_several_correct_answers(world):
    course = build_course(published=False)
    question = course.versions.get().ordered_modules().first().questions.get()
    services.question_update(
        actor=world.staff,
        question=question,
        kind=Question.Kind.MULTIPLE,
        prompt="Which are key attributes?",
        explanation="",
        choices=[("Patience", True, ""), ("Listening", True, ""), ("Judging", False, "")],
    )
    assert question.choices.filter(is_correct=True).count() == 2


@pytest.mark.django_db
def test_published_content_cannot_be_edited_renamed_or_removed_in_place(world, level_one):
    published = selectors.published_version(level_one)
    section = published.sections.first()
    module = section.modules.first()
    question = module.questions.first()
    with pytest.raises(ApplicationError, match="new draft"):
        services.question_update(
            actor=world.staff, question=question, kind="single", prompt="X?", explanation="", choices=EDITED
        )
    section.title = "Renamed"
    with pytest.raises(ApplicationError, match="new draft"):
        services.section_save(actor=world.staff, section=section)
    with pytest.raises(ApplicationError, match="new draft"):
        services.section_delete(actor=world.staff, section=section)
    with pytest.raises(ApplicationError, match="new draft"):
        services.module_delete(actor=world.staff, module=module)
    assert Section.objects.get(pk=section.pk).title != "Renamed"
    assert Module.objects.filter(pk=module.pk).exists()
    assert Question.objects.get(pk=question.pk).prompt == "Question 1?"


@pytest.mark.django_db
def test_editing_a_new_draft_leaves_the_published_version_as_it_was(world, level_one):
    published = selectors.published_version(level_one)
    published_question = published.ordered_modules().first().questions.get()
    draft, draft_question = _draft_question(world, level_one)
    services.question_update(
        actor=world.staff,
        question=draft_question,
        kind="single",
        prompt="New?",
        explanation="",
        choices=EDITED,
    )
    section = draft.sections.first()
    services.module_delete(actor=world.staff, module=section.modules.last())
    services.section_delete(actor=world.staff, section=draft.sections.last())
    published_question.refresh_from_db()
    assert published_question.prompt == "Question 1?"
    assert _choices(published_question)[0] == ("Right", True, "Well done.")
    assert published.ordered_modules().count() == 4
    assert draft.ordered_modules().count() == 1


@pytest.mark.django_db
def test_staff_edit_a_question_through_the_page(world, level_one, client):
    _draft, question = _draft_question(world, level_one)
    client.force_login(world.staff)
    page = client.get(f"/training/manage/questions/{question.pk}/edit/")
    assert page.status_code == 200
    assert "Well done." in page.content.decode()
    response = client.post(
        f"/training/manage/questions/{question.pk}/edit/",
        {
            "kind": "single",
            "prompt": "Where do you meet?",
            "explanation": "Public places only.",
            "choice_1_text": "Library",
            "choice_1_feedback": "Yes.",
            "choice_2_text": "Home",
            "choice_2_correct": "on",
            "choice_2_feedback": "No.",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompt == "Where do you meet?"
    assert _choices(question) == [("Library", False, "Yes."), ("Home", True, "No.")]


@pytest.mark.django_db
def test_a_bad_question_edit_shows_a_field_message_and_saves_nothing(world, level_one, client):
    _draft, question = _draft_question(world, level_one)
    client.force_login(world.staff)
    response = client.post(
        f"/training/manage/questions/{question.pk}/edit/",
        {"kind": "single", "prompt": "Changed?", "choice_1_text": "A", "choice_2_text": "B"},
    )
    assert response.status_code == 200
    assert "Mark at least one answer as correct." in response.context["form"].errors["choice_1_correct"][0]
    question.refresh_from_db()
    assert question.prompt == "Question 1?"
    assert Choice.objects.filter(question=question).count() == 2


@pytest.mark.django_db
def test_editing_a_published_question_page_points_to_a_new_draft(world, level_one, client):
    question = selectors.published_version(level_one).ordered_modules().first().questions.get()
    client.force_login(world.staff)
    response = client.post(
        f"/training/manage/questions/{question.pk}/edit/",
        {
            "kind": "single",
            "prompt": "Changed?",
            "choice_1_text": "A",
            "choice_1_correct": "on",
            "choice_2_text": "B",
        },
    )
    assert "start a new draft first" in response.content.decode()
    question.refresh_from_db()
    assert question.prompt == "Question 1?"


@pytest.mark.django_db
def test_staff_rename_and_remove_sections_and_remove_modules_in_a_draft(world, level_one, client):
    draft = services.version_draft_for_edit(actor=world.staff, course=level_one)
    first, second = draft.sections.order_by("order")
    client.force_login(world.staff)
    assert client.get(f"/training/manage/sections/{first.pk}/edit/").status_code == 200
    client.post(f"/training/manage/sections/{first.pk}/edit/", {"title": "Welcome", "order": 1})
    first.refresh_from_db()
    assert first.title == "Welcome"
    module = first.modules.first()
    client.post(f"/training/manage/modules/{module.pk}/delete/")
    assert not Module.objects.filter(pk=module.pk).exists()
    client.post(f"/training/manage/sections/{second.pk}/delete/")
    assert not Section.objects.filter(pk=second.pk).exists()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Welcome" in page and f'id="section-{second.pk}"' not in page


@pytest.mark.django_db
def test_removing_published_sections_and_modules_through_the_pages_is_refused(world, level_one, client):
    published = selectors.published_version(level_one)
    section = published.sections.first()
    module = section.modules.first()
    client.force_login(world.staff)
    client.post(f"/training/manage/modules/{module.pk}/delete/")
    client.post(f"/training/manage/sections/{section.pk}/delete/")
    renamed = client.post(f"/training/manage/sections/{section.pk}/edit/", {"title": "Renamed", "order": 0})
    assert "start a new draft first" in renamed.content.decode()
    assert Module.objects.filter(pk=module.pk).exists()
    assert Section.objects.get(pk=section.pk).title == "Section 1"


@pytest.mark.django_db
def test_mentor_cannot_edit_or_remove_course_content(world, level_one, client):
    draft, question = _draft_question(world, level_one)
    section = draft.sections.first()
    client.force_login(world.mentor)
    assert client.get(f"/training/manage/questions/{question.pk}/edit/").status_code == 404
    assert client.post(f"/training/manage/sections/{section.pk}/delete/").status_code == 404
    assert Section.objects.filter(pk=section.pk).exists()
