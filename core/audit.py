"""Writing audit rows. Call inside the same transaction as the change being recorded."""

from .models import AuditEvent


def audit_event(
    *, actor, action: str, target=None, summary: str = "", details: dict | None = None
) -> AuditEvent:
    """One audit row for `action` by `actor` on `target` (a model instance or None), not yet saved:
    for writing many in one query."""
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:255],
        details=details or {},
    )


def audit_record(
    *, actor, action: str, target=None, summary: str = "", details: dict | None = None
) -> AuditEvent:
    """Append one audit row for `action` by `actor` on `target` (a model instance or None)."""
    event = audit_event(actor=actor, action=action, target=target, summary=summary, details=details)
    event.save()
    return event


def audit_reads(*, actor, action: str, targets, summary: str = "") -> int:
    """One audit row per object read (a page of a list), written in one query; returns the count."""
    rows = [audit_event(actor=actor, action=action, target=target, summary=summary) for target in targets]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)


_ACTION_WORDS = {
    "account.login": "Signed in",
    "account.login_failed": "Sign-in failed",
    "account.logout": "Signed out",
    "account.sessions_ended": "Signed out everywhere",
    "relationship.transition": "Relationship status changed",
    "mentoring.mentee_viewed": "Mentee's details viewed",
    "mentoring.mentee_contact_viewed": "Mentee's contact details read",
    "accounts.mentee_contact_viewed": "Mentee's contact details read",
    "training.workshop_attendance": "Workshop attendance marked",
    "data_protection.erased": "Personal data erased",
}
_PAST = {
    "accept": "accepted",
    "add": "added",
    "assign": "assigned",
    "book": "booked",
    "cancel": "cancelled",
    "claim": "claimed",
    "close": "closed",
    "commit": "imported",
    "complete": "completed",
    "create": "created",
    "delete": "deleted",
    "draft": "drafted",
    "end": "ended",
    "express": "expressed",
    "extend": "extended",
    "give": "given",
    "issue": "issued",
    "load": "loaded",
    "open": "opened",
    "progress": "progress noted",
    "publish": "published",
    "read": "read",
    "receive": "received",
    "record": "recorded",
    "regenerate": "made again",
    "reject": "rejected",
    "remove": "removed",
    "request": "requested",
    "resend": "sent again",
    "reschedule": "rescheduled",
    "revoke": "revoked",
    "save": "saved",
    "schedule": "scheduled",
    "set": "set",
    "sign": "signed",
    "start": "started",
    "submit": "submitted",
    "suggest": "suggested",
    "update": "updated",
    "withdraw": "withdrawn",
    "answer": "answered",
}


def audit_actions() -> list[tuple[str, str]]:
    """Every action the log holds, as (code, words) sorted by the words, for the log's filter; kept
    for ten minutes, as a new kind of action is rare."""
    from django.core.cache import cache

    from .models import AuditEvent

    actions = cache.get("audit-actions")
    if actions is None:
        codes = _distinct_actions(AuditEvent._meta.db_table)
        actions = sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1])
        cache.set("audit-actions", actions, 600)
    return actions


def _distinct_actions(table: str) -> list[str]:
    """The log's distinct action codes, each found by one step down the action index (a loose index
    scan): a few dozen index reads instead of a DISTINCT over every event."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE codes(action) AS (
                SELECT MIN(action) FROM {table}
                UNION ALL
                SELECT (SELECT MIN(action) FROM {table} WHERE action > codes.action)
                FROM codes WHERE codes.action IS NOT NULL
            )
            SELECT action FROM codes WHERE action IS NOT NULL
            """  # noqa: S608  (the table name is the model's own, not input)
        )
        return [row[0] for row in cursor.fetchall()]


def action_label(action: str) -> str:
    """An audit action code in words, for people reading the log."""
    if action in _ACTION_WORDS:
        return _ACTION_WORDS[action]
    domain, _dot, rest = action.rpartition(".")
    words = (rest or domain).split("_")
    if len(words) > 1 and words[-1] in _PAST:
        words[-1] = _PAST[words[-1]]
    elif len(words) == 1 and words[0] in _PAST and domain:
        words = [*domain.split("_"), _PAST[words[0]]]
    return " ".join(words).capitalize()
