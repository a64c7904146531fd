"""Recruitment state changes: applications, screening, references, imports, invitations and consent.

Each service validates, saves, writes its audit row and queues its emails in one transaction.
"""

import datetime
import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile, Role, RoleAssignment, User
from core.audit import audit_record
from core.email import email_send
from core.errors import ApplicationError
from core.signals import application_submitted
from programmes.models import Cohort, YouthPartner
from recruitment.models import (
    CONSENT_TEXT,
    Application,
    ApplicationWindow,
    ConsentRecord,
    ConsentRequest,
    DeclineGround,
    Invitation,
    MenteeImport,
    Reference,
    RenewalReminder,
    ScreeningCheck,
    hash_token,
)

from . import tasks
from .emails import absolute_url, send_now, send_on_commit
from .imports import parse_mentee_file

logger = logging.getLogger(__name__)

REFERENCE_VALID_FOR = timedelta(days=14)
INVITATION_VALID_FOR = timedelta(days=14)
CONSENT_VALID_FOR = timedelta(days=7)
CONSENT_SALT = "accounts.consent-request"


# Applications -----------------------------------------------------------------------------------


def open_window(*, programme, role: str, on: datetime.date | None = None) -> ApplicationWindow | None:
    on = on or timezone.localdate()
    return (
        ApplicationWindow.objects.filter(programme=programme, role=role, opens_on__lte=on, closes_on__gte=on)
        .order_by("closes_on")
        .first()
    )


@transaction.atomic
def application_save_draft(
    *, actor: User, application: Application, industries=None, interests=None, conflict_partners=None
) -> Application:
    """Create or update an applicant's own draft; drafts may be incomplete."""
    if application.pk and application.status != Application.Status.DRAFT:
        raise ApplicationError("This application has been submitted and can no longer be changed.")
    if application.pk is None:
        application.window = open_window(programme=application.programme, role=application.role)
        if application.window is None and not invited_by_partner(application):
            raise ApplicationError("Applications for this programme are closed at the moment.")
        if Application.objects.filter(
            user=application.user,
            programme=application.programme,
            role=application.role,
            status__in=Application.ACTIVE_STATUSES,
        ).exists():
            raise ApplicationError("You already have an application for this programme.")
    application.full_clean(validate_constraints=False)
    application.save()
    if industries is not None:
        application.industries.set(industries)
    if interests is not None:
        application.interests.set(interests)
    if conflict_partners is not None:
        application.conflict_partners.set(conflict_partners)
    return application


def invited_by_partner(application: Application) -> bool:
    """Mentees brought in by their school or college may apply outside the public window."""
    return (
        application.role == Role.MENTEE and MenteeProfile.objects.filter(user_id=application.user_id).exists()
    )


