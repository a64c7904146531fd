"""A mentor's training panel reads with queries compiled once per process (core.prepared): each gives
what the ordinary queryset gives."""

import datetime

import pytest
from django.utils import timezone

from mentoring.models import Programme
from training import selectors
from training.models import Certificate, Enrolment, TrainingRequirement, Workshop, WorkshopBooking
from training.services import enrolment_start, module_mark_read
from training.tests.factories import WorkshopBookingFactory, WorkshopFactory, build_course

pytestmark = pytest.mark.django_db


def test_own_enrolments_and_certificates_are_the_querysets(world):
    courses = [build_course(modules=2, questions=0), build_course(modules=3, questions=0)]
    for course in courses:
        enrolment = enrolment_start(user=world.mentor, course=course)
    module_mark_read(
        actor=world.mentor, enrolment=enrolment, module=enrolment.version.sections.first().modules.first()
    )
    enrolment_start(user=world.other_mentor, course=courses[0])
    other_programme = Programme.objects.create(name="Second programme", slug="second-programme")
    for days, status, programme in (
        (3, Certificate.Status.ISSUED, world.programme),
        (1, Certificate.Status.PENDING, other_programme),
    ):
        Certificate.objects.create(
            user=world.mentor,
            programme=programme,
            holder_name="Mo Carrick",
            title=f"Mentor training {days}",
            completed_on=timezone.localdate() - datetime.timedelta(days=days),
            status=status,
        )
    for person in (world.mentor, world.other_mentor, world.staff):
        expected = list(selectors.enrolments_with_progress(person).select_related("course"))
        rows = selectors.own_enrolments_with_progress(person)
        assert [
            (
                e.pk,
                e.course_id,
                e.due_on,
                e.completed_at,
                e.course.title,
                e.course.slug,
                e.module_total,
                e.module_done,
            )
            for e in rows
        ] == [
            (
                e.pk,
                e.course_id,
                e.due_on,
                e.completed_at,
                e.course.title,
                e.course.slug,
                e.module_total,
                e.module_done,
            )
            for e in expected
        ]
        certificates = list(Certificate.objects.filter(user=person))
        assert [(c.pk, c.programme_id, c.status, c.title) for c in selectors.own_certificates(person)] == [
            (c.pk, c.programme_id, c.status, c.title) for c in certificates
        ]
    assert Enrolment.objects.filter(user=world.mentor).count() == 2


def test_requirements_with_their_courses_are_what_required_training_gives(world):
    with_courses = world.programme
    without_courses = Programme.objects.create(name="No courses", slug="no-courses")
    no_requirement = Programme.objects.create(name="Default", slug="default-training")
    courses = [build_course(title="B course"), build_course(title="A course")]
    build_course(title="Optional", mandatory=False)
    requirement = TrainingRequirement.objects.create(programme=with_courses, core_workshop_required=False)
    requirement.courses.set(courses)
    TrainingRequirement.objects.create(programme=without_courses, core_workshop_required=True)
    build_course(title="For mentees", audience="mentee")
    second = Programme.objects.create(name="Second", slug="second-training")
    TrainingRequirement.objects.create(programme=second, core_workshop_required=True).courses.set(
        [courses[1], build_course(title="C course", mandatory=False)]
    )
    # The requirements and the default courses are read together, for any mix of programmes.
    for programmes in (
        [with_courses, without_courses, no_requirement, None, second],
        [with_courses, second],
        [no_requirement],
        [None],
    ):
        found = selectors._required_training_by_programme(programmes)
        for programme in programmes:
            courses_read, workshop = found[programme.pk if programme else None]
            expected_courses, expected_workshop = selectors.required_training(programme=programme)
            assert [(c.pk, c.title, c.slug, c.audience, c.order) for c in courses_read] == [
                (c.pk, c.title, c.slug, c.audience, c.order) for c in expected_courses
            ]
            assert workshop == expected_workshop
    assert [c.title for c in found[None][0]] == ["A course", "B course"]


