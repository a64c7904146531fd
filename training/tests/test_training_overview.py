"""The mentor's training panel reads status and outstanding steps together: it must say exactly what
`training_status` and `certificate_progress` say, in a number of queries that does not grow with the
mentor's programmes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import RoleAssignmentFactory
from mentoring.tests.factories import CohortFactory, ProgrammeFactory, RelationshipFactory
from training import selectors, services
from training.models import Certificate, TrainingRequirement
from training.tests.factories import WorkshopBookingFactory, WorkshopFactory, build_course, correct_answers
from training.tests.test_training_status import attend_core_workshop, complete_course

pytestmark = pytest.mark.django_db


def _separately(user):
    """What the two selectors say, one programme at a time."""
    progress = {
        (item.programme.pk if item.programme else None): item.to_do
        for item in selectors.certificate_progress(user=user)
    }
    return [
        (
            programme,
            selectors.training_status(user=user, programme=programme),
            progress.get(programme.pk if programme else None, []),
        )
        for programme in selectors.programmes_for_learner(user=user)
    ]


def _together(user):
    return [
        (item.programme, item.status, item.to_do) for item in selectors.mentor_training_overview(user=user)
    ]


def _second_programme(world, *, courses, workshop_required, name="Second Steps Mentoring"):
    programme = ProgrammeFactory(name=name)
    requirement = TrainingRequirement.objects.create(
        programme=programme, core_workshop_required=workshop_required
    )
    requirement.courses.set(courses)
    RelationshipFactory(
        mentor=world.mentor, cohort=CohortFactory(programme=programme, youth_partner=world.partner_a)
    )
    return programme


def test_a_new_mentor_with_the_default_requirement(world, level_one):
    assert _together(world.mentor) == _separately(world.mentor)
    assert _together(world.mentor)[0][2][0].text == f"{level_one.title}: not started."


def test_a_course_part_done_and_a_workshop_booked(world, level_one):
    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    module = enrolment.version.ordered_modules().first()
    services.quiz_submit(
        actor=world.mentor,
        enrolment=enrolment,
        module=module,
        selected=correct_answers(module),
        attempt_number=1,
    )
    workshop = WorkshopFactory(starts_at=timezone.now() + datetime.timedelta(days=4))
    WorkshopBookingFactory(workshop=workshop, user=world.mentor)
    together = _together(world.mentor)
    assert together == _separately(world.mentor)
    assert [step.link_text for step in together[0][2]] == ["Carry on with the course", "See the workshop"]


def test_two_programmes_with_their_own_requirements(world, level_one):
    other = build_course(title="Museum mentoring basics", slug="museum-basics", modules=1)
    _second_programme(world, courses=[other], workshop_required=False)
    RelationshipFactory(mentor=world.mentor, cohort=world.cohort_a)  # the default requirement's programme
    complete_course(world.mentor, other)
    together = _together(world.mentor)
    assert together == _separately(world.mentor)
    assert sorted(status.fully_trained for _programme, status, _to_do in together) == [False, True]


def test_fully_trained_everywhere_and_after_a_certificate(
    world, level_one, django_capture_on_commit_callbacks
):
    attend_core_workshop(world.mentor, days_ago=3)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(world.mentor, level_one)
    assert _together(world.mentor) == _separately(world.mentor)
    assert all(status.fully_trained for _programme, status, _to_do in _together(world.mentor))


def test_a_certificate_in_any_state_ends_its_list(world, level_one):
    programme = selectors.programmes_for_learner(user=world.mentor)[0]
    Certificate.objects.create(
        user=world.mentor,
        programme=programme,
        status=Certificate.Status.PENDING,
        completed_on=timezone.localdate(),
    )
    together = _together(world.mentor)
    assert together == _separately(world.mentor)
    assert together[0][2] == []
    assert not together[0][1].fully_trained


def test_someone_without_the_mentor_role_has_a_status_and_nothing_to_do(world, level_one):
    world.mentor.role_assignments.filter(role=Role.MENTOR).delete()
    user = type(world.mentor).objects.get(pk=world.mentor.pk)
    assert _together(user) == _separately(user)
    assert all(to_do == [] for _programme, _status, to_do in _together(user))


def test_the_overview_costs_the_same_queries_for_one_programme_or_several(world, level_one):
    def count():
        user = type(world.mentor).objects.get(pk=world.mentor.pk)
        user.roles  # noqa: B018  (read once, as the request has it)
        with CaptureQueriesContext(connection) as captured:
            selectors.mentor_training_overview(user=user)
        return len(captured)

    _second_programme(world, courses=[level_one], workshop_required=True)
    two = count()
    for index in range(3):
        course = build_course(title=f"Course {index}", slug=f"course-{index}", modules=1)
        _second_programme(
            world, courses=[course, level_one], workshop_required=bool(index % 2), name=f"Programme {index}"
        )
        RoleAssignmentFactory(
            user=world.mentor, role=Role.MENTOR, programme=ProgrammeFactory(name=f"Role {index}")
        )
    assert count() == two
    # The roles, the relationships and the programmes; requirements and their courses; the default
    # courses; enrolments; unstarted modules; the attended workshop; certificates; a booking.
    assert two <= 11
