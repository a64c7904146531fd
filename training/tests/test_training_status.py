import datetime

import pytest
from django.utils import timezone

from core.signals import training_completed
from training import selectors, services
from training.models import Certificate, CourseVersion, Enrolment, TrainingRequirement, Workshop
from training.selectors import CORE_WORKSHOP_ITEM, training_status
from training.tests.factories import WorkshopBookingFactory, WorkshopFactory, build_course, correct_answers


def complete_course(user, course):
    enrolment = services.enrolment_start(user=user, course=course)
    for module in enrolment.version.ordered_modules():
        services.quiz_submit(
            actor=user, enrolment=enrolment, module=module, selected=correct_answers(module), attempt_number=1
        )
    enrolment.refresh_from_db()
    return enrolment


def attend_core_workshop(user, days_ago=1):
    workshop = WorkshopFactory(starts_at=timezone.now() - datetime.timedelta(days=days_ago))
    return WorkshopBookingFactory(workshop=workshop, user=user, attended=True)


@pytest.mark.django_db
def test_new_mentor_is_missing_every_module_and_the_workshop(world, level_one):
    status = training_status(user=world.mentor)
    assert not status.fully_trained
    assert status.completed_on is None
    assert status.missing == [f"{level_one.title} (0 of 4 modules)", CORE_WORKSHOP_ITEM]


@pytest.mark.django_db
def test_missing_counts_modules_done_so_far(world, level_one):
    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    module = enrolment.version.ordered_modules().first()
    services.quiz_submit(
        actor=world.mentor,
        enrolment=enrolment,
        module=module,
        selected=correct_answers(module),
        attempt_number=1,
    )
    assert training_status(user=world.mentor).missing[0] == f"{level_one.title} (1 of 4 modules)"


@pytest.mark.django_db
def test_course_and_workshop_make_a_mentor_fully_trained_on_the_later_date(world, level_one):
    attend_core_workshop(world.mentor, days_ago=3)
    complete_course(world.mentor, level_one)
    status = training_status(user=world.mentor)
    assert status.fully_trained
    assert status.missing == []
    assert status.completed_on == timezone.localdate()


@pytest.mark.django_db
def test_course_alone_is_not_enough_when_the_workshop_is_required(world, level_one):
    complete_course(world.mentor, level_one)
    assert training_status(user=world.mentor).missing == [CORE_WORKSHOP_ITEM]


@pytest.mark.django_db
def test_programme_requirement_can_waive_the_workshop_and_choose_courses(world, level_one):
    other = build_course(title="Museum mentoring basics", slug="museum-basics", modules=1)
    requirement = TrainingRequirement.objects.create(programme=world.programme, core_workshop_required=False)
    requirement.courses.set([other])
    assert training_status(user=world.mentor, programme=world.programme).missing == [
        "Museum mentoring basics (0 of 1 modules)"
    ]
    complete_course(world.mentor, other)
    assert training_status(user=world.mentor, programme=world.programme).fully_trained
    assert not training_status(user=world.mentor).fully_trained


@pytest.mark.django_db
def test_becoming_fully_trained_sends_the_signal_once_and_creates_one_certificate(
    world, level_one, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, user, programme, **kwargs):
        received.append((user, programme))

    training_completed.connect(receiver)
    try:
        attend_core_workshop(world.mentor)
        with django_capture_on_commit_callbacks(execute=True):
            complete_course(world.mentor, level_one)
        with django_capture_on_commit_callbacks(execute=True):
            services.training_check_completion(user=world.mentor)
    finally:
        training_completed.disconnect(receiver)
    assert received == [(world.mentor, world.programme)]
    certificate = Certificate.objects.get(user=world.mentor)
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.programme == world.programme


