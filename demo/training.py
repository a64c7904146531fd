"""Demo data for training: starter courses, workshops, progress for some mentors, and certificates."""

import datetime
import logging
from collections import defaultdict
from itertools import chain

from django.utils import timezone

from accounts.models import User
from core.audit import audit_event
from core.errors import ApplicationError
from core.models import AuditEvent
from evaluation.content import TRAINING
from evaluation.services import survey_issue_many
from matching.records_db import fully_trained_ids
from mentoring.models import Programme, Relationship
from training import selectors
from training.loader import load_training_content
from training.membership import mentor_programme_pairs
from training.models import (
    Audience,
    Certificate,
    Course,
    Enrolment,
    ModuleCompletion,
    Workshop,
    WorkshopBooking,
)
from training.tasks import certificate_render

logger = logging.getLogger(__name__)


def extend_demo(context):
    """Idempotent: courses load once, workshops are found by title and date, progress only grows."""
    load_training_content()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    workshops = []
    # Looked up by title alone, so running the demo again on another day adds no workshops.
    for days, title, delivery in [
        (-21, "Core mentor workshop: online, last month", Workshop.Format.VIRTUAL),
        (10, "Core mentor workshop: online", Workshop.Format.VIRTUAL),
        (24, "Core mentor workshop: Manchester", Workshop.Format.IN_PERSON),
    ]:
        starts_at = now + datetime.timedelta(days=days)
        workshop, _ = Workshop.objects.get_or_create(
            title=title,
            defaults={
                "starts_at": starts_at.replace(hour=18),
                "delivery": delivery,
                "capacity": 20,
                "location": "Central Library, St Peter's Square, Manchester"
                if delivery == "in_person"
                else "",
                "joining_details": "The video link is emailed the day before."
                if delivery == "virtual"
                else "",
                "description": (
                    "Two hours with other new mentors: practising a first session, goal setting "
                    "and what to do on a disclosure."
                ),
            },
        )
        workshops.append(workshop)
    level_one = Course.objects.get(slug="level-one-heart-of-the-matter")
    past = workshops[0]
    mentors = list(User.objects.filter(pk__in=context.mentor_ids).order_by("pk"))
    demo_mentor = context.logins.get("mentor")
    if demo_mentor is not None and demo_mentor not in mentors:
        mentors.insert(0, demo_mentor)
    rng = context.rng
    enrolments = _enrolments(mentors, level_one)
    done = _completed_modules(enrolments.values())
    modules_of: dict[int, list] = {}  # every mentor takes the same version: its modules are read once
    completions, finished = [], []
    bookings = {booking.user_id: booking for booking in WorkshopBooking.objects.filter(workshop=past)}
    new_bookings: list[WorkshopBooking] = []
    attending: list[WorkshopBooking] = []
    for index, mentor in enumerate(mentors):
        enrolment = enrolments[mentor.pk]
        if enrolment.version_id not in modules_of:
            modules_of[enrolment.version_id] = list(enrolment.version.ordered_modules())
        modules = modules_of[enrolment.version_id]
        # Most mentors have finished; some are part-way through; a few have not started.
        share = 1.0 if index % 3 != 2 else rng.choice([0.0, 0.3, 0.6])
        target = modules[: int(len(modules) * share)]
        completions.extend(
            ModuleCompletion(enrolment=enrolment, module=module, score=100)
            for module in target
            if module.pk not in done[enrolment.pk]
        )
        if len(target) == len(modules) and enrolment.completed_at is None:
            finished.append(enrolment.pk)
        if share == 1.0 and mentor != demo_mentor:
            booking = bookings.get(mentor.pk)
            if booking is None:
                booking = WorkshopBooking(workshop=past, user=mentor)
                new_bookings.append(booking)
            elif not booking.attended:
                attending.append(booking)
            if not booking.attended:
                booking.attended = True
                booking.attendance_marked_at = timezone.now()
                booking.rating = rng.choice([4, 5, 5, 3])
                booking.would_recommend = True
                booking.updated_at = booking.attendance_marked_at  # as save() would (auto_now)
    # The bookings of those who attended the past workshop, written in two queries for them all.
    WorkshopBooking.objects.bulk_create(new_bookings)
    WorkshopBooking.objects.bulk_update(
        attending, ["attended", "attendance_marked_at", "rating", "would_recommend", "updated_at"]
    )
    ModuleCompletion.objects.bulk_create(completions)
    Enrolment.objects.filter(pk__in=finished).update(completed_at=timezone.now())
    _certify(mentors)
    # training_status's rule for the default requirement, for every mentor at once.
    trained = len(fully_trained_ids([mentor.pk for mentor in mentors], programme=None))
    inducted = _mentees_inducted(context)
    context.log(
        f"training: {Course.objects.count()} courses, {len(workshops)} workshops, "
        f"{trained} mentors fully trained, {inducted} mentees through their induction"
    )