@transaction.atomic
def application_submit(
    *,
    actor: User,
    application: Application,
    accepted_code_of_conduct: bool = False,
    accepted_safeguarding_policy: bool = False,
) -> Application:
    """Submit a complete draft: it is screened next, the applicant is emailed, and the
    `application_submitted` signal asks for the mandatory pre-evaluation (once)."""
    missing = application.missing_for_submission()
    if application.role == Role.MENTOR:
        if not accepted_code_of_conduct:
            missing["accept_code_of_conduct"] = "Read and accept the code of conduct to apply."
        if not accepted_safeguarding_policy:
            missing["accept_safeguarding_policy"] = "Read and accept the safeguarding policy to apply."
    if missing:
        raise ValidationError(missing)
    if (
        application.window is not None
        and not application.window.is_open()
        and not invited_by_partner(application)
    ):
        raise ApplicationError("The application window for this programme has closed.")
    if application.window_id is None and not invited_by_partner(application):
        raise ApplicationError("Applications for this programme are closed at the moment.")
    programme = application.programme
    if application.role == Role.MENTEE and application.date_of_birth:
        age = (MenteeProfile(date_of_birth=application.date_of_birth)).age()
        if not programme.mentee_min_age <= age <= programme.mentee_max_age:
            raise ValidationError(
                {
                    "date_of_birth": f"This programme is for young people aged {programme.mentee_min_age} "
                    f"to {programme.mentee_max_age}."
                }
            )
    now = timezone.now()
    # Claim the draft: a second submission of the same application finds nothing to update.
    claimed = Application.objects.filter(pk=application.pk, status=Application.Status.DRAFT).update(
        status=Application.Status.SUBMITTED, submitted_at=now, updated_at=now
    )
    if not claimed:
        raise ApplicationError("This application has already been submitted.")
    application.refresh_from_db()
    if application.role == Role.MENTOR:
        ScreeningCheck.objects.update_or_create(
            application=application,
            defaults={"code_of_conduct_accepted_at": now, "safeguarding_policy_accepted_at": now},
        )
    elif not hasattr(application.user, "mentee_profile"):
        # missing_for_submission asked this mentee for a date of birth; full_clean checks it again.
        profile = MenteeProfile(  # type: ignore[misc]
            user=application.user,
            date_of_birth=application.date_of_birth,
            youth_partner=application.youth_partner,
            stage=application.stage,
            region=application.region,
        )
        profile.full_clean()
        profile.save()
        RoleAssignment.objects.get_or_create(
            user=application.user, role=Role.MENTEE, youth_partner=None, programme=None
        )
    audit_record(actor=actor, action="application.submit", target=application, summary=str(application))
    send_on_commit(
        to=application.user.email,
        subject="We have received your application",
        template=f"application_received_{application.role}",
        context={"application": application, "url": absolute_url("recruitment:my_applications")},
    )
    application_submitted.send(
        sender=Application,
        application=application,
        user=application.user,
        programme=programme,
        role=application.role,
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: User, application: Application) -> Application:
    if application.status not in Application.ACTIVE_STATUSES:
        raise ApplicationError("This application is already closed.")
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="application.withdraw", target=application)
    return application


DECISIONS = ("approve", "decline", "hold", "screen")


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application: Application,
    decision: str,
    ground: DeclineGround | None = None,
    note: str = "",
) -> Application:
    """Approve, decline (with one of the programme's grounds), put on hold, or start screening."""
    if decision not in DECISIONS:
        raise ApplicationError("Choose approve, decline, hold or screen.", field="decision")
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "user")
        .get(pk=application.pk)
    )
    if application.status not in Application.DECIDABLE_STATUSES:
        raise ApplicationError(
            f"An application that is {application.get_status_display().lower()} cannot be decided."
        )
    note = note.strip()
    now = timezone.now()
    if decision == "screen":
        application.status = Application.Status.SCREENING
    elif decision == "hold":
        application.status = Application.Status.ON_HOLD
        application.feedback = note
    elif decision == "decline":
        if ground is None or ground.programme_id != application.programme_id:
            raise ApplicationError("Choose one of this programme's reasons for declining.", field="ground")
        application.status = Application.Status.DECLINED
        application.decline_ground = ground
        application.feedback = "\n\n".join(part for part in (ground.feedback, note) if part)
    else:
        if application.role == Role.MENTOR:
            screening = ScreeningCheck.objects.filter(application=application).first()
            outstanding = (
                [label for label, done in screening.checklist() if not done]
                if screening
                else ["Screening not started"]
            )
            if outstanding:
                raise ApplicationError("Screening is not complete: " + "; ".join(outstanding) + ".")
            _make_mentor(application)
        application.status = Application.Status.APPROVED
        application.feedback = note
    if decision != "screen":
        application.decided_at = now
        application.decided_by = actor
    application.full_clean(validate_constraints=False)
    application.save()
    audit_record(
        actor=actor,
        action=f"application.{decision}",
        target=application,
        summary=str(application),
        details={"ground": ground.label if ground and decision == "decline" else ""},
    )
    if decision in ("approve", "decline", "hold"):
        send_on_commit(
            to=application.user.email,
            subject={
                "approve": "Your application has been approved",
                "decline": "An update on your application",
                "hold": "Your application is on hold",
            }[decision],
            template=f"application_{decision}",
            context={"application": application, "url": absolute_url("recruitment:my_applications")},
        )
    return application


def _make_mentor(application: Application) -> None:
    """An approved mentor's profile and role, from what they wrote in their application."""
    profile, _created = MentorProfile.objects.get_or_create(user=application.user)
    profile.bio = application.bio
    profile.background = application.background or profile.background
    profile.sector = application.sector
    profile.job_title = application.job_title
    profile.region = application.region
    profile.capacity = application.capacity
    profile.open_to_one_to_two = application.open_to_one_to_two
    profile.full_clean()
    profile.save()
    RoleAssignment.objects.get_or_create(
        user=application.user, role=Role.MENTOR, youth_partner=None, programme=None
    )


