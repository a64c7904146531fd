"""Loads the starter courses: idempotent, and never overwrites a course staff have already built."""

from django.db import transaction
from django.utils import timezone

from .content import COURSES
from .models import Choice, Course, CourseVersion, Module, Question, Section


@transaction.atomic
def load_training_content(courses=COURSES) -> list[Course]:
    """Create each course with a published first version, unless it already has content."""
    created = []
    for data in courses:
        course, _ = Course.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "audience": data["audience"],
                "is_mandatory": data["is_mandatory"],
                "order": data["order"],
            },
        )
        if course.versions.exists():
            continue
        version = CourseVersion.objects.create(
            course=course, number=1, status=CourseVersion.Status.PUBLISHED, published_at=timezone.now()
        )
        for section_order, (section_title, modules) in enumerate(data["sections"], start=1):
            section = Section.objects.create(version=version, title=section_title, order=section_order)
            for module_order, module_data in enumerate(modules, start=1):
                module = Module.objects.create(
                    section=section,
                    title=module_data["title"],
                    order=module_order,
                    minutes=module_data["minutes"],
                    body=module_data["body"],
                    worksheet=module_data["worksheet"],
                )
                for question_order, question_data in enumerate(module_data["questions"], start=1):
                    question = Question.objects.create(
                        module=module,
                        kind=question_data["kind"],
                        prompt=question_data["prompt"],
                        explanation=question_data["explanation"],
                        order=question_order,
                    )
                    Choice.objects.bulk_create(
                        Choice(
                            question=question, text=text, is_correct=correct, feedback=feedback, order=index
                        )
                        for index, (text, correct, feedback) in enumerate(question_data["choices"])
                    )
        created.append(course)
    return created