def _certify(mentors: list) -> list[Certificate]:
    """`services.training_check_completion` for every mentor at once, with what its signal sets off
    (`training_completed`: the training feedback survey, `evaluation.receivers`): for each programme a
    mentor takes part in (the default requirement when none) that they are fully trained for and have
    no certificate of, the certificate `training_status` dates, its audit row and rendering, and the
    survey; the same rows in a few queries rather than a few dozen per mentor."""
    ids = [mentor.pk for mentor in mentors]
    taking_part: dict[int, set[int]] = defaultdict(set)  # programmes_for_learner, for them all
    for mentor_id, programme_id in mentor_programme_pairs():
        taking_part[mentor_id].add(programme_id)
    programmes = list(Programme.objects.filter(pk__in={pk for pk in chain(*taking_part.values())}))
    certified = set(Certificate.objects.filter(user_id__in=ids).values_list("user_id", "programme_id"))
    requirements = {}  # by programme id (None: the default requirement)
    for programme in [None, *programmes]:
        requirements[programme.pk if programme else None] = selectors.required_training(programme=programme)
    courses = {course.pk for required, _workshop in requirements.values() for course in required}
    # training_status's dates: each course's completion and the first core workshop attended.
    completed_on: dict[tuple[int, int], datetime.date] = {}
    for user_id, course_id, completed_at in Enrolment.objects.filter(
        user_id__in=ids, course_id__in=courses, completed_at__isnull=False
    ).values_list("user_id", "course_id", "completed_at"):
        completed_on[user_id, course_id] = timezone.localdate(completed_at)
    attended: dict[int, datetime.date] = {}
    for user_id, starts_at in (
        WorkshopBooking.objects.filter(user_id__in=ids, attended=True, workshop__kind=Workshop.Kind.CORE)
        .order_by("workshop__starts_at")
        .values_list("user_id", "workshop__starts_at")
    ):
        attended.setdefault(user_id, timezone.localdate(starts_at))
    certificates = []
    for mentor in mentors:
        for programme in [p for p in programmes if p.pk in taking_part[mentor.pk]] or [None]:
            key = programme.pk if programme else None
            if (mentor.pk, key) in certified:
                continue
            required, workshop_required = requirements[key]
            dates = [completed_on.get((mentor.pk, course.pk)) for course in required]
            if workshop_required:
                dates.append(attended.get(mentor.pk))
            if None in dates:
                continue  # not fully trained
            certificates.append(
                Certificate(
                    user=mentor,
                    programme=programme,
                    holder_name=mentor.get_full_name() or mentor.email,
                    title=selectors.certificate_title(programme),
                    completed_on=max(dates) if dates else timezone.localdate(),
                )
            )
    Certificate.objects.bulk_create(certificates)
    AuditEvent.objects.bulk_create(
        audit_event(
            actor=None, action="training.certificate_create", target=certificate, summary=str(certificate)
        )
        for certificate in certificates
    )
    try:
        survey_issue_many(
            instrument_slug=TRAINING,
            recipients=[(certificate.user, certificate.programme) for certificate in certificates],
        )
    except ApplicationError as error:  # no published version: as the signal's receiver, carry on
        logger.warning("Survey %s not issued: %s", TRAINING, error)
    for certificate in certificates:
        certificate_render.delay_on_commit(certificate.pk)
    return certificates


def _mentees_inducted(context) -> int:
    """Young people who are meeting their mentor have mostly done the induction (the demo mentee has);
    those still waiting for a match mostly have not."""
    induction = Course.objects.filter(audience=Audience.MENTEE, is_mandatory=True).first()
    if induction is None:
        return 0
    meeting = set(
        Relationship.objects.filter(
            mentee_id__in=context.mentee_ids, status__in=Relationship.OPEN_STATUSES
        ).values_list("mentee_id", flat=True)
    )
    demo_mentee = context.logins.get("mentee")
    mentees = list(User.objects.filter(pk__in=meeting).order_by("pk"))
    if demo_mentee is not None and demo_mentee.pk not in meeting:
        mentees.insert(0, demo_mentee)
    inducted = [
        mentee for index, mentee in enumerate(mentees) if mentee == demo_mentee or index % 6 != 5
    ]  # one in six has not finished it yet
    enrolments = _enrolments(inducted, induction)
    finished = _completed_modules(enrolments.values())
    modules_of: dict[int, list] = {}
    completions = []
    for enrolment in enrolments.values():
        if enrolment.version_id not in modules_of:
            modules_of[enrolment.version_id] = list(enrolment.version.ordered_modules())
        completions.extend(
            ModuleCompletion(enrolment=enrolment, module=module, score=100)
            for module in modules_of[enrolment.version_id]
            if module.pk not in finished[enrolment.pk]
        )
    ModuleCompletion.objects.bulk_create(completions)
    Enrolment.objects.filter(pk__in=[enrolment.pk for enrolment in enrolments.values()]).filter(
        completed_at__isnull=True
    ).update(completed_at=timezone.now())
    return len(inducted)


def _enrolments(people: list, course: Course) -> dict[int, Enrolment]:
    """Each person's enrolment on the course, by user id: the rows `services.enrolment_start` writes
    (the enrolment on the published version, due in the course's deadline, and its audit row), those
    missing written in one query each rather than several per person."""
    found = {
        enrolment.user_id: enrolment
        for enrolment in Enrolment.objects.filter(course=course, user__in=people).select_related("version")
    }
    missing = [person for person in people if person.pk not in found]
    if missing:
        version = selectors.published_version(course)
        if version is None:
            raise ApplicationError("This course is not open yet.")
        today = timezone.localdate()
        due_on = today + datetime.timedelta(days=course.deadline_days)
        created = Enrolment.objects.bulk_create(
            Enrolment(user=person, course=course, version=version, started_on=today, due_on=due_on)
            for person in missing
        )
        AuditEvent.objects.bulk_create(
            audit_event(
                actor=enrolment.user,
                action="training.enrolment_start",
                target=enrolment,
                summary=str(enrolment),
            )
            for enrolment in created
        )
        found.update((enrolment.user_id, enrolment) for enrolment in created)
    return {person.pk: found[person.pk] for person in people}


def _completed_modules(enrolments) -> dict[int, set[int]]:
    """The modules each enrolment has completed, in one query."""
    done: dict[int, set[int]] = {enrolment.pk: set() for enrolment in enrolments}
    for enrolment_id, module_id in ModuleCompletion.objects.filter(enrolment_id__in=done).values_list(
        "enrolment_id", "module_id"
    ):
        done[enrolment_id].add(module_id)
    return done
