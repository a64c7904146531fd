"""A mentor reads what is left before their certificate; staff mark attendance from the workshop's day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from training import services
from training.models import Certificate, WorkshopBooking
from training.tests.factories import WorkshopBookingFactory, WorkshopFactory
from training.tests.test_training_status import complete_course

pytestmark = pytest.mark.django_db


def _page(client_for, user, name="training:certificate_list") -> str:
    return client_for(user).get(reverse(name)).content.decode()


def test_a_new_mentor_is_told_to_start_the_course_and_book_a_workshop(world, level_one, client_for):
    page = _page(client_for, world.mentor)
    assert "Still to do for your certificate" in page
    assert f"{level_one.title}: not started." in page
    assert f'href="{level_one.get_absolute_url()}">Start the course' in page
    assert f'href="{reverse("training:workshop_list")}">Book a workshop' in page


def test_a_mentor_who_finished_the_course_and_booked_a_workshop_is_told_it_is_booked(
    world, level_one, client_for
):
    complete_course(world.mentor, level_one)
    workshop = WorkshopFactory(
        title="Core mentor workshop: online", starts_at=timezone.now() + datetime.timedelta(days=9)
    )
    WorkshopBookingFactory(workshop=workshop, user=world.mentor)
    for name in ("training:certificate_list", "training:course_list", "home"):
        page = _page(client_for, world.mentor, name)
        assert "Core workshop: you are booked on Core mentor workshop: online" in page
        assert level_one.title + ":" not in page  # the finished course is not listed


def test_a_past_workshop_without_attendance_says_it_is_not_yet_recorded(world, level_one, client_for):
    complete_course(world.mentor, level_one)
    workshop = WorkshopFactory(starts_at=timezone.now() - datetime.timedelta(days=2))
    WorkshopBookingFactory(workshop=workshop, user=world.mentor)
    for name in ("training:certificate_list", "home"):
        assert "is not yet recorded" in _page(client_for, world.mentor, name)


def test_nothing_is_listed_once_the_certificate_is_issued(
    world, level_one, client_for, django_capture_on_commit_callbacks
):
    complete_course(world.mentor, level_one)
    workshop = WorkshopFactory(starts_at=timezone.now() - datetime.timedelta(hours=2))
    WorkshopBookingFactory(workshop=workshop, user=world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.workshop_mark_attendance(
            actor=world.staff, workshop=workshop, attended_user_ids={world.mentor.pk}
        )
    assert Certificate.objects.filter(user=world.mentor).exists()
    assert "Still to do for your certificate" not in _page(client_for, world.mentor)


@pytest.mark.parametrize("persona", ["funder", "coordinator_a", "mentee_under_16"])
def test_people_who_are_not_mentors_are_given_no_mentor_training_to_do(world, level_one, client_for, persona):
    assert "Still to do for your certificate" not in _page(
        client_for, getattr(world, persona), "training:course_list"
    )


def test_staff_mark_attendance_on_the_workshops_day_before_it_starts(world):
    now = timezone.localtime()
    later_today = min(now + datetime.timedelta(hours=1), now.replace(hour=23, minute=59))
    if later_today <= now:
        pytest.skip("a minute before midnight there is no later time today")
    workshop = WorkshopFactory(starts_at=later_today)
    booking = WorkshopBookingFactory(workshop=workshop, user=world.mentor)
    services.workshop_mark_attendance(
        actor=world.staff, workshop=workshop, attended_user_ids={world.mentor.pk}
    )
    booking.refresh_from_db()
    assert booking.attended


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (datetime.timedelta(days=1), "from the day of the workshop"),
        (-datetime.timedelta(days=31), "up to 30 days"),
    ],
)
def test_attendance_is_refused_before_the_workshops_day_and_a_month_after(world, offset, message):
    workshop = WorkshopFactory(starts_at=timezone.now() + offset)
    WorkshopBookingFactory(workshop=workshop, user=world.mentor)
    with pytest.raises(ApplicationError, match=message):
        services.workshop_mark_attendance(
            actor=world.staff, workshop=workshop, attended_user_ids={world.mentor.pk}
        )
    assert not WorkshopBooking.objects.get(workshop=workshop).attended


def test_the_workshops_facilitator_marks_attendance_from_its_page_and_nobody_else_but_staff_may(
    world, client_for
):
    workshop = WorkshopFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=1), facilitator=world.other_mentor
    )
    booking = WorkshopBookingFactory(workshop=workshop, user=world.mentor)
    attendance = reverse("training:workshop_attendance", args=[workshop.pk])

    facilitator = client_for(world.other_mentor)
    assert "Mark attendance" in facilitator.get(workshop.get_absolute_url()).content.decode()
    answer = facilitator.post(attendance, {"attended": [str(world.mentor.pk)]})
    assert answer.status_code == 302
    booking.refresh_from_db()
    assert booking.attended

    # Another mentor and a coordinator neither see the button nor reach the page.
    for person in (world.mentor, world.coordinator_a):
        client = client_for(person)
        assert "Mark attendance" not in client.get(workshop.get_absolute_url()).content.decode()
        assert client.get(attendance).status_code == 403
    with pytest.raises(ApplicationError, match="facilitator"):
        services.workshop_mark_attendance(actor=world.mentor, workshop=workshop, attended_user_ids=set())


def test_staff_name_a_facilitator_from_the_programme_team_and_mentors(world, client_for):
    from training.forms import WorkshopForm

    choices = {label for _value, label in WorkshopForm().fields["facilitator"].choices}
    assert world.other_mentor.get_full_name() in choices and world.staff.get_full_name() in choices
    assert world.mentee_under_16.get_full_name() not in choices


def test_the_mentors_home_lists_what_is_left_each_with_a_link_to_do_it(world, level_one, client_for):
    complete_course(world.mentor, level_one)
    page = _page(client_for, world.mentor, "home")
    assert "Still to do for Future Paths Mentoring" in page
    assert (
        f'Core workshop: not booked yet. <a href="{reverse("training:workshop_list")}">Book a workshop</a>'
        in page
    )
    assert f"{level_one.title}:" not in page.split("Still to do", 1)[1].split("</ul>", 1)[0]


def test_a_matched_young_persons_home_asks_for_the_induction_without_saying_they_have_not_met(
    world, client_for
):
    from mentoring.models import Relationship
    from training.tests.factories import build_course

    induction = build_course(title="Starting mentoring", audience="mentee", modules=1)
    Relationship.objects.filter(pk=world.relationship_under_16.pk).update(status="active")
    page = _page(client_for, world.mentee_under_16, "home")
    assert f"{induction.title}</a>: please complete it, as it shows what to expect from mentoring" in page
    assert "before you meet your mentor" not in page
