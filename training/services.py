"""State changes for training: enrolling, quizzes, workshops, certificates and course versions."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from core import policy
from core.audit import audit_record
from core.email import absolute_reverse, absolute_url, email_send
from core.errors import ApplicationError
from core.signals import training_completed

from . import selectors
from .models import (
    Certificate,
    Choice,
    Course,
    CourseVersion,
    Enrolment,
    Module,
    ModuleCompletion,
    Question,
    QuizAttempt,
    Section,
    TrainingRequirement,
    Workshop,
    WorkshopBooking,
)

# Learning --------------------------------------------------------------------------------------


@transaction.atomic
def enrolment_start(*, user, course: Course) -> Enrolment:
    """Start (or return the existing) enrolment on the course's published version, due in its deadline."""
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    version = selectors.published_version(course)
    if version is None:
        raise ApplicationError("This course is not open yet.")
    today = timezone.localdate()
    enrolment = Enrolment(
        user=user,
        course=course,
        version=version,
        started_on=today,
        due_on=today + datetime.timedelta(days=course.deadline_days),
    )
    enrolment.full_clean()
    enrolment.save()
    audit_record(actor=user, action="training.enrolment_start", target=enrolment, summary=str(enrolment))
    return enrolment


def _check_can_answer(*, actor, enrolment: Enrolment, module: Module) -> None:
    if enrolment.user_id != actor.pk:
        raise ApplicationError("You can only answer quizzes on your own training.")
    if module.section.version_id != enrolment.version_id:
        raise ApplicationError("This module is not part of the course you are taking.")
    if ModuleCompletion.objects.filter(enrolment=enrolment, module=module).exists():
        raise ApplicationError("You have already completed this module.")
    if not selectors.module_is_reached(enrolment=enrolment, module=module):
        raise ApplicationError("Finish the earlier modules first: this module is not open to you yet.")


def grade_answers(*, module: Module, selected: dict[int, set[int]]) -> tuple[int, dict[str, dict]]:
    """Score selected choice ids per question against the stored answers (server side only)."""
    questions = list(module.questions.prefetch_related("choices"))
    results = {}
    correct_count = 0
    for question in questions:
        correct = {choice.pk for choice in question.choices.all() if choice.is_correct}
        valid = {choice.pk for choice in question.choices.all()}
        chosen = set(selected.get(question.pk, set())) & valid
        is_correct = chosen == correct
        correct_count += is_correct
        results[str(question.pk)] = {"chosen": sorted(chosen), "correct": is_correct}
    score = round(100 * correct_count / len(questions)) if questions else 100
    return score, results


@transaction.atomic
def quiz_submit(
    *, actor, enrolment: Enrolment, module: Module, selected: dict[int, set[int]], attempt_number: int
) -> QuizAttempt:
    """Grade a quiz submission; on a pass the module is completed. Refuses other people's training,
    modules not reached yet, modules already passed and repeated submissions of the same attempt."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    _check_can_answer(actor=actor, enrolment=enrolment, module=module)
    expected = QuizAttempt.objects.filter(enrolment=enrolment, module=module).count() + 1
    if attempt_number != expected:
        raise ApplicationError("These answers were already submitted. Your progress has not changed.")
    for position, question_id in enumerate(module.questions.values_list("pk", flat=True), start=1):
        if not selected.get(question_id):
            raise ApplicationError(
                f"Choose an answer to question {position} before submitting.", field=f"question_{question_id}"
            )
    score, results = grade_answers(module=module, selected=selected)
    passed = score >= module.pass_mark
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                enrolment=enrolment,
                module=module,
                number=expected,
                score=score,
                passed=passed,
                answers=results,
            )
    except IntegrityError:
        raise ApplicationError(
            "These answers were already submitted. Your progress has not changed."
        ) from None
    enrolment.last_module = module
    enrolment.save(update_fields=["last_module", "updated_at"])
    if passed:
        _module_complete(enrolment=enrolment, module=module, score=score)
    return attempt


@transaction.atomic
def module_mark_read(*, actor, enrolment: Enrolment, module: Module) -> ModuleCompletion:
    """Complete a module that has no quiz."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
    _check_can_answer(actor=actor, enrolment=enrolment, module=module)
    if module.questions.exists():
        raise ApplicationError("Answer the quiz to complete this module.")
    return _module_complete(enrolment=enrolment, module=module, score=None)