@pytest.mark.django_db
def test_staff_marking_attendance_completes_training(world, level_one, django_capture_on_commit_callbacks):
    complete_course(world.mentor, level_one)
    workshop = WorkshopFactory(starts_at=timezone.now() - datetime.timedelta(hours=3))
    WorkshopBookingFactory(workshop=workshop, user=world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.workshop_mark_attendance(
            actor=world.staff, workshop=workshop, attended_user_ids={world.mentor.pk}
        )
    assert training_status(user=world.mentor).fully_trained
    assert Certificate.objects.filter(user=world.mentor, status=Certificate.Status.ISSUED).count() == 1


@pytest.mark.django_db
def test_editing_a_published_course_makes_a_new_version_and_old_completions_stay_valid(world, level_one):
    attend_core_workshop(world.mentor)
    completed = complete_course(world.mentor, level_one)
    draft = services.version_draft_for_edit(actor=world.staff, course=level_one)
    assert draft.number == 2 and draft.status == CourseVersion.Status.DRAFT
    module = draft.ordered_modules().first()
    module.body = "Updated guidance."
    services.module_save(actor=world.staff, module=module)
    services.version_publish(actor=world.staff, version=draft)

    completed.refresh_from_db()
    assert completed.version.number == 1
    assert completed.version.status == CourseVersion.Status.RETIRED
    assert completed.version.ordered_modules().first().body == "Read **this** carefully."
    assert training_status(user=world.mentor).fully_trained
    newcomer = services.enrolment_start(user=world.other_mentor, course=level_one)
    assert newcomer.version == draft


@pytest.mark.django_db
def test_published_content_cannot_be_edited_in_place(world, level_one):
    from core.errors import ApplicationError

    module = selectors.published_version(level_one).ordered_modules().first()
    module.body = "Sneaky change"
    with pytest.raises(ApplicationError):
        services.module_save(actor=world.staff, module=module)


@pytest.mark.django_db
def test_enrolment_is_due_after_the_course_deadline(world, level_one):
    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    assert enrolment.due_on == timezone.localdate() + datetime.timedelta(days=14)
    assert not enrolment.is_overdue
    Enrolment.objects.filter(pk=enrolment.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    assert list(Enrolment.objects.overdue()) == [enrolment]


@pytest.mark.django_db
def test_reminders_go_once_to_people_near_their_deadline(world, level_one, mailoutbox, committing):
    from training.tasks import send_training_reminders

    near = services.enrolment_start(user=world.mentor, course=level_one)
    far = services.enrolment_start(user=world.other_mentor, course=level_one)
    Enrolment.objects.filter(pk=near.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=2))
    Enrolment.objects.filter(pk=far.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=10))
    with committing():
        send_training_reminders()
    with committing():
        send_training_reminders()
    assert [message.to for message in mailoutbox] == [[world.mentor.email]]
    assert "Reminder" in mailoutbox[0].subject


@pytest.mark.django_db
def test_workshop_booking_respects_capacity_and_cancellation(world):
    from core.errors import ApplicationError

    workshop = WorkshopFactory(capacity=1)
    services.workshop_book(user=world.mentor, workshop=workshop)
    with pytest.raises(ApplicationError, match="full"):
        services.workshop_book(user=world.other_mentor, workshop=workshop)
    services.workshop_cancel(user=world.mentor, workshop=workshop)
    services.workshop_book(user=world.other_mentor, workshop=workshop)
    assert workshop.bookings.filter(status="booked").get().user == world.other_mentor
    assert Workshop.objects.count() == 1


@pytest.mark.django_db
def test_status_reads_in_plain_english(world, level_one):
    assert str(training_status(user=world.mentor)) == (
        f"Still to do: {level_one.title} (0 of 4 modules); {CORE_WORKSHOP_ITEM}"
    )
    requirement = TrainingRequirement.objects.create(programme=world.programme, core_workshop_required=False)
    requirement.courses.set([])
    assert str(training_status(user=world.mentor, programme=world.programme)) == "Fully trained"


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Emails are recorded with the change and sent once it commits: run what waits for the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
