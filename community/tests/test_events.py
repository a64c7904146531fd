import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.errors import ApplicationError

from .. import services
from ..models import Event, EventRegistration
from .factories import EmployerMembershipFactory, EmployerPartnerFactory, EventFactory, mentor_user

pytestmark = pytest.mark.django_db


def test_registration_fills_places_then_the_waiting_list():
    event = EventFactory(capacity=2, waiting_list=True)
    first, second, third = mentor_user(), mentor_user(), mentor_user()
    assert services.event_register(actor=first, event=event).status == EventRegistration.Status.REGISTERED
    assert services.event_register(actor=second, event=event).status == EventRegistration.Status.REGISTERED
    assert services.event_register(actor=third, event=event).status == EventRegistration.Status.WAITING


def test_a_full_event_without_a_waiting_list_refuses():
    event = EventFactory(capacity=1, waiting_list=False)
    services.event_register(actor=mentor_user(), event=event)
    with pytest.raises(ApplicationError, match="full"):
        services.event_register(actor=mentor_user(), event=event)


def test_a_mentor_cannot_register_twice_but_may_come_back_after_cancelling():
    event = EventFactory()
    mentor = mentor_user()
    registration = services.event_register(actor=mentor, event=event)
    with pytest.raises(ApplicationError, match="already"):
        services.event_register(actor=mentor, event=event)
    services.event_registration_cancel(actor=mentor, registration=registration)
    again = services.event_register(actor=mentor, event=event)
    assert again.pk == registration.pk
    assert again.status == EventRegistration.Status.REGISTERED


