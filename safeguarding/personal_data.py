"""What safeguarding holds about people, for the personal data register (core/personal_data.py)."""

from django.conf import settings
from django.db.models import Q

from core.personal_data import DELETE, KEEP, register

from .models import (
    CaseEntry,
    CaseExport,
    Concern,
    ErasureRequest,
    GiftDeclaration,
    MeetingRequest,
    MentorSuspension,
    Message,
    MessageAttachment,
    SubjectAccessExport,
)

REDACTED = "[removed on request]"
PAIR = ("relationship__mentor", "relationship__mentee")
SAFEGUARDING_RECORD = (
    "Safeguarding (legal obligation and public task; UK GDPR Article 17(3)): records of a concern about a "
    "young person are kept so that a pattern can be seen and questions answered later."
)
UNTIL_25 = (
    "Until the young person's 25th birthday; on that date the nightly retention job adds a note asking the "
    "safeguarding lead to review whether the record is still needed."
)
OVERSIGHT = (
    "Safeguarding: the programme's oversight of contact between adults and young people (legal "
    "obligation and public task)."
)
NOT_AUTOMATIC = "Not deleted automatically."


def _delivered_or_own(person_id: int) -> Q:
    # Held messages reach the other person only once released; the sender always has their own.
    return Q(status=Message.Status.DELIVERED) | Q(sender=person_id)


def _remove_attachment_files(attachments, person) -> None:
    for attachment in attachments:
        attachment.file.delete(save=False)


def register_entries() -> None:
    register(
        Concern,
        section="concerns_reported",
        title="Concerns you raised",
        description="Each safeguarding concern you raised, with its reference and status. The case record "
        "itself belongs to the safeguarding lead: ask the data protection officer for it; parts may be "
        "withheld where sharing them could put someone at risk.",
        subject=("reporter", "young_person"),
        export_subject=("reporter",),
        actors=("assigned_to", "acknowledged_by"),
        fields=("id", "kind", "created_at", "status"),
        erasure=KEEP,
        reason=SAFEGUARDING_RECORD,
        retention=UNTIL_25,
    )
    register(
        CaseEntry,
        section="case_entries",
        title="Safeguarding case notes",
        description="Notes on safeguarding case records.",
        subject=("concern__young_person", "concern__reporter"),
        export_subject=(),
        not_exported="Case notes belong to the safeguarding lead's record; ask the data protection officer.",
        actors=("author",),
        erasure=KEEP,
        reason=SAFEGUARDING_RECORD,
        retention=UNTIL_25,
    )
    register(
        CaseExport,
        section="case_copies",
        title="Copies of case records",
        description="When a copy of a case record was taken, why and for whom.",
        subject=("concern__young_person",),
        export_subject=(),
        not_exported="Part of the safeguarding lead's case record.",
        actors=("requested_by", "approved_by"),
        erasure=KEEP,
        reason=SAFEGUARDING_RECORD,
        retention=UNTIL_25,
    )
    register(
        Message,
        section="messages",
        title="Messages",
        description="The messages in your mentoring relationships: those you sent, and those delivered to "
        "you. A message held for a coordinator to check is included only once it is released.",
        subject=("sender",),
        export_subject=PAIR,
        export_where=_delivered_or_own,
        actors=("reviewed_by",),
        fields=("relationship_id", "sender__first_name", "sender__last_name", "sent_at", "status", "body"),
        erasure=KEEP,
        with_safeguarding={"body": REDACTED},
        reason="Safeguarding: messages between an adult and a young person are evidence if a concern is "
        "raised. Their text is removed now only when a second member of staff approves.",
        retention=f"The text is removed {settings.MESSAGE_RETENTION_YEARS} years after the relationship "
        "ends, by the nightly retention job.",
    )
    register(
        MessageAttachment,
        section="message_files",
        title="Files sent with messages",
        description="The name, type and size of each file sent with a message in your relationships.",
        subject=("message__sender",),
        export_subject=("message__relationship__mentor", "message__relationship__mentee"),
        export_where=lambda person_id: (
            Q(message__status=Message.Status.DELIVERED) | Q(message__sender=person_id)
        ),
        fields=("message_id", "original_name", "content_type", "size"),
        erasure=KEEP,
        with_safeguarding=DELETE,
        before_erase=_remove_attachment_files,
        reason="Part of the message it was sent with (see Messages).",
        retention="Removed with the message text when a second member of staff approves.",
    )
    register(
        MeetingRequest,
        section="meeting_requests",
        title="Requests to meet away from the platform",
        description="Requests to meet in person outside sessions: where, why and what was decided.",
        subject=PAIR,
        actors=("requested_by", "decided_by"),
        fields=(
            "relationship_id",
            "place",
            "purpose",
            "proposed_for",
            "status",
            "guardian_agreed",
            "decided_at",
            "decision_note",
        ),
        erasure=KEEP,
        reason=OVERSIGHT,
        retention=NOT_AUTOMATIC,
    )
    register(
        GiftDeclaration,
        section="gifts",
        title="Gifts declared",
        description="Gifts you declared giving or receiving, their value and what was decided.",
        subject=("mentor",),
        actors=("decided_by",),
        fields=("direction", "description", "value", "given_on", "status", "decided_at"),
        erasure=KEEP,
        reason=OVERSIGHT,
        retention=NOT_AUTOMATIC,
    )
    register(
        MentorSuspension,
        section="suspensions",
        title="Suspensions and removals",
        description="Any suspension or removal from mentoring, on what ground and its status.",
        subject=("mentor",),
        actors=("requested_by", "approved_by"),
        fields=("action", "ground", "status", "effective_at"),
        erasure=KEEP,
        reason="Safeguarding: a volunteer removed from working with young people must not be able to "
        "return unnoticed (legal obligation and public task).",
        retention=NOT_AUTOMATIC,
    )
    register(
        ErasureRequest,
        section="erasure_requests",
        title="Erasure requests",
        description="Requests to erase your data, and their status.",
        subject=("person",),
        actors=("requested_by", "approved_by"),
        fields=("created_at", "status", "completed_at"),
        erasure=KEEP,
        reason="Accountability (UK GDPR Article 5(2)): the record that an erasure was asked for, who "
        "approved it and when it was done.",
        retention=NOT_AUTOMATIC,
    )
    register(
        SubjectAccessExport,
        section="data_exports",
        title="Copies of your data",
        description="The copies of your data you asked for.",
        subject=("person",),
        export_subject=(),
        not_exported="These are the copies themselves.",
        actors=("requested_by",),
        erasure=DELETE,
    )
