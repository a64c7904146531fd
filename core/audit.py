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


_ACTION_WORDS = {
    "account.login": "Signed in",
    "account.login_failed": "Sign-in failed",
    "account.logout": "Signed out",
    "account.sessions_ended": "Signed out everywhere",
    "relationship.transition": "Relationship status changed",
    "mentoring.mentee_viewed": "Mentee's details viewed",
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
