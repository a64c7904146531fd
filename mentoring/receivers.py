"""Keep each relationship's held-session summary (held_sessions, first_held_at, last_held_at) true
whenever one of its sessions is saved or deleted, however the write was made (service, admin, factory).
Writes that bypass model signals (bulk_create, QuerySet.update of a session's status or start) call
`Relationship.objects.filter(...).refresh_held_sessions()` themselves."""

from django.db.models.signals import post_delete, post_init, post_save

from .models import MentoringSession, Relationship

HELD = MentoringSession.Status.HELD
# Fields of a session that the summary depends on.
SUMMARY_FIELDS = frozenset({"status", "starts_at", "relationship", "relationship_id"})


def _loaded(sender, instance, **kwargs):
    # What the summary counted this session as when it was read (no query: deferred fields stay None).
    values = instance.__dict__
    instance._held_summary_loaded = (values.get("relationship_id"), values.get("status"))


def _session_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not SUMMARY_FIELDS & set(update_fields)):
        return
    loaded_relationship, loaded_status = getattr(instance, "_held_summary_loaded", (None, None))
    status = instance.__dict__.get("status")  # None when deferred: then recount to be safe
    instance._held_summary_loaded = (instance.relationship_id, status)
    if created:
        loaded_relationship, loaded_status = instance.relationship_id, None
    elif loaded_status is None:
        loaded_status = HELD
    if loaded_status != HELD and status is not None and status != HELD:
        return  # neither counted before nor now (a session scheduled, missed or cancelled)
    relationship_ids = {instance.relationship_id, loaded_relationship} - {None}
    Relationship.objects.filter(pk__in=relationship_ids).refresh_held_sessions()


def _session_deleted(sender, instance, **kwargs):
    if instance.status == HELD:
        Relationship.objects.filter(pk=instance.relationship_id).refresh_held_sessions()


def connect():
    uid = "mentoring:held_summary"
    post_init.connect(_loaded, sender=MentoringSession, dispatch_uid=uid)
    post_save.connect(_session_saved, sender=MentoringSession, dispatch_uid=uid)
    post_delete.connect(_session_deleted, sender=MentoringSession, dispatch_uid=uid)
