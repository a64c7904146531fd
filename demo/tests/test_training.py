"""The demo's enrolments and certificates are written in bulk: the rows must be those the services write."""

import datetime
from unittest.mock import patch

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.tests.factories import MentorProfileFactory
from core.models import AuditEvent
from demo.training import _certify, _completed_modules, _enrolments
from evaluation.content import TRAINING, load_instruments
from evaluation.models import Instrument, InstrumentVersion, ResponseTally, SurveyResponse
from training import services
from training.loader import load_training_content
from training.models import Certificate, Course, Enrolment, ModuleCompletion, WorkshopBooking
from training.tasks import certificate_render
from training.tests.factories import WorkshopBookingFactory, WorkshopFactory, build_course

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


def survey_row(user):
    response = SurveyResponse.objects.get(respondent=user, instance__version__instrument__slug=TRAINING)
    event = AuditEvent.objects.get(
        action="evaluation.survey_issue", target_type="evaluation.surveyresponse", target_id=str(response.pk)
    )
    fields = ("instance_id", "programme_id", "youth_partner_id", "cohort_id", "mandatory", "status")
    return [getattr(response, field) for field in fields] + [event.actor_id, event.summary]


def certificate_row(user):
    certificate = Certificate.objects.get(user=user)
    event = AuditEvent.objects.get(
        action="training.certificate_create",
        target_type="training.certificate",
        target_id=str(certificate.pk),
    )
    fields = ("programme_id", "title", "completed_on", "status", "issued_at")
    return [getattr(certificate, field) for field in fields] + [event.actor_id, event.summary]


def train(user, course, *, days_ago):
    enrolment = services.enrolment_start(user=user, course=course)
    finished = timezone.now() - datetime.timedelta(days=days_ago)
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=finished)
    workshop = WorkshopFactory(starts_at=finished - datetime.timedelta(days=5))
    WorkshopBookingFactory(workshop=workshop, user=user, attended=True)


@pytest.mark.django_db
def test_bulk_certificates_and_surveys_are_what_the_service_and_its_signal_write(world):
    load_instruments(apps)
    course = build_course(slug="mandatory-mentor-course", modules=1)
    # Both mentors take part in the programme (their relationships); a third in none (the default
    # requirement); a fourth has not attended a workshop, so is not fully trained.
    outside = MentorProfileFactory(user__first_name="Nell", user__last_name="Oakes").user
    waiting = MentorProfileFactory().user
    for user, days_ago in [(world.mentor, 2), (world.other_mentor, 2), (outside, 4), (waiting, 2)]:
        train(user, course, days_ago=days_ago)
    WorkshopBooking.objects.filter(user=waiting).delete()
    services.training_check_completion(user=world.mentor)
    by_service = certificate_row(world.mentor), survey_row(world.mentor)
    sent: list[int] = []
    with patch.object(certificate_render, "delay_on_commit", sent.append):
        created = _certify([world.other_mentor, world.mentor, outside, waiting])

    assert [certificate.user for certificate in created] == [world.other_mentor, outside]
    assert sent == [certificate.pk for certificate in created]
    # The same certificate as the service's but for its holder (named in the audit row's summary).
    title = f"Mentor training: {world.programme.name}"
    assert by_service[0] == [world.programme.pk, title, timezone.localdate() - datetime.timedelta(2)] + [
        "pending",
        None,
        None,
        f"{title}: Mo Carrick",
    ]
    assert certificate_row(world.other_mentor) == by_service[0][:-1] + [f"{title}: Olu Adebayo"]
    four_days_ago = timezone.localdate() - datetime.timedelta(4)
    assert certificate_row(outside) == [None, "Mentor training", four_days_ago, "pending", None, None] + [
        "Mentor training: Nell Oakes"
    ]
    assert survey_row(world.other_mentor) == by_service[1]
    assert survey_row(outside)[1:] == [None, None, None, False, "issued", None, TRAINING]
    assert not Certificate.objects.filter(user=waiting).exists()
    assert not SurveyResponse.objects.filter(respondent=waiting).exists()
    issued = ResponseTally.objects.filter(instrument_purpose=Instrument.Purpose.TRAINING)
    assert set(issued.values_list("programme_id", "issued")) == {(world.programme.pk, 2), (None, 1)}
    # Run again: nothing more.
    assert _certify([world.other_mentor, world.mentor, outside, waiting]) == []
    assert SurveyResponse.objects.filter(instance__version__instrument__slug=TRAINING).count() == 3


@pytest.mark.django_db
def test_bulk_certificates_are_written_without_a_published_feedback_survey(world, caplog):
    load_instruments(apps)
    InstrumentVersion.objects.filter(instrument__slug=TRAINING).update(
        status=InstrumentVersion.Status.RETIRED
    )
    train(world.mentor, build_course(slug="mandatory-mentor-course", modules=1), days_ago=2)

    created = _certify([world.mentor])

    assert [certificate.user for certificate in created] == [world.mentor]
    assert not SurveyResponse.objects.filter(respondent=world.mentor).exists()
    assert f"Survey {TRAINING} not issued" in caplog.text
