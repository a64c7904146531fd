"""Data protection services: a person's own data as a ZIP (UK GDPR Article 15) and erasure (Article
17). Both read the register of personal data (core/personal_data.py) that every app fills in."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from core import personal_data, policy
from core.audit import audit_record
from core.errors import ApplicationError
from core.exports import write_rows

from .models import Concern, Message, SubjectAccessExport
from .personal_data import REDACTED

__all__ = ["REDACTED"]


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# Subject access export ---------------------------------------------------------------------------


@transaction.atomic
def data_export_request(*, person: User, actor: User) -> SubjectAccessExport:
    """Ask for a person's data as a ZIP, built in the background. While one is being prepared,
    asking again gives that one back."""
    if not policy.can_create(actor, SubjectAccessExport, person=person):
        raise ApplicationError("You can only ask for your own data.")
    active = SubjectAccessExport.objects.filter(
        person=person, status__in=[SubjectAccessExport.Status.PENDING, SubjectAccessExport.Status.RUNNING]
    ).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            export = SubjectAccessExport.objects.create(
                person=person, requested_by=actor, progress_message="Waiting to start."
            )
    except IntegrityError:  # asked twice at once: the other request won
        return SubjectAccessExport.objects.get(
            person=person, status__in=[SubjectAccessExport.Status.PENDING, SubjectAccessExport.Status.RUNNING]
        )
    audit_record(
        actor=actor,
        action="data_protection.export_requested",
        target=person,
        summary=f"Data export #{export.pk}"
        + ("" if actor.pk == person.pk else " prepared by staff on the person's request"),
    )
    from .tasks import build_data_export

    build_data_export.delay_on_commit(export.pk)
    return export


def data_export_build(*, export_id: int) -> SubjectAccessExport | None:
    """Build the ZIP once: a conditional update claims the work, so a repeated task does nothing."""
    claimed = SubjectAccessExport.objects.filter(
        pk=export_id, status__in=[SubjectAccessExport.Status.PENDING, SubjectAccessExport.Status.FAILED]
    ).update(status=SubjectAccessExport.Status.RUNNING, progress=1, error="")
    if not claimed:
        return None
    export = SubjectAccessExport.objects.defer("archive").select_related("person").get(pk=export_id)

    def progress(percent: int, message: str) -> None:
        SubjectAccessExport.objects.filter(pk=export_id).update(progress=percent, progress_message=message)

    try:
        archive = subject_access_archive(person=export.person, progress=progress)
    except Exception as error:
        SubjectAccessExport.objects.filter(pk=export_id).update(
            status=SubjectAccessExport.Status.FAILED,
            error=str(error)[:255],
            progress_message="Something went wrong; ask again, or contact the programme team.",
        )
        raise
    now = timezone.now()
    SubjectAccessExport.objects.filter(pk=export_id).update(
        status=SubjectAccessExport.Status.READY,
        progress=100,
        progress_message="Ready to download.",
        archive=archive,
        size=len(archive),
        ready_at=now,
        expires_at=now + timedelta(days=settings.DATA_EXPORT_DAYS),
    )
    audit_record(
        actor=None,
        action="data_protection.export_ready",
        target=export.person,
        summary=f"Data export #{export_id} ready ({len(archive)} bytes)",
    )
    export.refresh_from_db()
    return export


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def subject_access_archive(*, person: User, progress=None) -> bytes:
    """Everything the register says this person receives: one JSON and one CSV file per section, and
    index.html saying what each holds, in words."""
    entries = personal_data.entries()
    buffer = io.BytesIO()
    sections, withheld = [], []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, entry in enumerate(entries, start=1):
            if progress is not None:
                progress(min(95, 1 + number * 94 // len(entries)), f"Collecting: {entry.title}.")
            if not entry.exported:
                withheld.append(entry)
                continue
            rows = personal_data.export_section(entry, person.pk)
            columns = personal_data.columns(entry)
            archive.writestr(
                f"{entry.section}.json",
                json.dumps(
                    {"section": entry.title, "about": entry.description, "rows": rows},
                    ensure_ascii=False,
                    indent=2,
                ),
            )
            text = io.StringIO()
            write_rows(
                text,
                [heading for _path, heading in columns],
                ([_csv_text(row[path]) for path, _heading in columns] for row in rows),
            )
            archive.writestr(f"{entry.section}.csv", text.getvalue())
            sections.append({"entry": entry, "count": len(rows), "columns": columns})
        archive.writestr(
            "index.html",
            render_to_string(
                "safeguarding/data_export_index.html",
                {
                    "person": person,
                    "exported_at": timezone.now(),
                    "sections": sections,
                    "withheld": withheld,
                    "site_name": settings.SITE_NAME,
                },
            ),
        )
    return buffer.getvalue()


def data_exports_expire(*, now=None) -> int:
    """Remove the files of exports past their expiry date."""
    now = now or timezone.now()
    return SubjectAccessExport.objects.filter(
        status=SubjectAccessExport.Status.READY, expires_at__lte=now
    ).update(status=SubjectAccessExport.Status.EXPIRED, archive=None, size=0)


# Erasure -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureStep:
    """What erasing one person does to one register entry: the action, on how many rows, and why."""

    entry: personal_data.PersonalDataEntry
    action: str
    rows: int
    fields: tuple[str, ...] = ()

    @property
    def action_label(self) -> str:
        return personal_data.ACTIONS[self.action]

    @property
    def field_labels(self) -> list[str]:
        return [str(self.entry.model._meta.get_field(name).verbose_name) for name in self.fields]


def _effective(entry, includes_safeguarding: bool) -> tuple[str, tuple[str, ...], dict]:
    further = entry.with_safeguarding if includes_safeguarding else None
    if further == personal_data.DELETE:
        return personal_data.DELETE, (), {}
    if further is not None:
        values = {**entry.anonymise, **further}
        return personal_data.ANONYMISE, tuple(values), values
    if entry.erasure == personal_data.ANONYMISE:
        return personal_data.ANONYMISE, tuple(entry.anonymise), dict(entry.anonymise)
    return entry.erasure, (), {}


def _in_order(entries):
    # Rows are anonymised before others are deleted (an anonymised file of mentees finds the person
    # through their invitation), and the account itself goes last: the steps before it read the
    # person's email address.
    user_model = User._meta.concrete_model
    rank = {personal_data.KEEP: 0, personal_data.ANONYMISE: 0, personal_data.DELETE: 1}
    return sorted(entries, key=lambda entry: (entry.model is user_model, rank[entry.erasure]))


def erasure_plan(*, person: User, includes_safeguarding: bool = False) -> list[ErasureStep]:
    """What erasing this person would do, entry by entry (one count per register entry)."""
    steps = []
    for entry in personal_data.entries():
        action, fields, _values = _effective(entry, includes_safeguarding)
        rows = entry.erasure_rows(person.pk).count()
        if rows:
            steps.append(ErasureStep(entry=entry, action=action, rows=rows, fields=fields))
    return steps


def _erase(person: User, *, includes_safeguarding: bool) -> dict[str, dict]:
    done: dict[str, dict] = {}
    for entry in _in_order(personal_data.entries()):
        action, fields, values = _effective(entry, includes_safeguarding)
        rows = entry.erasure_rows(person.pk)
        if action == personal_data.KEEP:
            count = rows.count()
            if count:
                done[entry.section] = {"action": action, "rows": count}
            continue
        if entry.before_erase is not None:
            entry.before_erase(rows, person)
        by_pk = entry.model._default_manager.filter(pk__in=list(rows.values_list("pk", flat=True)))
        if action == personal_data.DELETE:
            count = by_pk.count()
            by_pk.delete()
        elif any(callable(value) for value in values.values()):
            count = 0
            for row in by_pk:
                for name, value in values.items():
                    setattr(row, name, value(row, person) if callable(value) else value)
                row.save(update_fields=list(values))
                count += 1
        else:
            count = by_pk.update(**values)
        if count:
            done[entry.section] = {"action": action, "rows": count, "fields": list(fields)}
    # The updates above bypass the save signals; the person's own save (last) covers whom they concern.
    return done


@transaction.atomic
def erasure_request(*, person: User, actor: User, reason: str, includes_safeguarding: bool = False):
    """Erase a person on request, as the register says. Safeguarding records are kept; removing the
    text of their messages as well needs a second staff member."""
    from .models import ErasureRequest

    if not policy.can(actor, "safeguarding.manage"):
        raise ApplicationError("Only programme staff can erase a person.")
    if person.pk == actor.pk:
        raise ApplicationError("You cannot erase your own account here.")
    if not reason.strip():
        raise ApplicationError("Give the reason for the erasure.", field="reason")
    erasure = ErasureRequest(
        person=person, reason=reason.strip(), includes_safeguarding=includes_safeguarding, requested_by=actor
    )
    erasure.full_clean()
    erasure.save()
    audit_record(
        actor=actor,
        action="data_protection.erasure_requested",
        target=person,
        summary=f"Erasure #{erasure.pk}" + (" including messages" if includes_safeguarding else ""),
        details={"reason": erasure.reason},
    )
    if not includes_safeguarding:
        _complete_erasure(erasure, actor)
    return erasure


def _complete_erasure(erasure, actor: User) -> None:
    from .models import ErasureRequest

    done = _erase(erasure.person, includes_safeguarding=erasure.includes_safeguarding)
    erasure.status = ErasureRequest.Status.COMPLETED
    erasure.completed_at = timezone.now()
    erasure.save(update_fields=["status", "completed_at", "approved_by", "updated_at"])
    audit_record(
        actor=actor,
        action="data_protection.erased",
        target=erasure.person,
        summary=f"Erasure #{erasure.pk} completed",
        details={"reason": erasure.reason, "requested_by": erasure.requested_by_id, "register": done},
    )


@transaction.atomic
def erasure_approve(*, erasure, actor: User):
    from .models import ErasureRequest

    erasure = (
        ErasureRequest.objects.select_for_update(of=("self",)).select_related("person").get(pk=erasure.pk)
    )
    if not policy.can(actor, "safeguarding.manage"):
        raise ApplicationError("Only programme staff can approve an erasure.")
    if erasure.status != ErasureRequest.Status.PENDING:
        raise ApplicationError("This erasure is not waiting for approval.")
    if erasure.requested_by_id == actor.pk:
        raise ApplicationError("A second member of staff must approve this.")
    erasure.approved_by = actor
    _complete_erasure(erasure, actor)
    return erasure


def retention_run(*, today=None) -> dict:
    """The nightly retention job: message text from relationships that ended longer ago than the
    retention period is removed; concerns reaching their review date are flagged on their record once;
    finished outbox rows are cleared."""
    from datetime import timedelta

    from django.conf import settings

    from .models import CaseEntry, OutboxMessage

    today = today or timezone.localdate()
    message_years = getattr(settings, "MESSAGE_RETENTION_YEARS", 6)
    from .services import _add_years

    cutoff = _add_years(today, -message_years)
    with transaction.atomic():
        redacted = (
            Message.objects.filter(relationship__ended_on__lt=cutoff)
            .exclude(body=REDACTED)
            .update(body=REDACTED)
        )
        due = Concern.objects.filter(retain_until__lte=today).exclude(entries__details__review_due=True)
        flagged = 0
        for concern in due:
            CaseEntry.objects.create(
                concern=concern,
                kind=CaseEntry.Kind.SYSTEM,
                text="The retention date has been reached: review whether this record is still needed.",
                details={"review_due": True},
            )
            flagged += 1
        expired = data_exports_expire()
        cleared = OutboxMessage.objects.filter(
            status=OutboxMessage.Status.DONE, done_at__lt=timezone.now() - timedelta(days=90)
        ).delete()[0]
        if redacted or flagged:
            audit_record(
                actor=None,
                action="data_protection.retention_run",
                summary=f"{redacted} message(s) removed, {flagged} concern(s) due for review",
            )
    return {
        "messages_redacted": redacted,
        "concerns_flagged": flagged,
        "outbox_cleared": cleared,
        "data_exports_expired": expired,
    }
