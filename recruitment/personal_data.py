"""What recruitment holds about people, for the personal data register (core/personal_data.py)."""

from core.personal_data import ANONYMISE, DELETE, KEEP, register
from recruitment.models import (
    Application,
    ConsentRecord,
    ConsentRequest,
    Invitation,
    MenteeImport,
    Reference,
    RenewalReminder,
    ScreeningCheck,
)


def _without_person(row: MenteeImport, person) -> list:
    email = (person.email or "").lower()
    return [line for line in row.rows if str(line.get("email", "")).lower() != email]


def register_entries() -> None:
    register(
        Application,
        section="applications",
        title="Applications",
        description="Each application you made to a programme: what you told us, its status and the "
        "decision.",
        subject=("user",),
        actors=("decided_by",),
        fields=(
            "programme__name",
            "role",
            "status",
            "submitted_at",
            "decided_at",
            "decline_ground__label",
            "feedback",
            "region",
            "hobbies",
            "support_areas",
            "background",
            "sector",
            "job_title",
            "languages",
            "available_days",
            "available_times",
            "months_away",
            "capacity",
            "open_to_one_to_two",
            "preferred_settings",
            "conflicts_of_interest",
            "bio",
            "date_of_birth",
            "stage",
            "youth_partner__name",
            "careers_of_interest",
            "goals",
            "pairing_preference",
            "willing_outside_region",
            "accessibility_needs",
        ),
        erasure=ANONYMISE,
        anonymise={
            "feedback": "",
            "hobbies": "",
            "support_areas": [],
            "job_title": "",
            "languages": "",
            "preferred_settings": [],
            "conflicts_of_interest": "",
            "bio": "",
            "date_of_birth": None,
            "careers_of_interest": "",
            "goals": "",
            "accessibility_needs": "",
        },
        reason="That the person applied, and the decision, stay because the safer-recruitment record "
        "(screening) belongs to the application; everything they wrote is removed.",
    )
    register(
        ScreeningCheck,
        section="screening",
        title="Screening checks",
        description="The identity and background checks made before you could mentor, and their outcome.",
        subject=("application__user",),
        actors=("checked_by",),
        fields=(
            "application__programme__name",
            "identity_status",
            "background_check_status",
            "background_check_level",
            "certificate_issued_on",
            "update_service",
            "renewal_due_on",
            "barred_list_result",
            "check_decision",
            "checked_on",
            "code_of_conduct_accepted_at",
            "safeguarding_policy_accepted_at",
            "interview_status",
        ),
        erasure=ANONYMISE,
        anonymise={"interview_notes": "", "certificate_last4": ""},
        reason="Safer recruitment: the record that an adult was vetted before working with young people "
        "is part of the safeguarding record (legal obligation and public task). Interview notes and "
        "the certificate number are removed.",
    )
    register(
        RenewalReminder,
        section="screening_renewal_reminders",
        title="Background check renewal reminders",
        description="When we reminded you that a background check was due for renewal.",
        subject=("screening__application__user",),
        fields=("renewal_due_on", "sent_at"),
        erasure=DELETE,
    )
    register(
        Reference,
        section="references",
        title="References",
        description="The referees you named and when each reference was asked for and received. What a "
        "referee wrote is given in confidence and is not included.",
        subject=("application__user",),
        fields=("application__programme__name", "referee_name", "known_as", "sent_at", "received_at"),
        erasure=DELETE,
    )
    register(
        Invitation,
        section="invitations",
        title="Invitations to the platform",
        description="When an invitation to set up your account was sent and used.",
        subject=("user",),
        actors=("sent_by",),
        fields=("sent_at", "expires_at", "used_at"),
        erasure=DELETE,
    )
    register(
        MenteeImport,
        section="mentee_imports",
        title="Lists of mentees from youth partners",
        description="Files of mentees a youth partner uploaded.",
        subject=("invitations__user",),
        export_subject=(),
        not_exported="A youth partner's file lists other young people; your own details from it are "
        "in your account and mentee profile.",
        actors=("uploaded_by",),
        erasure=ANONYMISE,
        anonymise={"rows": _without_person},
        reason="The file is the youth partner's record of whom they referred; the person's row is "
        "removed from it.",
    )
    register(
        ConsentRequest,
        section="consent_requests",
        title="Requests for a parent's consent",
        description="When we asked a parent or carer to agree to your taking part, and whom we asked.",
        subject=("mentee",),
        actors=("requested_by",),
        fields=("parent_name", "sent_at", "expires_at", "used_at", "text_version"),
        erasure=DELETE,
    )
    register(
        ConsentRecord,
        section="consent",
        title="Consent",
        description="The consent given for you to take part: by whom, when, the words they agreed to, and "
        "any withdrawal.",
        subject=("mentee",),
        actors=("withdrawn_by",),
        fields=(
            "scope",
            "given_by_name",
            "given_by_relationship",
            "given_at",
            "text_version",
            "text",
            "withdrawn_at",
            "withdrawal_reason",
        ),
        erasure=KEEP,
        reason="UK GDPR Article 7(1): we must be able to show that consent was given for a child to "
        "take part, for as long as the records of their taking part are kept.",
        retention="Kept with the relationship and safeguarding records of the young person.",
    )