# Screening and references -----------------------------------------------------------------------


def mask_certificate(reference: str) -> str:
    """Keep only the last four characters of a background-check certificate number."""
    cleaned = "".join(character for character in reference if character.isalnum())
    return cleaned[-4:].upper()


@transaction.atomic
def screening_update(
    *, actor: User, screening: ScreeningCheck, certificate_reference: str = ""
) -> ScreeningCheck:
    """Save staff's changes to the checklist; a certificate number is cut to its last four characters.

    A new barred-list result or decision is stamped with the acting user and today's date."""
    before = (
        ScreeningCheck.objects.filter(pk=screening.pk).values("barred_list_result", "check_decision").first()
    )
    checked = {"barred_list_result": screening.barred_list_result, "check_decision": screening.check_decision}
    if checked != (before or {"barred_list_result": "", "check_decision": ""}):
        screening.checked_by = actor
        screening.checked_on = timezone.localdate()
    if certificate_reference:
        screening.certificate_last4 = mask_certificate(certificate_reference)
    if screening.background_check_level and screening.certificate_issued_on and not screening.renewal_due_on:
        screening.renewal_due_on = screening.renewal_due()
    screening.full_clean()
    screening.save()
    application = screening.application
    if application.status == Application.Status.SUBMITTED:
        application.status = Application.Status.SCREENING
        application.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="screening.update",
        target=application,
        summary=str(application),
        details={
            "barred_list_result": screening.barred_list_result,
            "check_decision": screening.check_decision,
            "checked_by": screening.checked_by_id,
        },
    )
    return screening


def screening_renewal_reminders_send(*, on: datetime.date | None = None) -> int:
    """Email staff and the mentor about each check due for renewal within 60 days, once per renewal date."""
    from .selectors import RENEWAL_HORIZON_DAYS

    on = on or timezone.localdate()
    horizon = on + timedelta(days=RENEWAL_HORIZON_DAYS)
    already_sent = RenewalReminder.objects.filter(
        screening=OuterRef("pk"), renewal_due_on=OuterRef("renewal_due_on")
    )
    due = ScreeningCheck.objects.filter(renewal_due_on__gte=on, renewal_due_on__lte=horizon).exclude(
        Exists(already_sent)
    )
    staff_emails = sorted(
        set(
            User.objects.filter(is_active=True, role_assignments__role=Role.PROGRAMME_STAFF).values_list(
                "email", flat=True
            )
        )
    )
    sent = 0
    for screening in due.select_related("application__user"):
        with transaction.atomic():
            # Claimed before the email is queued: a second run (or a parallel worker) finds the row and
            # skips, and the email only leaves when this claim commits.
            _, claimed = RenewalReminder.objects.get_or_create(
                screening=screening, renewal_due_on=screening.renewal_due_on
            )
            if not claimed:
                continue
            mentor = screening.application.user
            due_text = f"{screening.renewal_due_on:%d %B %Y}"
            record_url = absolute_url("recruitment:application_detail", pk=screening.application_id)
            email_send(
                to=[mentor.email],
                subject="Your background check is due for renewal",
                body=(
                    f"Hello {mentor.first_name},\n\n"
                    f"Your background check for mentoring is due for renewal on {due_text}. "
                    "Programme staff will be in touch about renewing it; you can keep mentoring "
                    "until then.\n"
                ),
            )
            if staff_emails:
                email_send(
                    to=staff_emails,
                    subject=f"Background check renewal due {due_text}: {mentor.get_full_name()}",
                    body=(
                        f"{mentor.get_full_name()}'s background check is due for renewal on {due_text}.\n"
                        f"Screening record: {record_url}\n"
                    ),
                )
            sent += 1
    return sent


