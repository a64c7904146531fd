import datetime
import itertools

import factory
from django.utils import timezone

from training.models import (
    Choice,
    Course,
    CourseVersion,
    Module,
    Question,
    Section,
    Workshop,
    WorkshopBooking,
)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A short course."
    audience = "mentor"
    is_mandatory = True


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    title = "Core mentor workshop"
    kind = Workshop.Kind.CORE
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    capacity = 10


class WorkshopBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopBooking

    workshop = factory.SubFactory(WorkshopFactory)


_numbers = itertools.count(1)


def build_course(
    *,
    title=None,
    slug=None,
    modules=3,
    sections=1,
    questions=1,
    mandatory=True,
    audience="mentor",
    published=True,
) -> Course:
    """A course with a version of `sections` x `modules` modules, each with single-choice questions
    whose first choice is correct."""
    number = next(_numbers)
    course = CourseFactory(
        title=title or f"Course {slug or number}",
        slug=slug or f"built-course-{number}",
        is_mandatory=mandatory,
        audience=audience,
    )
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        status=CourseVersion.Status.PUBLISHED if published else CourseVersion.Status.DRAFT,
        published_at=timezone.now() if published else None,
    )
    for section_index in range(sections):
        section = Section.objects.create(
            version=version, title=f"Section {section_index + 1}", order=section_index
        )
        for module_index in range(modules):
            module = Module.objects.create(
                section=section,
                title=f"Module {section_index + 1}.{module_index + 1}",
                order=module_index,
                body="Read **this** carefully.",
            )
            for question_index in range(questions):
                question = Question.objects.create(
                    module=module,
                    prompt=f"Question {question_index + 1}?",
                    explanation="Because.",
                    order=question_index,
                )
                Choice.objects.create(
                    question=question, text="Right", is_correct=True, feedback="Well done.", order=0
                )
                Choice.objects.create(
                    question=question, text="Wrong", is_correct=False, feedback="Think again.", order=1
                )
    return course


def correct_answers(module) -> dict[int, set[int]]:
    return {
        question.pk: {choice.pk for choice in question.choices.all() if choice.is_correct}
        for question in module.questions.prefetch_related("choices")
    }


def wrong_answers(module) -> dict[int, set[int]]:
    return {
        question.pk: {choice.pk for choice in question.choices.all() if not choice.is_correct}
        for question in module.questions.prefetch_related("choices")
    }
