"""What training holds about people, for the personal data register (core/personal_data.py)."""

from django.core.files.storage import default_storage

from core.personal_data import ANONYMISE, KEEP, not_personal_data, register

from .models import Certificate, Enrolment, ModuleCompletion, QuizAttempt, Workshop, WorkshopBooking

TRAINING_EVIDENCE = (
    "Safeguarding: evidence that a volunteer completed the training required before working with young "
    "people (legal obligation and public task)."
)
NOT_AUTOMATIC = "Not deleted automatically."


def _remove_certificate_files(certificates, person) -> None:
    for path in certificates.exclude(pdf_path="").values_list("pdf_path", flat=True):
        if default_storage.exists(path):
            default_storage.delete(path)


def register_entries() -> None:
    register(
        Enrolment,
        section="training_enrolments",
        title="Training courses",
        description="The courses you started, when they were due and when you completed them.",
        subject=("user",),
        fields=("course__title", "version__number", "started_on", "due_on", "completed_at"),
        erasure=KEEP,
        reason=TRAINING_EVIDENCE,
        retention=NOT_AUTOMATIC,
    )
    register(
        ModuleCompletion,
        section="training_modules",
        title="Course modules completed",
        description="Each module you finished, when, and your score.",
        subject=("enrolment__user",),
        fields=("enrolment__course__title", "module__title", "completed_at", "score"),
        erasure=KEEP,
        reason=TRAINING_EVIDENCE,
        retention=NOT_AUTOMATIC,
    )
    register(
        QuizAttempt,
        section="quiz_attempts",
        title="Quiz attempts",
        description="Each quiz you took: your answers, score and whether you passed.",
        subject=("enrolment__user",),
        fields=(
            "enrolment__course__title",
            "module__title",
            "number",
            "submitted_at",
            "score",
            "passed",
            "answers",
        ),
        erasure=ANONYMISE,
        anonymise={"answers": {}},
        reason="The score and the pass stay as evidence of training; the answers are removed.",
    )
    register(
        WorkshopBooking,
        section="workshop_bookings",
        title="Workshop bookings",
        description="Workshops you booked, whether you attended, and your feedback.",
        subject=("user",),
        fields=(
            "workshop__title",
            "workshop__starts_at",
            "status",
            "attended",
            "rating",
            "would_recommend",
            "comments",
        ),
        erasure=ANONYMISE,
        anonymise={"comments": "", "rating": None, "would_recommend": None},
        reason="Attendance stays as evidence of training; the feedback is removed.",
    )
    register(
        Certificate,
        section="certificates",
        title="Certificates",
        description="The certificates issued to you, with their verification codes.",
        subject=("user",),
        fields=(
            "title",
            "holder_name",
            "programme__name",
            "completed_on",
            "code",
            "status",
            "issued_at",
            "revoked_at",
            "revoked_reason",
        ),
        erasure=ANONYMISE,
        anonymise={"holder_name": "Erased person", "pdf_path": ""},
        before_erase=_remove_certificate_files,
        reason="The code stays so a certificate shown earlier can still be checked; the name and the "
        "PDF are removed.",
    )
    not_personal_data(
        Workshop,
        reason="A training event; it only names the person who runs it and marks attendance.",
        actors=("facilitator",),
    )