@transaction.atomic
def reference_request(
    *, actor: User, application: Application, referee_name: str, referee_email: str, known_as: str = ""
) -> Reference:
    """Email a referee a one-time link to give a reference for a mentor applicant."""
    if application.role != Role.MENTOR:
        raise ApplicationError("References are asked for mentor applications only.")
    live = [r for r in application.references.all() if r.received_at is not None or r.is_usable]
    if len(live) >= 2:
        raise ApplicationError("Two references are already requested or received.")
    if referee_email.strip().lower() == application.user.email:
        raise ApplicationError("A referee cannot be the applicant.", field="referee_email")
    reference = Reference(
        application=application, referee_name=referee_name, referee_email=referee_email, known_as=known_as
    )
    reference.issue_token(valid_for=REFERENCE_VALID_FOR)  # the secret is issued again when the email is sent
    reference.full_clean()
    reference.save()
    if application.status == Application.Status.SUBMITTED:
        application.status = Application.Status.SCREENING
        application.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="reference.request", target=application, summary=referee_email)
    tasks.send_reference_request.delay_on_commit(reference.pk)
    return reference


def _reference_email(reference: Reference, raw: str) -> dict:
    application = reference.application
    return {
        "to": reference.referee_email,
        "subject": f"Reference request for {application.user.get_full_name()}",
        "template": "reference_request",
        "context": {
            "reference": reference,
            "application": application,
            "url": absolute_url("recruitment:reference_respond", token=raw),
            "expires_at": reference.expires_at,
        },
    }


def reference_for_token(raw: str) -> Reference | None:
    """The still-usable reference this secret opens, or None (unknown, used or expired look the same)."""
    reference = (
        Reference.objects.select_related("application__user").filter(token_hash=hash_token(raw)).first()
    )
    return reference if reference and reference.is_usable else None


@transaction.atomic
def reference_submit(*, token: str, satisfactory: bool, response: str) -> Reference:
    reference = reference_for_token(token)
    if reference is None:
        raise ApplicationError("This link has expired or has already been used.")
    now = timezone.now()
    claimed = Reference.objects.filter(pk=reference.pk, used_at__isnull=True).update(
        used_at=now, received_at=now, satisfactory=satisfactory, response=response[:4000], updated_at=now
    )
    if not claimed:
        raise ApplicationError("This link has already been used.")
    reference.refresh_from_db()
    audit_record(
        actor=None, action="reference.receive", target=reference.application, summary=reference.referee_email
    )
    return reference


# Youth-partner imports and invitations ----------------------------------------------------------


def _existing_people(emails) -> dict[str, User]:
    return {
        user.email: user
        for user in User.objects.filter(email__in=list(emails)).select_related("mentee_profile")
    }


def _check_against_existing(rows: list[dict], youth_partner: YouthPartner) -> tuple[list[dict], list[dict]]:
    """Mark rows already imported for this partner as skipped; problems for emails used by anyone else."""
    existing = _existing_people(row["email"] for row in rows if row.get("email"))
    problems = []
    for row in rows:
        email = row.get("email")
        person = existing.get(email) if email else None
        row["skip"] = False
        if person is None:
            continue
        profile = getattr(person, "mentee_profile", None)
        if profile is not None and profile.youth_partner_id == youth_partner.pk:
            row["skip"] = True
        else:
            problems.append(
                {
                    "row": row["row"],
                    "column": "email",
                    "message": "This email already belongs to someone else's account.",
                }
            )
    return rows, problems


@transaction.atomic
def mentee_import_preview(
    *, actor: User, youth_partner: YouthPartner, cohort: Cohort | None, filename: str, content: bytes
) -> MenteeImport:
    """Check a file and keep the result to show; nothing about any mentee is saved yet."""
    if cohort is not None and cohort.youth_partner_id != youth_partner.pk:
        raise ApplicationError("That cohort belongs to another youth partner.", field="cohort")
    programme = cohort.programme if cohort else None
    parsed = parse_mentee_file(
        filename=filename,
        content=content,
        today=timezone.localdate(),
        min_age=programme.mentee_min_age if programme else 11,
        max_age=programme.mentee_max_age if programme else 25,
    )
    problems = [problem.as_dict() for problem in parsed.problems]
    rows = parsed.rows
    if rows and not any(problem["row"] is None for problem in problems):
        rows, existing_problems = _check_against_existing(rows, youth_partner)
        problems.extend(existing_problems)
    problems.sort(key=lambda problem: (problem["row"] or 0, problem["column"]))
    mentee_import = MenteeImport(
        youth_partner=youth_partner,
        cohort=cohort,
        uploaded_by=actor,
        filename=filename[:200],
        file_sha256=hashlib.sha256(content).hexdigest(),
        status=MenteeImport.Status.INVALID if problems else MenteeImport.Status.PREVIEWED,
        rows=[] if problems else rows,
        problems=problems[:500],
    )
    mentee_import.full_clean()
    mentee_import.save()
    return mentee_import