def test_cancelling_a_place_gives_it_to_the_first_person_waiting(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    holder, first_waiting, second_waiting = mentor_user(), mentor_user(), mentor_user()
    place = services.event_register(actor=holder, event=event)
    services.event_register(actor=first_waiting, event=event)
    services.event_register(actor=second_waiting, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_registration_cancel(actor=holder, registration=place)
    statuses = dict(event.registrations.values_list("mentor_id", "status"))
    assert statuses[first_waiting.pk] == EventRegistration.Status.REGISTERED
    assert statuses[second_waiting.pk] == EventRegistration.Status.WAITING
    assert [message.to for message in mailoutbox] == [[first_waiting.email]]


def test_only_mentors_register_and_not_for_cancelled_or_past_events(world):
    with pytest.raises(ApplicationError, match="for mentors"):
        services.event_register(actor=world.coordinator_a, event=EventFactory())
    with pytest.raises(ApplicationError, match="cancelled"):
        services.event_register(actor=world.mentor, event=EventFactory(status=Event.Status.CANCELLED))
    started = timezone.now() - datetime.timedelta(minutes=5)
    with pytest.raises(ApplicationError, match="started"):
        services.event_register(
            actor=world.mentor,
            event=EventFactory(starts_at=started, ends_at=started + datetime.timedelta(hours=1)),
        )


def test_an_employer_event_is_only_for_that_employers_mentors(client):
    employer = EmployerPartnerFactory()
    insider = EmployerMembershipFactory(employer=employer).mentor
    outsider = mentor_user()
    event = EventFactory(employer=employer)
    with pytest.raises(ApplicationError, match="not open"):
        services.event_register(actor=outsider, event=event)
    assert services.event_register(actor=insider, event=event).status == EventRegistration.Status.REGISTERED
    client.force_login(outsider)
    assert client.get(reverse("community:event_detail", kwargs={"pk": event.pk})).status_code == 404
    assert event.title not in client.get(reverse("community:event_list")).content.decode()


def test_staff_record_attendance_and_notes_but_a_mentor_cannot(world, client):
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(hours=1))
    registration = services.event_register(actor=world.mentor, event=event)
    url = reverse("community:event_attendance", kwargs={"pk": event.pk})
    data = {
        f"r{registration.pk}-attended": "yes",
        f"r{registration.pk}-notes": "Led the discussion on goals.",
    }
    client.force_login(world.mentor)
    assert client.post(url, data).status_code == 403
    client.force_login(world.staff)
    assert client.post(url, data).status_code == 302
    registration.refresh_from_db()
    assert registration.attended is True
    assert registration.notes == "Led the discussion on goals."


def test_a_registered_mentor_downloads_the_event_for_their_calendar(world, client):
    event = EventFactory(title="Goal-setting swap shop")
    services.event_register(actor=world.mentor, event=event)
    client.force_login(world.mentor)
    response = client.get(reverse("community:event_ics", kwargs={"pk": event.pk}))
    assert response.status_code == 200
    (entry,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(entry["summary"]) == "Goal-setting swap shop"
    assert entry["dtstart"].dt == event.starts_at.replace(microsecond=0)


def test_staff_create_an_event_through_the_page(world, client):
    client.force_login(world.staff)
    response = client.post(
        reverse("community:event_create"),
        {
            "title": "Greater Manchester mentors' evening",
            "format": "in_person",
            "location": "Central Library, Room 2",
            "starts_at": "2030-03-05T18:00",
            "ends_at": "2030-03-05T19:30",
            "region": "greater_manchester",
            "capacity": "20",
            "waiting_list": "on",
        },
    )
    event = Event.objects.get(title="Greater Manchester mentors' evening")
    assert response.status_code == 302
    assert event.organiser == world.staff
    assert event.capacity == 20


def test_the_event_list_keeps_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    for _ in range(12):
        event = EventFactory(capacity=5)
        services.event_register(actor=mentor_user(), event=event)
    client.force_login(world.mentor)
    # session, user, roles, events, registration counts, own registrations, nav/panel lookups
    with django_assert_max_num_queries(12):
        response = client.get(reverse("community:event_list"))
    assert response.content.decode().count("1 of 5 places taken") == 12


def test_mentor_api_lists_and_registers(world, client):
    event = EventFactory(capacity=3)
    client.force_login(world.mentor)
    listed = client.get("/api/community-events/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [event.pk]
    assert rows[0]["location"] == ""  # the joining link comes with a place
    response = client.post(f"/api/community-events/{event.pk}/register/")
    assert response.status_code == 201
    assert response.json()["status"] == "registered"
    detail = client.get(f"/api/community-events/{event.pk}/").json()
    assert detail["places_taken"] == 1
    assert detail["my_registration"] == "registered"
    assert detail["location"] == event.location
    assert client.post(f"/api/community-events/{event.pk}/register/").status_code == 400


def test_staff_create_events_through_the_api_and_mentors_cannot(world, client):
    payload = {
        "title": "Online drop-in",
        "format": "online",
        "location": "https://meet.example.org/drop-in",
        "starts_at": "2030-01-10T18:00:00Z",
        "ends_at": "2030-01-10T19:00:00Z",
    }
    client.force_login(world.mentor)
    assert client.post("/api/community-events/", payload, content_type="application/json").status_code == 403
    client.force_login(world.staff)
    response = client.post("/api/community-events/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Event.objects.get(title="Online drop-in").organiser == world.staff


def test_the_mentor_home_shows_upcoming_events_and_buddy_status(world, client, django_assert_max_num_queries):
    from .factories import BuddyPairingFactory

    event = EventFactory(title="Goals that stick")
    services.event_register(actor=world.mentor, event=event)
    EventFactory(
        title="Last month's meeting",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=30, hours=-1),
    )
    pairing = BuddyPairingFactory(new_mentor=world.mentor)
    client.force_login(world.mentor)
    # The same ceiling as the mentor home page's own test (mentoring/tests/test_home_pages.py).
    with django_assert_max_num_queries(36):
        html = client.get(reverse("home")).content.decode()
    assert "Goals that stick" in html and "you have a place" in html
    assert "Last month&#x27;s meeting" not in html and "Last month's meeting" not in html
    assert (
        f'Your buddy: <a href="{pairing.get_absolute_url()}">{pairing.experienced_mentor.get_full_name()}'
        in html
    )


def test_editing_an_event_moves_its_calendar_sequence_on(world, client):
    event = EventFactory(title="Evening meet-up")
    client.force_login(world.staff)
    response = client.post(
        reverse("community:event_update", kwargs={"pk": event.pk}),
        {
            "title": "Evening meet-up (new room)",
            "format": "in_person",
            "location": "Room 4, Central Library",
            "starts_at": "2030-03-05T18:00",
            "ends_at": "2030-03-05T19:30",
            "status": "scheduled",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.location, event.sequence) == (
        "Evening meet-up (new room)",
        "Room 4, Central Library",
        1,
    )


def test_an_event_cannot_be_both_regional_and_for_an_employer(world):
    with pytest.raises(ApplicationError, match="region or for an employer"):
        services.event_create(
            actor=world.staff,
            title="Mixed",
            region="london",
            employer=EmployerPartnerFactory(),
            starts_at=timezone.now() + datetime.timedelta(days=3),
            ends_at=timezone.now() + datetime.timedelta(days=3, hours=1),
        )


@pytest.mark.slow_ok(reason="generates the OpenAPI schema of the whole API")
def test_the_api_schema_documents_the_event_endpoints(world, client):
    client.force_login(world.mentor)
    body = client.get(reverse("api:api-schema")).content.decode()
    assert "/api/community-events/{id}/register/" in body


def test_cancelling_an_event_tells_everyone_signed_up(world, mailoutbox, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    placed, waiting, left = mentor_user(), mentor_user(), mentor_user()
    services.event_register(actor=placed, event=event)
    services.event_register(actor=waiting, event=event)
    gone = services.event_register(actor=left, event=event)
    services.event_registration_cancel(actor=left, registration=gone)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(actor=world.staff, event=event, status=Event.Status.CANCELLED)
    assert sorted(message.to[0] for message in mailoutbox) == sorted([placed.email, waiting.email])
    assert all(message.subject.startswith("Cancelled:") for message in mailoutbox)
    with pytest.raises(ApplicationError, match="cancelled"):
        services.event_register(actor=mentor_user(), event=event)


def test_the_staff_buddy_page_keeps_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    from ..models import BuddyPreference
    from .factories import BuddyPairingFactory, BuddyPreferenceFactory, experienced_mentor

    for _ in range(6):
        BuddyPreferenceFactory(mentor=experienced_mentor(), wants=BuddyPreference.Wants.OFFERING)
        BuddyPreferenceFactory()
        BuddyPairingFactory()
    client.force_login(world.staff)
    # Sign-in and navigation (about 6), the pairings, the waiting list, and two per waiting mentor
    # (the page lists at most 20 waiting mentors, so the count stays bounded).
    with django_assert_max_num_queries(24):
        html = client.get(reverse("community:buddy_home")).content.decode()
    assert html.count("Suggest this buddy") == 6


def test_the_bulletin_lists_upcoming_events_open_to_every_mentor():
    from resources.bulletin_events import upcoming_events_markdown

    today = timezone.localdate()
    EventFactory(
        title="Goals *that* stick",
        region="west_midlands",
        starts_at=timezone.now() + datetime.timedelta(days=8),
    )
    EventFactory(title="Brightwater lunch", employer=EmployerPartnerFactory())
    EventFactory(title="Far future", starts_at=timezone.now() + datetime.timedelta(days=90))
    EventFactory(title="Called off", status=Event.Status.CANCELLED)
    text = upcoming_events_markdown(today)
    assert "**Goals \\*that\\* stick**" in text and "West Midlands" in text
    for hidden in ("Brightwater lunch", "Far future", "Called off"):
        assert hidden not in text