def _module_complete(*, enrolment: Enrolment, module: Module, score: int | None) -> ModuleCompletion:
    completion = ModuleCompletion.objects.create(enrolment=enrolment, module=module, score=score)
    remaining = enrolment.version.ordered_modules().exclude(
        pk__in=enrolment.module_completions.values("module_id")
    )
    if not remaining.exists():
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at", "updated_at"])
        audit_record(
            actor=enrolment.user,
            action="training.course_complete",
            target=enrolment,
            summary=f"{enrolment} (version {enrolment.version.number})",
        )
        training_check_completion(user=enrolment.user)
    return completion


# Completion and certificates --------------------------------------------------------------------


@transaction.atomic
def training_check_completion(*, user) -> list[Certificate]:
    """For each programme the person is fully trained for and has no certificate yet: create one,
    send `training_completed` and render it when the transaction commits."""
    from .tasks import certificate_render

    created = []
    # Those already certified need no status (several queries each): one query finds them all.
    certified = set(Certificate.objects.filter(user=user).values_list("programme_id", flat=True))
    for programme in selectors.programmes_for_learner(user=user):
        if (programme.pk if programme is not None else None) in certified:
            continue
        status = selectors.training_status(user=user, programme=programme)
        if not status.fully_trained:
            continue
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    user=user,
                    programme=programme,
                    holder_name=user.get_full_name() or user.email,
                    title=selectors.certificate_title(programme),
                    completed_on=status.completed_on or timezone.localdate(),
                )
        except IntegrityError:
            continue  # created at the same moment by another request: one certificate only
        audit_record(
            actor=None, action="training.certificate_create", target=certificate, summary=str(certificate)
        )
        training_completed.send(sender=Certificate, user=user, programme=programme)
        certificate_render.delay_on_commit(certificate.pk)
        created.append(certificate)
    return created


def render_certificate_pdf(certificate: Certificate) -> bytes:
    from .pdf import render_pdf

    html = render_to_string(
        "training/pdf/certificate.html",
        {
            "certificate": certificate,
            "verify_url": absolute_url(certificate.get_verify_url()),
            "site_name": settings.SITE_NAME,
        },
    )
    return render_pdf(html)


def certificate_issue(*, certificate_id: int, regenerate: bool = False) -> Certificate:
    """Render, store and email a certificate. Idempotent: an issued certificate is left alone unless
    `regenerate` is asked for, which redraws the same certificate (same code) without emailing again."""
    certificate = Certificate.objects.select_related("programme", "user").get(pk=certificate_id)
    if certificate.status == Certificate.Status.REVOKED:
        return certificate
    if certificate.status == Certificate.Status.ISSUED and not regenerate:
        return certificate
    pdf = render_certificate_pdf(certificate)
    path = f"certificates/{certificate.code}.pdf"
    if default_storage.exists(path):
        default_storage.delete(path)
    stored = default_storage.save(path, ContentFile(pdf))
    with transaction.atomic():
        claimed = Certificate.objects.filter(pk=certificate.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        Certificate.objects.filter(pk=certificate.pk).exclude(status=Certificate.Status.REVOKED).update(
            status=Certificate.Status.ISSUED, pdf_path=stored
        )
        Certificate.objects.filter(pk=certificate.pk, issued_at__isnull=True).update(issued_at=timezone.now())
        certificate.refresh_from_db()
        if claimed:
            # Recorded with the claim, so the email is neither lost nor sent twice if the worker dies.
            link = absolute_reverse("training:certificate_detail", certificate.pk)
            email_send(
                to=[certificate.user.email],
                subject=f"Your certificate of achievement: {certificate.title}",
                body=render_to_string(
                    "training/email/certificate.txt",
                    {"certificate": certificate, "link": link, "site_name": settings.SITE_NAME},
                ),
            )
    return certificate


def certificates_due_again(*, now=None):
    """Certificates still being prepared WORK_REQUEUE_AFTER seconds after they were asked for: their
    task was lost (broker restarted) or their worker died."""
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=settings.WORK_REQUEUE_AFTER)
    return Certificate.objects.filter(status=Certificate.Status.PENDING, updated_at__lt=since)


