"""Demo data for training: starter courses, workshops, progress for some mentors, and certificates."""

import datetime

from django.utils import timezone

from accounts.models import User
from matching.records_db import fully_trained_ids
from mentoring.models import Relationship
from training import services
from training.loader import load_training_content
from training.models import Audience, Course, Enrolment, ModuleCompletion, Workshop, WorkshopBooking


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
    modules_of: dict[int, list] = {}  # every mentor takes the same version: its modules are read once
    for index, mentor in enumerate(mentors):
        enrolment = services.enrolment_start(user=mentor, course=level_one)
        if enrolment.version_id not in modules_of:
            modules_of[enrolment.version_id] = list(enrolment.version.ordered_modules())
        modules = modules_of[enrolment.version_id]
        # Most mentors have finished; some are part-way through; a few have not started.
        share = 1.0 if index % 3 != 2 else rng.choice([0.0, 0.3, 0.6])
        target = modules[: int(len(modules) * share)]
        done = set(enrolment.module_completions.values_list("module_id", flat=True))
        ModuleCompletion.objects.bulk_create(
            ModuleCompletion(enrolment=enrolment, module=module, score=100)
            for module in target
            if module.pk not in done
        )
        if len(target) == len(modules) and enrolment.completed_at is None:
            Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
        if share == 1.0 and mentor != demo_mentor:
            booking, _ = WorkshopBooking.objects.get_or_create(workshop=past, user=mentor)
            if not booking.attended:
                booking.attended = True
                booking.attendance_marked_at = timezone.now()
                booking.rating = rng.choice([4, 5, 5, 3])
                booking.would_recommend = True
                booking.save()
        services.training_check_completion(user=mentor)
    # training_status's rule for the default requirement, for every mentor at once.
    trained = len(fully_trained_ids([mentor.pk for mentor in mentors], programme=None))
    inducted = _mentees_inducted(context)
    context.log(
        f"training: {Course.objects.count()} courses, {len(workshops)} workshops, "
        f"{trained} mentors fully trained, {inducted} mentees through their induction"
    )


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
    done = 0
    for index, mentee in enumerate(mentees):
        if mentee != demo_mentee and index % 6 == 5:
            continue  # one in six has not finished it yet
        enrolment = services.enrolment_start(user=mentee, course=induction)
        finished = set(enrolment.module_completions.values_list("module_id", flat=True))
        ModuleCompletion.objects.bulk_create(
            ModuleCompletion(enrolment=enrolment, module=module, score=100)
            for module in enrolment.version.ordered_modules()
            if module.pk not in finished
        )
        if enrolment.completed_at is None:
            Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
        done += 1
    return done
