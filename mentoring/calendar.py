"""iCalendar for sessions: the private feed and the .ics files attached to emails.

What an event says depends on who reads it. A mentor sees only the mentee's first name; no event
ever carries a mentee's email, phone or address, whatever their age.
"""

from django.conf import settings
from icalendar import Calendar, Event

from core.email import absolute_url, site_hostname

from .models import MentoringSession


def _title_for(session: MentoringSession, viewer) -> str:
    relationship = session.relationship
    if viewer is not None and viewer.pk == relationship.mentee_id:
        other = relationship.mentor.get_full_name()
    elif viewer is not None and viewer.pk == relationship.mentor_id:
        other = relationship.mentee.first_name
    else:
        other = f"{relationship.mentor.get_full_name()} and {relationship.mentee.first_name}"
    return f"Mentoring session {session.number}: {other}"


def session_event(session: MentoringSession, viewer) -> Event:
    event = Event()
    event.add("uid", f"mentoring-session-{session.pk}@{site_hostname()}")
    event.add("dtstamp", session.updated_at)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("sequence", session.sequence)
    event.add("summary", _title_for(session, viewer))
    event.add("location", session.where)
    description = [f"Session {session.number} of the mentoring relationship."]
    if session.venue_id and session.venue.details:
        description.append(session.venue.details)
    description.append(f"Details: {absolute_url(session.get_absolute_url())}")
    event.add("description", "\n".join(description))
    if session.status == MentoringSession.Status.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def calendar_for(sessions, viewer, *, name: str = "Mentoring sessions", method: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Mentoring sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    for session in sessions:
        calendar.add_component(session_event(session, viewer))
    return calendar.to_ical()