@transaction.atomic
def mentee_import_commit(*, actor: User, mentee_import: MenteeImport) -> MenteeImport:
    """Create every new mentee of a checked file, or none; each new mentee is emailed an invitation."""
    claimed = MenteeImport.objects.filter(pk=mentee_import.pk, status=MenteeImport.Status.PREVIEWED).update(
        status=MenteeImport.Status.COMMITTED, committed_at=timezone.now()
    )
    if not claimed:
        raise ApplicationError("Only a checked file with no problems can be imported, and only once.")
    mentee_import.refresh_from_db()
    partner, cohort = mentee_import.youth_partner, mentee_import.cohort
    rows, problems = _check_against_existing(mentee_import.rows, partner)
    if problems:
        raise ApplicationError(
            "Some email addresses now belong to other accounts; check the file again. Nothing was imported."
        )
    created = skipped = 0
    window = open_window(programme=cohort.programme, role=Role.MENTEE) if cohort else None
    for row in rows:
        if row["skip"]:
            skipped += 1
            continue
        user = User(email=row["email"], first_name=row["first_name"], last_name=row["last_name"])
        user.set_unusable_password()
        # The file check validated the email and that nobody has it; the unique constraint still guards.
        user.full_clean(exclude=["password"], validate_unique=False)
        user.save()
        profile = MenteeProfile(
            user=user,
            date_of_birth=datetime.date.fromisoformat(row["date_of_birth"]),
            youth_partner=partner,
            cohort=cohort,
            stage=row["stage"],
            region=partner.region,
        )
        # The person, partner and cohort are the rows just saved or loaded: no need to look them up again.
        profile.full_clean(exclude=["user", "youth_partner", "cohort"], validate_unique=False)
        profile.save()
        RoleAssignment.objects.create(user=user, role=Role.MENTEE)
        if cohort is not None:
            Application.objects.create(
                user=user,
                programme=cohort.programme,
                role=Role.MENTEE,
                youth_partner=partner,
                stage=row["stage"],
                region=partner.region,
                window=window,
            )
        invitation_send(actor=actor, user=user, mentee_import=mentee_import, new_user=True)
        created += 1
    mentee_import.created_count = created
    mentee_import.skipped_count = skipped
    mentee_import.rows = []  # the people now exist; no second copy of their details is kept
    mentee_import.save(update_fields=["created_count", "skipped_count", "rows", "updated_at"])
    audit_record(
        actor=actor,
        action="mentee_import.commit",
        target=mentee_import,
        summary=f"{created} created, {skipped} already present",
    )
    return mentee_import


@transaction.atomic
def invitation_send(
    *, actor: User, user: User, mentee_import: MenteeImport | None = None, new_user: bool = False
) -> Invitation:
    """Email a one-time link to claim an account; earlier unused links for the person stop working."""
    if not new_user:
        Invitation.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())
    invitation = Invitation(user=user, mentee_import=mentee_import, sent_by=actor)
    invitation.issue_token(
        valid_for=INVITATION_VALID_FOR
    )  # the secret is issued again when the email is sent
    invitation.save()
    tasks.send_invitation.delay_on_commit(invitation.pk)
    return invitation


def _invitation_email(invitation: Invitation, raw: str) -> dict:
    user = invitation.user
    partner = getattr(getattr(user, "mentee_profile", None), "youth_partner", None)
    return {
        "to": user.email,
        "subject": "You are invited to join a mentoring programme",
        "template": "invitation",
        "context": {
            "user": user,
            "partner": partner,
            "url": absolute_url("recruitment:invitation_claim", token=raw),
            "expires_at": invitation.expires_at,
        },
    }


