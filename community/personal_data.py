"""What community holds about people, for the personal data register (core/personal_data.py)."""

from core.personal_data import DELETE, KEEP, not_personal_data, register

from .models import (
    BuddyMessage,
    BuddyPairing,
    BuddyPreference,
    EmployerContact,
    EmployerMembership,
    Event,
    EventRegistration,
)


def register_entries() -> None:
    register(
        EmployerMembership,
        section="employer",
        title="Your employer",
        description="The employer partner you mentor through.",
        subject=("mentor",),
        fields=("employer__name",),
        erasure=DELETE,
    )
    register(
        EmployerContact,
        section="employer_contact",
        title="Employer partners you are the contact for",
        description="The employer partners for which you are the named contact.",
        subject=("user",),
        fields=("employer__name",),
        erasure=DELETE,
    )
    register(
        EventRegistration,
        section="event_sign_ups",
        title="Community events",
        description="The events you signed up for, and whether you attended.",
        subject=("mentor",),
        fields=("event__title", "event__starts_at", "status", "attended", "notes"),
        erasure=DELETE,
    )
    register(
        BuddyPreference,
        section="buddy_preference",
        title="Buddy scheme preference",
        description="Whether you want a buddy, or to be one.",
        subject=("mentor",),
        fields=("wants", "is_active"),
        erasure=DELETE,
    )
    register(
        BuddyPairing,
        section="buddy_pairings",
        title="Buddy pairings",
        description="The mentors you were paired with as buddies.",
        subject=("new_mentor", "experienced_mentor"),
        actors=("suggested_by",),
        fields=(
            "new_mentor__first_name",
            "new_mentor__last_name",
            "experienced_mentor__first_name",
            "experienced_mentor__last_name",
            "status",
            "new_accepted_at",
            "experienced_accepted_at",
            "ended_at",
        ),
        erasure=KEEP,
        reason="The other mentor's side of the conversation belongs to the pairing; the erased person's "
        "own messages are deleted and their account no longer names them.",
        retention="Not deleted automatically.",
    )
    register(
        BuddyMessage,
        section="buddy_messages",
        title="Buddy messages",
        description="The messages in your buddy pairings.",
        subject=("author",),
        export_subject=("pairing__new_mentor", "pairing__experienced_mentor"),
        fields=("pairing_id", "author__first_name", "author__last_name", "created_at", "body"),
        erasure=DELETE,
    )
    not_personal_data(
        Event,
        reason="A community event; it only names the member of staff who organises it.",
        actors=("organiser",),
    )