def certificates_resume(*, now=None, limit: int = 1000) -> int:
    """Issue the certificates certificates_due_again() finds; returns how many were issued."""
    issued = 0
    for certificate_id in certificates_due_again(now=now).order_by("pk").values_list("pk", flat=True)[:limit]:
        certificate = certificate_issue(certificate_id=certificate_id)
        issued += certificate.status == Certificate.Status.ISSUED
    return issued


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate: its code then verifies as revoked."""
    if certificate.status == Certificate.Status.REVOKED:
        raise ApplicationError("This certificate is already revoked.")
    if not reason.strip():
        raise ApplicationError("Give a reason for revoking.", field="reason")
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()[:300]
    certificate.save(update_fields=["status", "revoked_at", "revoked_reason", "updated_at"])
    audit_record(actor=actor, action="training.certificate_revoke", target=certificate, summary=reason[:200])
    return certificate


@transaction.atomic
def certificate_regenerate(*, actor, certificate: Certificate) -> Certificate:
    """Ask for the same certificate to be drawn again (never a second certificate)."""
    from .tasks import certificate_render

    if certificate.status == Certificate.Status.REVOKED:
        raise ApplicationError("A revoked certificate cannot be regenerated.")
    audit_record(
        actor=actor, action="training.certificate_regenerate", target=certificate, summary=str(certificate)
    )
    certificate_render.delay_on_commit(certificate.pk, regenerate=True)
    return certificate


# Workshops -------------------------------------------------------------------------------------


@transaction.atomic
def workshop_save(*, actor, workshop: Workshop) -> Workshop:
    creating = workshop.pk is None
    workshop.full_clean()
    workshop.save()
    audit_record(
        actor=actor,
        action="training.workshop_create" if creating else "training.workshop_update",
        target=workshop,
    )
    return workshop


@transaction.atomic
def workshop_book(*, user, workshop: Workshop) -> WorkshopBooking:
    """Book a place, or re-book a cancelled one, while places remain and before it starts."""
    workshop = Workshop.objects.select_for_update(of=("self",)).get(pk=workshop.pk)
    if workshop.starts_at <= timezone.now():
        raise ApplicationError("This workshop has already started.")
    booking = WorkshopBooking.objects.filter(workshop=workshop, user=user).first()
    if booking is not None and booking.status == WorkshopBooking.Status.BOOKED:
        raise ApplicationError("You already have a place on this workshop.")
    taken = workshop.bookings.filter(status=WorkshopBooking.Status.BOOKED).count()
    if taken >= workshop.capacity:
        raise ApplicationError("This workshop is full. Please choose another date.")
    if booking is None:
        booking = WorkshopBooking(workshop=workshop, user=user)
    booking.status = WorkshopBooking.Status.BOOKED
    booking.save()
    audit_record(actor=user, action="training.workshop_book", target=booking, summary=str(booking))
    return booking


@transaction.atomic
def workshop_cancel(*, user, workshop: Workshop) -> WorkshopBooking:
    booking = WorkshopBooking.objects.filter(
        workshop=workshop, user=user, status=WorkshopBooking.Status.BOOKED
    ).first()
    if booking is None:
        raise ApplicationError("You do not have a place on this workshop.")
    if booking.attended:
        raise ApplicationError("Your attendance is already recorded.")
    booking.status = WorkshopBooking.Status.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    audit_record(actor=user, action="training.workshop_cancel", target=booking, summary=str(booking))
    return booking


ATTENDANCE_DAYS = 30


@transaction.atomic
def workshop_mark_attendance(*, actor, workshop: Workshop, attended_user_ids: set[int]) -> int:
    """Record who attended (staff), from the workshop's day to ATTENDANCE_DAYS after it. People newly
    marked may become fully trained."""
    policy.require(actor, "training.mark_attendance", workshop, refuse_with=ApplicationError)
    day = timezone.localtime(workshop.starts_at).date()
    today = timezone.localdate()
    if today < day:
        raise ApplicationError(f"Attendance can be marked from the day of the workshop, {day:%d %B %Y}.")
    if today > day + datetime.timedelta(days=ATTENDANCE_DAYS):
        raise ApplicationError(f"Attendance can be marked up to {ATTENDANCE_DAYS} days after the workshop.")
    newly = []
    for booking in workshop.bookings.filter(status=WorkshopBooking.Status.BOOKED).select_related("user"):
        attended = booking.user_id in attended_user_ids
        if attended != booking.attended:
            booking.attended = attended
            booking.attendance_marked_at = timezone.now()
            booking.save(update_fields=["attended", "attendance_marked_at", "updated_at"])
            if attended:
                newly.append(booking.user)
    audit_record(
        actor=actor,
        action="training.workshop_attendance",
        target=workshop,
        summary=f"{len(attended_user_ids)} attended",
    )
    for user in newly:
        training_check_completion(user=user)
    return len(newly)


@transaction.atomic
def workshop_feedback(
    *, user, workshop: Workshop, rating: int, would_recommend: bool, comments: str = ""
) -> WorkshopBooking:
    booking = WorkshopBooking.objects.filter(workshop=workshop, user=user, attended=True).first()
    if booking is None:
        raise ApplicationError("Feedback is for people who attended this workshop.")
    booking.rating = rating
    booking.would_recommend = would_recommend
    booking.comments = comments
    booking.full_clean()
    booking.save(update_fields=["rating", "would_recommend", "comments", "updated_at"])
    return booking


# Authoring -------------------------------------------------------------------------------------


@transaction.atomic
def course_create(*, actor, course: Course) -> CourseVersion:
    """Create a course with an empty first draft version."""
    if not course.slug:
        course.slug = slugify(course.title)[:160]
    course.full_clean()
    course.save()
    version = CourseVersion.objects.create(course=course, number=1)
    audit_record(actor=actor, action="training.course_create", target=course, summary=str(course))
    return version


@transaction.atomic
def course_update(*, actor, course: Course) -> Course:
    course.full_clean()
    course.save()
    audit_record(actor=actor, action="training.course_update", target=course, summary=str(course))
    return course


def _copy_version(source: CourseVersion, number: int) -> CourseVersion:
    version = CourseVersion.objects.create(course=source.course, number=number)
    for section in source.sections.prefetch_related("modules__questions__choices"):
        modules = list(section.modules.all())
        section.pk = None
        section.version = version
        section.save()
        for module in modules:
            questions = list(module.questions.all())
            module.pk = None
            module.section = section
            module.save()
            for question in questions:
                choices = list(question.choices.all())
                question.pk = None
                question.module = module
                question.save()
                for choice in choices:
                    choice.pk = None
                    choice.question = question
                Choice.objects.bulk_create(choices)
    return version


@transaction.atomic
def version_draft_for_edit(*, actor, course: Course) -> CourseVersion:
    """The draft to edit: the open draft, or a new copy of the published version. Published content
    is never edited in place, so people who completed it keep the version they completed."""
    draft = course.versions.filter(status=CourseVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    source = course.versions.order_by("-number").first()
    number = (source.number + 1) if source else 1
    draft = _copy_version(source, number) if source else CourseVersion.objects.create(course=course, number=1)
    audit_record(actor=actor, action="training.version_draft", target=draft, summary=str(draft))
    return draft


def ensure_draft(version: CourseVersion) -> None:
    if version.status != CourseVersion.Status.DRAFT:
        raise ApplicationError("Published content cannot be edited in place: start a new draft first.")


@transaction.atomic
def version_publish(*, actor, version: CourseVersion) -> CourseVersion:
    """Publish a draft; the previously published version is retired (its completions stay valid)."""
    ensure_draft(version)
    if not Module.objects.filter(section__version=version).exists():
        raise ApplicationError("Add at least one module before publishing.")
    CourseVersion.objects.filter(course=version.course, status=CourseVersion.Status.PUBLISHED).update(
        status=CourseVersion.Status.RETIRED
    )
    version.status = CourseVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="training.version_publish", target=version, summary=str(version))
    return version


@transaction.atomic
def section_save(*, actor, section: Section) -> Section:
    """Add or rename a section of a draft version."""
    ensure_draft(section.version)
    section.full_clean()
    section.save()
    audit_record(actor=actor, action="training.section_save", target=section.version, summary=section.title)
    return section


@transaction.atomic
def section_delete(*, actor, section: Section) -> None:
    """Remove a section, with its modules and questions, from a draft version."""
    ensure_draft(section.version)
    audit_record(actor=actor, action="training.section_delete", target=section.version, summary=section.title)
    section.delete()


@transaction.atomic
def module_save(*, actor, module: Module) -> Module:
    ensure_draft(module.section.version)
    module.full_clean()
    module.save()
    audit_record(actor=actor, action="training.module_save", target=module, summary=module.title)
    return module


@transaction.atomic
def module_delete(*, actor, module: Module) -> None:
    """Remove a module, with its questions, from a draft version."""
    ensure_draft(module.section.version)
    audit_record(
        actor=actor, action="training.module_delete", target=module.section.version, summary=module.title
    )
    module.delete()


def choices_clean(*, kind: str, choices: list[tuple[str, bool, str]]) -> list[tuple[str, bool, str]]:
    """Blank answers are dropped; the rest must hold at least two answers and one correct (exactly one
    unless the question is multiple choice)."""
    choices = [
        (text.strip(), correct, feedback.strip()) for text, correct, feedback in choices if text.strip()
    ]
    if len(choices) < 2:
        raise ApplicationError("Give at least two answers.", field="choice_1_text")
    correct_count = sum(1 for _text, correct, _feedback in choices if correct)
    if correct_count == 0:
        raise ApplicationError("Mark at least one answer as correct.", field="choice_1_correct")
    if kind != Question.Kind.MULTIPLE and correct_count != 1:
        raise ApplicationError(
            "A single-choice or scenario question has exactly one correct answer.", field="choice_1_correct"
        )
    return choices


def _create_choices(question: Question, choices: list[tuple[str, bool, str]]) -> None:
    Choice.objects.bulk_create(
        Choice(question=question, text=text, is_correct=correct, feedback=feedback, order=index)
        for index, (text, correct, feedback) in enumerate(choices)
    )


@transaction.atomic
def question_create(
    *, actor, module: Module, kind: str, prompt: str, explanation: str, choices: list[tuple[str, bool, str]]
) -> Question:
    """Add a question with its choices; at least two choices and one correct (exactly one unless multiple)."""
    ensure_draft(module.section.version)
    choices = choices_clean(kind=kind, choices=choices)
    question = Question(
        module=module, kind=kind, prompt=prompt, explanation=explanation, order=module.questions.count() + 1
    )
    question.full_clean()
    question.save()
    _create_choices(question, choices)
    return question


@transaction.atomic
def question_update(
    *,
    actor,
    question: Question,
    kind: str,
    prompt: str,
    explanation: str,
    choices: list[tuple[str, bool, str]],
) -> Question:
    """Edit a draft question in place: its text, kind, explanation and its answers with their feedback.
    Everything is checked before anything is written, so a refused edit leaves the question as it was."""
    ensure_draft(question.module.section.version)
    choices = choices_clean(kind=kind, choices=choices)
    question.kind = kind
    question.prompt = prompt
    question.explanation = explanation
    question.full_clean()
    question.save()
    # A draft has never been published, so no attempt refers to these choices and they can be replaced.
    question.choices.all().delete()
    _create_choices(question, choices)
    audit_record(actor=actor, action="training.question_update", target=question.module, summary=prompt[:200])
    return question


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    ensure_draft(question.module.section.version)
    question.delete()


@transaction.atomic
def training_requirement_save(*, actor, requirement: TrainingRequirement, courses) -> TrainingRequirement:
    """Set what a programme requires; its mentors are then checked again (in a task) so anyone the new
    rule counts as fully trained gets their certificate."""
    from .tasks import programme_recheck_training

    requirement.full_clean()
    requirement.save()
    requirement.courses.set(courses)
    audit_record(
        actor=actor,
        action="training.requirement_update",
        target=requirement.programme,
        summary=", ".join(course.title for course in courses) or "no courses",
        details={"core_workshop_required": requirement.core_workshop_required},
    )
    programme_recheck_training.delay_on_commit(requirement.programme_id)
    return requirement


def programme_mentor_ids(*, programme_id: int) -> set[int]:
    from .membership import mentor_programme_pairs

    return {mentor_id for mentor_id, _programme in mentor_programme_pairs(programme_id=programme_id)}


# Reminders -------------------------------------------------------------------------------------

REMINDER_DAYS_BEFORE = 3


@transaction.atomic
def enrolment_send_reminder(*, enrolment_id: int) -> bool:
    """Email one reminder before the deadline; claims the row so a second run sends nothing. The
    claim and the recorded email commit together."""
    today = timezone.localdate()
    claimed = Enrolment.objects.filter(
        pk=enrolment_id, completed_at__isnull=True, reminder_sent_on__isnull=True
    ).update(reminder_sent_on=today)
    if not claimed:
        return False
    enrolment = Enrolment.objects.select_related("user", "course").get(pk=enrolment_id)
    email_send(
        to=[enrolment.user.email],
        subject=f"Reminder: finish {enrolment.course.title} by {enrolment.due_on:%d %B}",
        body=render_to_string(
            "training/email/reminder.txt",
            {
                "enrolment": enrolment,
                "link": absolute_url(enrolment.course.get_absolute_url()),
                "site_name": settings.SITE_NAME,
            },
        ),
    )
    return True
