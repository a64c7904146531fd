"""The demo's enrolments are written in bulk: the rows must be the ones `enrolment_start` writes."""

import pytest

from core.models import AuditEvent
from demo.training import _completed_modules, _enrolments
from training import services
from training.loader import load_training_content
from training.models import Course, Enrolment, ModuleCompletion

FIELDS = (
    "course_id",
    "version_id",
    "started_on",
    "due_on",
    "completed_at",
    "last_module_id",
    "reminder_sent_on",
)


def audit_row(enrolment):
    event = AuditEvent.objects.get(
        action="training.enrolment_start", target_type="training.enrolment", target_id=str(enrolment.pk)
    )
    return event.actor_id, event.summary, event.details


@pytest.mark.django_db
def test_bulk_enrolments_write_what_the_service_writes_and_keep_existing_ones(world):
    load_training_content()
    course = Course.objects.get(slug="level-one-heart-of-the-matter")
    by_service = services.enrolment_start(user=world.mentor, course=course)
    module = by_service.version.ordered_modules().first()
    ModuleCompletion.objects.create(enrolment=by_service, module=module, score=100)

    enrolments = _enrolments([world.other_mentor, world.mentor], course)

    assert list(enrolments) == [world.other_mentor.pk, world.mentor.pk]
    assert enrolments[world.mentor.pk] == by_service  # kept, not started again
    bulk = Enrolment.objects.get(pk=enrolments[world.other_mentor.pk].pk)
    assert bulk.user == world.other_mentor
    assert [getattr(bulk, field) for field in FIELDS] == [getattr(by_service, field) for field in FIELDS]
    assert audit_row(bulk) == (
        world.other_mentor.pk,
        f"{world.other_mentor} on {course}",
        {},
    )
    assert audit_row(by_service) == (world.mentor.pk, f"{world.mentor} on {course}", {})
    assert Enrolment.objects.filter(course=course).count() == 2
    assert _completed_modules(enrolments.values()) == {by_service.pk: {module.pk}, bulk.pk: set()}
