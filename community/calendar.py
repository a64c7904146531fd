"""An .ics file for a community event a mentor has signed up for. Events never name a mentee."""

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from core.email import absolute_url, site_hostname

from .models import Event


def event_calendar(event: Event) -> bytes:
    entry = CalendarEvent()
    entry.add("uid", f"community-event-{event.pk}@{site_hostname()}")
    entry.add("dtstamp", event.updated_at)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("sequence", event.sequence)
    entry.add("summary", event.title)
    entry.add("location", event.location or event.get_format_display())
    entry.add(
        "description",
        f"{event.description}\n\nDetails: {absolute_url(event.get_absolute_url())}".strip(),
    )
    entry.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Community events//EN")
    calendar.add("version", "2.0")
    calendar.add_component(entry)
    return calendar.to_ical()