def invitation_for_token(raw: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    return invitation if invitation and invitation.is_usable else None


@transaction.atomic
def invitation_claim(*, token: str, password: str) -> User:
    """Set the invited person's password and confirm their email (the link proves they read it)."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ApplicationError(
            "This invitation has expired or has already been used. Ask your coordinator for a new one."
        )
    user = invitation.user
    validate_password(password, user)
    if not Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise ApplicationError("This invitation has already been used.")
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.filter(user=user).exclude(email=user.email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    audit_record(actor=user, action="invitation.claim", target=user)
    return user


# Parental consent -------------------------------------------------------------------------------


def consent_text(mentee: User, programme_name: str) -> str:
    return CONSENT_TEXT.format(name=mentee.get_full_name() or mentee.first_name, programme=programme_name)


def programme_name_for(mentee: User) -> str:
    profile = getattr(mentee, "mentee_profile", None)
    if profile and profile.cohort_id:
        return profile.cohort.programme.name
    application = mentee.applications.filter(role=Role.MENTEE).select_related("programme").first()
    return application.programme.name if application else "the mentoring programme"


@transaction.atomic
def consent_request(*, actor: User, mentee: User, parent_name: str, parent_email: str) -> ConsentRequest:
    """Email a parent or guardian a signed link, valid for seven days and usable once, to give consent."""
    profile = getattr(mentee, "mentee_profile", None)
    if profile is None or not profile.is_under_16:
        raise ApplicationError("Parental consent is asked for mentees under 16.")
    if ConsentRecord.objects.filter(mentee=mentee, withdrawn_at__isnull=True).exists():
        raise ApplicationError("Consent is already recorded for this young person.")
    if parent_email.strip().lower() == mentee.email:
        raise ApplicationError("Use the parent's or guardian's own email address.", field="parent_email")
    ConsentRequest.objects.filter(mentee=mentee, used_at__isnull=True).update(expires_at=timezone.now())
    consent = ConsentRequest(
        mentee=mentee, parent_name=parent_name, parent_email=parent_email, requested_by=actor
    )
    consent.issue_token(valid_for=CONSENT_VALID_FOR)  # the secret is issued again when the email is sent
    consent.full_clean()
    consent.save()
    # The audit log names no contact details: the request itself keeps the address.
    audit_record(
        actor=actor, action="consent.request", target=mentee, summary="Asked a parent or guardian by email"
    )
    tasks.send_consent_request.delay_on_commit(consent.pk)
    return consent


def _consent_email(consent: ConsentRequest, raw: str) -> dict:
    signed = signing.TimestampSigner(salt=CONSENT_SALT).sign(raw)
    return {
        "to": consent.parent_email,
        "subject": f"Your consent for {consent.mentee.first_name} to join a mentoring programme",
        "template": "consent_request",
        "context": {
            "consent": consent,
            "mentee": consent.mentee,
            "programme_name": programme_name_for(consent.mentee),
            "url": absolute_url("recruitment:consent_give", token=signed),
            "expires_at": consent.expires_at,
        },
    }


# Each builder takes a link of its own model, with the raw secret, and returns send_now's arguments.
LINK_EMAILS: dict[str, tuple[type[Invitation | Reference | ConsentRequest], Callable[[Any, str], dict]]] = {
    "invitation": (Invitation, _invitation_email),
    "reference": (Reference, _reference_email),
    "consent": (ConsentRequest, _consent_email),
}


def link_email_deliver(*, kind: str, link_id: int) -> bool:
    """Send the email for one single-use link, once: the secret is created here and never stored.

    The link is locked (a repeated task running at the same time skips it) and marked sent in the
    transaction that sends it, which commits only once the mail server has the email: if sending
    fails, or the process dies while sending, the link stays unsent for the retry or the periodic
    resume (`link_emails_resume`), and the secret of that try is never stored. Returns whether an
    email was sent.
    """
    model, build = LINK_EMAILS[kind]
    now = timezone.now()
    with transaction.atomic():
        link = (
            model.objects.select_for_update(skip_locked=True)
            .filter(pk=link_id, sent_at__isnull=True, used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if link is None:
            return False
        expires_at = link.expires_at
        raw = link.issue_token(valid_for=expires_at - now)
        link.expires_at = expires_at
        link.sent_at = now
        link.save(update_fields=["token_hash", "expires_at", "sent_at"])
        send_now(**build(link, raw))
    return True


def link_emails_due(*, now=None) -> dict[str, list[int]]:
    """Each kind's links still unsent WORK_REQUEUE_AFTER seconds after they were made, and still usable:
    their task was lost (the broker was down at commit, or restarted without persistence)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=settings.WORK_REQUEUE_AFTER)
    return {
        kind: list(
            model.objects.filter(
                sent_at__isnull=True, used_at__isnull=True, expires_at__gt=now, created_at__lt=since
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for kind, (model, _build) in LINK_EMAILS.items()
    }


def link_emails_resume(*, now=None, limit: int = 500) -> int:
    """Send the emails link_emails_due() finds, at most `limit` of them; returns how many were sent.

    A link that fails to send (mail server down) is released by link_email_deliver, logged, and tried
    again by the next run; the others are still sent."""
    sent = 0
    due = [(kind, link_id) for kind, ids in link_emails_due(now=now).items() for link_id in ids]
    for kind, link_id in due[:limit]:
        try:
            sent += link_email_deliver(kind=kind, link_id=link_id)
        except Exception:
            logger.exception("Could not send the %s email for link %s; tried again next run", kind, link_id)
    return sent


def consent_request_for_token(signed: str) -> ConsentRequest | None:
    """The usable request behind a signed link; a bad signature, an old link or a used one gives None."""
    try:
        raw = signing.TimestampSigner(salt=CONSENT_SALT).unsign(signed, max_age=CONSENT_VALID_FOR)
    except signing.BadSignature:
        return None
    consent = ConsentRequest.objects.select_related("mentee").filter(token_hash=hash_token(raw)).first()
    return consent if consent and consent.is_usable else None


@transaction.atomic
def consent_give(*, token: str, given_by_name: str, relationship: str) -> ConsentRecord:
    """Record consent exactly as shown (text and version), by whom and when."""
    consent = consent_request_for_token(token)
    if consent is None:
        raise ApplicationError(
            "This link has expired or has already been used. Ask the school for a new one."
        )
    if not ConsentRequest.objects.filter(pk=consent.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise ApplicationError("This link has already been used.")
    if ConsentRecord.objects.filter(mentee=consent.mentee, withdrawn_at__isnull=True).exists():
        raise ApplicationError("Consent is already recorded for this young person.")
    record = ConsentRecord(
        mentee=consent.mentee,
        request=consent,
        given_by_name=given_by_name,
        given_by_email=consent.parent_email,
        given_by_relationship=relationship,
        given_at=timezone.now(),
        text_version=consent.text_version,
        text=consent_text(consent.mentee, programme_name_for(consent.mentee)),
    )
    record.full_clean()
    record.save()
    audit_record(actor=None, action="consent.give", target=consent.mentee, summary=consent.parent_email)
    send_on_commit(
        to=consent.parent_email,
        subject=f"Thank you: your consent for {consent.mentee.first_name} is recorded",
        template="consent_given",
        context={"record": record, "mentee": consent.mentee},
    )
    return record


@transaction.atomic
def consent_withdraw(*, actor: User, record: ConsentRecord, reason: str = "") -> ConsentRecord:
    """Withdraw consent: from now on the young person cannot be matched until consent is given again."""
    if record.withdrawn_at is not None:
        raise ApplicationError("This consent has already been withdrawn.")
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = actor
    record.withdrawal_reason = reason[:300]
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"])
    audit_record(actor=actor, action="consent.withdraw", target=record.mentee, summary=reason[:200])
    return record


# Programme recruitment settings -----------------------------------------------------------------


@transaction.atomic
def application_window_save(*, actor: User, window: ApplicationWindow) -> ApplicationWindow:
    """Open (or change) a period when a programme takes applications."""
    window.full_clean()
    window.save()
    audit_record(actor=actor, action="application_window.save", target=window, summary=str(window))
    return window


@transaction.atomic
def decline_ground_save(*, actor: User, ground: DeclineGround) -> DeclineGround:
    """Add one of a programme's reasons for declining, with the feedback applicants will read."""
    ground.full_clean()
    ground.save()
    audit_record(actor=actor, action="decline_ground.save", target=ground, summary=ground.label)
    return ground


@transaction.atomic
def invitation_resend(*, actor: User, user: User) -> Invitation:
    """Send a fresh invitation to someone who has not yet set up their account."""
    if user.has_usable_password():
        raise ApplicationError("This person has already set up their account.")
    invitation = invitation_send(actor=actor, user=user)
    audit_record(actor=actor, action="invitation.resend", target=user)
    return invitation