def test_programmes_and_core_bookings_are_the_querysets(world):
    programmes = selectors.programmes_for_learner(user=world.mentor)
    assert programmes == list(Programme.objects.filter(pk=world.programme.pk))
    assert selectors.programmes_for_learner(user=world.staff) == [None]
    booked = WorkshopBookingFactory(user=world.mentor, status=WorkshopBooking.Status.BOOKED)
    WorkshopBookingFactory(user=world.mentor, workshop=WorkshopFactory(kind="development"))
    WorkshopBookingFactory(user=world.other_mentor, status=WorkshopBooking.Status.BOOKED)
    rows = selectors._CORE_BOOKINGS.rows(user=world.mentor)
    assert [(b.pk, b.workshop.title, b.workshop.starts_at) for b in rows] == [
        (booked.pk, booked.workshop.title, booked.workshop.starts_at)
    ]


def test_staff_training_overview_is_what_the_querysets_give(world):
    from django.test import RequestFactory

    from accounts.models import User
    from training.panels import staff_training_panel

    course = build_course(modules=1, questions=0)
    late = enrolment_start(user=world.mentor, course=course)
    Enrolment.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    enrolment_start(user=world.other_mentor, course=course)
    for holder, status in (
        (world.mentor, Certificate.Status.PENDING),
        (world.other_mentor, Certificate.Status.PENDING),
        (world.coordinator_a, Certificate.Status.ISSUED),
    ):
        Certificate.objects.create(
            user=holder,
            programme=world.programme,
            holder_name=holder.get_full_name(),
            title="Mentor training",
            completed_on=timezone.localdate(),
            status=status,
        )
    for days in (-1, 1, 2, 3, 4):
        WorkshopFactory(
            title=f"Workshop in {days} days", starts_at=timezone.now() + datetime.timedelta(days=days)
        )
    pending = {}
    for person in (world.staff, world.coordinator_a):
        request = RequestFactory().get("/")
        request.user = User.objects.get(pk=person.pk)
        shown = staff_training_panel(request).context
        pending[person.email] = shown["pending_certificates"]
        assert shown["overdue"] == Enrolment.objects.overdue().count() == 1
        assert shown["pending_certificates"] == (
            selectors.certificates_visible_to(user=person).filter(status=Certificate.Status.PENDING).count()
        )
        expected = list(Workshop.objects.filter(starts_at__gte=timezone.now())[:3])
        assert [(w.pk, w.title, w.starts_at, w.get_absolute_url()) for w in shown["workshops"]] == [
            (w.pk, w.title, w.starts_at, w.get_absolute_url()) for w in expected
        ]
    # The programme team sees every certificate being prepared, a coordinator only their own.
    assert pending == {world.staff.email: 2, world.coordinator_a.email: 0}


def test_the_programmes_from_the_relationships_the_home_read_are_those_the_database_gives(world):
    """The mentor's home finds their programmes from the relationships its mentoring panel read (the
    membership source's `of_request`): the programmes read with a query of their own, for mentors in
    one programme, in two, in none, and for a person signed in as someone else."""
    from django.test import RequestFactory

    from mentoring.selectors import programme_ids_read_for, programme_memberships
    from mentoring.tests.factories import CohortFactory, RelationshipFactory

    other_programme = Programme.objects.create(name="Second programme", slug="second-programme")
    RelationshipFactory(
        mentor=world.mentor, cohort=CohortFactory(programme=other_programme, youth_partner=world.partner_b)
    )
    for name in ("mentor", "other_mentor", "staff", "mentee_over_18"):
        person = getattr(world, name)
        request = RequestFactory().get("/")
        request.user = person
        pairs = programme_memberships(mentor_id=person.pk)
        assert sorted(programme_ids_read_for(request)) == sorted(programme for _mentor, programme in pairs)
        with_request = selectors.programmes_for_learner(user=person, request=request)
        assert with_request == selectors.programmes_for_learner(user=person), name
    assert len(selectors.programmes_for_learner(user=world.mentor)) == 2
    # Asked about someone other than the person signed in, the request's reads are not theirs.
    request = RequestFactory().get("/")
    request.user = world.other_mentor
    assert selectors.programmes_for_learner(user=world.mentor, request=request) == (
        selectors.programmes_for_learner(user=world.mentor)
    )


def test_the_mentor_home_reads_the_mentors_relationships_once(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(world.mentor)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    relationship_reads = [
        query["sql"] for query in captured if query["sql"].startswith('SELECT "mentoring_relationship"')
    ]
    assert len(relationship_reads) == 1, relationship_reads
