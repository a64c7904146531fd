"""Keep each relationship's held-session summary (held_sessions, first_held_at, last_held_at, and
held_logs, held_minutes from the session logs, with their months in RelationshipMonth) true whenever
one of its sessions or session logs is saved or deleted, however the write was made (service, admin,
factory). Writes that bypass model signals (bulk_create, QuerySet.update of a session's status or
start, or of a log) call `Relationship.objects.filter(...).refresh_held_sessions()` themselves."""

from django.db.models.signals import post_delete, post_init, post_save

from .models import MentoringSession, Relationship, SessionLog

HELD = MentoringSession.Status.HELD
# Fields of a session that the summary depends on.
SUMMARY_FIELDS = frozenset({"status", "starts_at", "relationship", "relationship_id"})
# Fields of a session log that the summary depends on.
LOG_SUMMARY_FIELDS = frozenset({"held", "duration_minutes", "session", "session_id"})


def _loaded(sender, instance, **kwargs):
    # What the summary counted this session as when it was read (no query: deferred fields stay None).
    values = instance.__dict__
    instance._held_summary_loaded = (values.get("relationship_id"), values.get("status"))
    # Its start as read: a log's month (RelationshipMonth) follows the session's start.
    instance._held_summary_starts_at = values.get("starts_at")


def _session_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not SUMMARY_FIELDS & set(update_fields)):
        return
    loaded_relationship, loaded_status = getattr(instance, "_held_summary_loaded", (None, None))
    loaded_starts_at = getattr(instance, "_held_summary_starts_at", None)
    status = instance.__dict__.get("status")  # None when deferred: then recount to be safe
    starts_at = instance.__dict__.get("starts_at")
    instance._held_summary_loaded = (instance.relationship_id, status)
    instance._held_summary_starts_at = starts_at
    # A session moved to another day may take a held log to another month, whatever its status.
    rescheduled = not created and loaded_starts_at != starts_at
    if created:
        loaded_relationship, loaded_status = instance.relationship_id, None
    elif loaded_status is None:
        loaded_status = HELD
    moved = loaded_relationship is not None and loaded_relationship != instance.relationship_id
    if not moved and not rescheduled and loaded_status != HELD and status is not None and status != HELD:
        return  # neither counted before nor now (a session scheduled, missed or cancelled), nor moved
    relationship_ids = {instance.relationship_id, loaded_relationship} - {None}
    Relationship.objects.filter(pk__in=relationship_ids).refresh_held_sessions()


def _session_deleted(sender, instance, **kwargs):
    # Its log, deleted first, has already taken itself out of the log counts (_log_deleted).
    if instance.status == HELD:
        Relationship.objects.filter(pk=instance.relationship_id).refresh_held_sessions()


def _log_loaded(sender, instance, **kwargs):
    instance._held_summary_session = instance.__dict__.get("session_id")


def _log_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not LOG_SUMMARY_FIELDS & set(update_fields)):
        return
    session_ids = {instance.session_id, getattr(instance, "_held_summary_session", None)} - {None}
    instance._held_summary_session = instance.session_id
    Relationship.objects.filter(sessions__in=session_ids).refresh_held_sessions()


def _log_deleted(sender, instance, **kwargs):
    # Deleted with its session, the log goes first: the session is still there to find its relationship.
    Relationship.objects.filter(sessions=instance.session_id).refresh_held_sessions()


def connect():
    uid = "mentoring:held_summary"
    post_init.connect(_loaded, sender=MentoringSession, dispatch_uid=uid)
    post_save.connect(_session_saved, sender=MentoringSession, dispatch_uid=uid)
    post_delete.connect(_session_deleted, sender=MentoringSession, dispatch_uid=uid)
    post_init.connect(_log_loaded, sender=SessionLog, dispatch_uid=uid)
    post_save.connect(_log_saved, sender=SessionLog, dispatch_uid=uid)
    post_delete.connect(_log_deleted, sender=SessionLog, dispatch_uid=uid)
