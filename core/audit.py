"""Writing audit rows. Call inside the same transaction as the change being recorded."""

from .models import AuditEvent


def audit_record(
    *, actor, action: str, target=None, summary: str = "", details: dict | None = None
) -> AuditEvent:
    """Append one audit row for `action` by `actor` on `target` (a model instance or None)."""
    target_type = target_id = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=summary[:255],
        details=details or {},
    )


def audit_reads(*, actor, action: str, targets, summary: str = "") -> int:
    """One audit row per object read (a page of a list), written in one query; returns the count."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    rows = [
        AuditEvent(
            actor=actor,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            summary=summary[:255],
            details={},
        )
        for target in targets
    ]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)
