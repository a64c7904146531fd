"""What mentoring holds about people, for the personal data register (core/personal_data.py)."""

from core.personal_data import ANONYMISE, DELETE, KEEP, register

from .models import (
    Agreement,
    CalendarFeed,
    Closure,
    Goal,
    GoalProgress,
    HeldText,
    MentoringSession,
    NotificationPreference,
    PulseCheckIn,
    Relationship,
    RelationshipEvent,
    SentReminder,
    SessionLog,
    SupportCheckIn,
)

PAIR = ("relationship__mentor", "relationship__mentee")
CONTACT_RECORD = (
    "Safeguarding: the record of contact between an adult volunteer and a young person is needed to "
    "answer any later concern (legal obligation and public task)."
)
NOT_AUTOMATIC = "Not deleted automatically; kept with the young person's safeguarding records."


def register_entries() -> None:
    register(
        HeldText,
        section="held_text",
        title="Text held for a check",
        description="Goals, notes and requests you wrote for the other side of your relationship that "
        "seemed to contain contact details, held for the coordinator to check, and what they decided.",
        subject=("author",),
        actors=("reviewed_by",),
        fields=("relationship_id", "kind", "created_at", "status", "hold_reason", "texts", "decline_reason"),
        erasure=KEEP,
        reason="Safeguarding: an attempt to pass contact details between an adult and a young person is "
        "evidence if a concern is raised, as held messages are.",
        retention=NOT_AUTOMATIC,
    )
    register(
        Relationship,
        section="relationships",
        title="Mentoring relationships",
        description="Each mentoring relationship you were part of: who with, in which programme, its "
        "status and dates.",
        subject=("mentor", "mentee"),
        fields=(
            "mentor__first_name",
            "mentor__last_name",
            "mentee__first_name",
            "mentee__last_name",
            "cohort__programme__name",
            "cohort__youth_partner__name",
            "status",
            "started_on",
            "ended_on",
            "planned_end_on",
            "end_reason",
        ),
        erasure=KEEP,
        reason=CONTACT_RECORD,
        retention=NOT_AUTOMATIC,
    )
    register(
        RelationshipEvent,
        section="relationship_history",
        title="Changes to your relationships",
        description="When each relationship changed status, and why.",
        subject=PAIR,
        actors=("actor",),
        fields=("relationship_id", "occurred_at", "from_status", "to_status", "reason"),
        erasure=KEEP,
        reason=CONTACT_RECORD,
        retention=NOT_AUTOMATIC,
    )
    register(
        Agreement,
        section="agreements",
        title="Mentoring agreements",
        description="The agreement each pair signed at the start, and when each of you signed.",
        subject=PAIR,
        fields=("relationship_id", "text", "mentor_signed_at", "mentee_signed_at"),
        erasure=KEEP,
        reason=CONTACT_RECORD,
        retention=NOT_AUTOMATIC,
    )
    register(
        MentoringSession,
        section="sessions",
        title="Mentoring sessions",
        description="Each session planned or held: when, how long, where and its status.",
        subject=PAIR,
        fields=(
            "relationship_id",
            "number",
            "starts_at",
            "duration_minutes",
            "venue__name",
            "is_online",
            "status",
            "change_reason",
        ),
        erasure=KEEP,
        reason=CONTACT_RECORD,
        retention=NOT_AUTOMATIC,
    )
    register(
        SessionLog,
        section="session_logs",
        title="Session logs",
        description="What was written after each session: whether it was held, what you talked about, and "
        "what comes next.",
        subject=("session__relationship__mentor", "session__relationship__mentee"),
        actors=("author",),
        fields=(
            "session__relationship_id",
            "session__number",
            "session__starts_at",
            "author__first_name",
            "author__last_name",
            "held",
            "missed_by",
            "duration_minutes",
            "format",
            "topics",
            "summary",
            "next_time_notes",
            "mentee_activity",
        ),
        erasure=KEEP,
        reason=CONTACT_RECORD,
        retention=NOT_AUTOMATIC,
    )
    register(
        Goal,
        section="goals",
        title="Goals",
        description="The goals set in your mentoring relationships and their status.",
        subject=("relationship__mentee",),
        export_subject=PAIR,
        actors=("proposed_by",),
        fields=(
            "relationship_id",
            "title",
            "measure",
            "first_step",
            "why",
            "term",
            "owner",
            "target_date",
            "status",
        ),
        erasure=DELETE,
    )
    register(
        GoalProgress,
        section="goal_progress",
        title="Progress on goals",
        description="Notes on how each goal was going.",
        subject=("goal__relationship__mentee",),
        export_subject=("goal__relationship__mentor", "goal__relationship__mentee"),
        actors=("author",),
        fields=("goal__title", "created_at", "status", "note"),
        erasure=DELETE,
    )
    register(
        PulseCheckIn,
        section="pulse_check_ins",
        title="How is it going? answers",
        description="Your quick ratings of how your relationship was going, and any comment.",
        subject=("respondent",),
        fields=("relationship_id", "created_at", "rating", "comment"),
        erasure=ANONYMISE,
        anonymise={"comment": ""},
        reason="The coordinator's follow-up points at the rating; the comment is removed.",
    )
    register(
        SupportCheckIn,
        section="support_check_ins",
        title="Coordinator check-ins",
        description="When your coordinator checked in on the relationship. The coordinator's own notes are "
        "kept by the programme and are not included.",
        subject=PAIR,
        actors=("completed_by",),
        fields=("relationship_id", "kind", "due_on", "completed_at"),
        erasure=KEEP,
        reason=CONTACT_RECORD,
        retention=NOT_AUTOMATIC,
    )
    register(
        Closure,
        section="closures",
        title="Endings",
        description="How each relationship ended: whether early, the reason and whether a final meeting "
        "was held.",
        subject=PAIR,
        actors=("closed_by",),
        fields=("relationship_id", "created_at", "early", "reason", "final_meeting_held"),
        erasure=KEEP,
        reason=CONTACT_RECORD,
        retention=NOT_AUTOMATIC,
    )
    register(
        NotificationPreference,
        section="notification_preferences",
        title="Email preferences",
        description="Which reminder and news emails you chose to receive.",
        subject=("user",),
        fields=("session_reminders", "log_reminders", "monthly_digest", "bulletins"),
        erasure=DELETE,
    )
    register(
        SentReminder,
        section="reminders_sent",
        title="Reminders sent to you",
        description="Which reminder emails were sent to you, and when.",
        subject=("recipient",),
        fields=("kind", "sent_at"),
        erasure=DELETE,
    )
    register(
        CalendarFeed,
        section="calendar_feed",
        title="Calendar feed",
        description="Whether you set up a calendar feed of your sessions (its private address is not "
        "included).",
        subject=("user",),
        fields=("created_at",),
        erasure=DELETE,
    )
