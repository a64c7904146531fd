"""Keep each relationship's held-session summary (held_sessions, first_held_at, last_held_at, and
held_logs, held_minutes from the session logs, with their months in RelationshipMonth) true whenever
one of its sessions or session logs is saved or deleted, however the write was made (service, admin,
factory). Writes that bypass model signals (bulk_create, QuerySet.update of a session's status or
start, or of a log) call `Relationship.objects.filter(...).refresh_held_sessions()` themselves.

The same way, keep each relationship's copy of its young person's dates (mentee_signed_up_on,
mentee_first_started_on, mentee_first_held_on) true whenever a relationship is created, deleted,
started or given to another young person, and whenever a young person's application or joining day
changes; bulk writers call `refresh_mentee_dates()`. And its goal counts (goals_agreed, goals_reached)
whenever a goal is saved or deleted; bulk writers call `refresh_goal_counts()`. And the young people
per cohort and region (CohortMentees) whenever a mentee profile is saved or deleted; bulk writers call
`CohortMentees.recount()`.

Deleting many rows at once (the demo removing its people, with their relationships, sessions, logs and
goals) would refresh a relationship once per row it held, mostly relationships being deleted too:
inside `deletions_refreshed_at_end()` the receivers of deletions only note what to refresh, and each
summary is refreshed once at the end, for the relationships, young people and cohorts still there."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q
from django.db.models.signals import post_delete, post_init, post_save

from accounts.models import Role

from .models import CohortMentees, Goal, MentoringSession, Relationship, SessionLog

HELD = MentoringSession.Status.HELD
# Fields of a session that the summary depends on.
SUMMARY_FIELDS = frozenset({"status", "starts_at", "relationship", "relationship_id"})
# Fields of a session log that the summary depends on.
LOG_SUMMARY_FIELDS = frozenset({"held", "duration_minutes", "session", "session_id"})


# What the deletions inside `deletions_refreshed_at_end()` left to refresh (None outside one).
_deferred: ContextVar[dict[str, set] | None] = ContextVar("mentoring_deferred_refreshes", default=None)


@contextmanager
def deletions_refreshed_at_end():
    """Rows deleted inside refresh the summaries they counted in once, at the end (not when it raises:
    the transaction that deleted them is rolled back), rather than once per row."""
    if _deferred.get() is not None:
        yield
        return
    pending: dict[str, set] = {"held": set(), "goals": set(), "mentees": set(), "cohorts": set()}
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending["held"]:
        Relationship.objects.filter(pk__in=pending["held"]).refresh_held_sessions()
    if pending["goals"]:
        Relationship.objects.filter(pk__in=pending["goals"]).refresh_goal_counts()
    _refresh_mentees(*pending["mentees"])
    if pending["cohorts"]:
        CohortMentees.recount(cohort_ids=pending["cohorts"])


def _later(kind: str, *ids) -> bool:
    """Note these ids to refresh at the end of `deletions_refreshed_at_end()`; False outside one."""
    pending = _deferred.get()
    if pending is None:
        return False
    pending[kind].update(pk for pk in ids if pk is not None)
    return True


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
    if instance.status == HELD and not _later("held", instance.relationship_id):
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
    if _deferred.get() is not None:
        sessions = MentoringSession.objects.filter(pk=instance.session_id)
        _later("held", *sessions.values_list("relationship_id", flat=True))
        return
    Relationship.objects.filter(sessions=instance.session_id).refresh_held_sessions()


# The young person's dates (RelationshipQuerySet.refresh_mentee_dates) --------------------------------


def _watched(instance, fields) -> tuple:
    values = instance.__dict__
    return tuple(values.get(field) for field in fields)


def _swap(instance, attr: str, fields) -> tuple[tuple, tuple]:
    """The watched fields' values as loaded (or last saved) and as saved now; now is remembered for the
    next save of the same instance."""
    now = _watched(instance, fields)
    loaded = getattr(instance, attr, (None,) * len(fields))
    setattr(instance, attr, now)
    return loaded, now


RELATIONSHIP_DATES = ("mentee_id", "started_on")
APPLICATION_DATES = ("user_id", "role", "submitted_at")
PROFILE_COHORT = ("cohort_id", "region")
PROFILE_PARTNER = ("user_id", "youth_partner_id")
GOAL_COUNTED = ("relationship_id", "status")


def _refresh_mentees(*mentee_ids) -> None:
    mentee_ids = {pk for pk in mentee_ids if pk is not None}
    if mentee_ids:
        Relationship.objects.filter(mentee_id__in=mentee_ids).refresh_mentee_dates()


def _relationship_loaded(sender, instance, **kwargs):
    instance._mentee_dates_loaded = _watched(instance, RELATIONSHIP_DATES)


def _relationship_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    loaded, now = _swap(instance, "_mentee_dates_loaded", RELATIONSHIP_DATES)
    if update_fields is not None and not {"started_on", "mentee", "mentee_id"} & set(update_fields):
        return
    if not created and loaded == now:
        return
    _refresh_mentees(now[0], loaded[0])


def _relationship_deleted(sender, instance, **kwargs):
    if not _later("mentees", instance.mentee_id):
        _refresh_mentees(instance.mentee_id)


def _application_loaded(sender, instance, **kwargs):
    instance._mentee_dates_loaded = _watched(instance, APPLICATION_DATES)


def _application_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    loaded, now = _swap(instance, "_mentee_dates_loaded", APPLICATION_DATES)
    if not created and loaded == now:
        return
    if Role.MENTEE in (loaded[1], now[1]):
        _refresh_mentees(now[0], loaded[0])


def _application_deleted(sender, instance, **kwargs):
    if instance.role == Role.MENTEE and not _later("mentees", instance.user_id):
        _refresh_mentees(instance.user_id)


def _user_loaded(sender, instance, **kwargs):
    instance._mentee_dates_joined = instance.__dict__.get("date_joined")


def _user_saved(sender, instance, created, raw=False, **kwargs):
    joined = instance.__dict__.get("date_joined")
    loaded, instance._mentee_dates_joined = getattr(instance, "_mentee_dates_joined", None), joined
    if not raw and not created and joined != loaded:
        _refresh_mentees(instance.pk)


# The young people per cohort and region (CohortMentees) ----------------------------------------------


def _profile_loaded(sender, instance, **kwargs):
    instance._cohort_count_loaded = _watched(instance, PROFILE_COHORT)
    instance._mentee_partner_loaded = _watched(instance, PROFILE_PARTNER)


def _profile_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    loaded, now = _swap(instance, "_cohort_count_loaded", PROFILE_COHORT)
    if created or loaded != now:
        cohorts = {now[0], loaded[0]} - {None}
        if cohorts:
            CohortMentees.recount(cohort_ids=cohorts)
    # The young person's relationships carry their youth partner (Relationship.mentee_partner).
    loaded, now = _swap(instance, "_mentee_partner_loaded", PROFILE_PARTNER)
    if created or loaded != now:
        _refresh_mentees(now[0], loaded[0])
    elif update_fields is None or {"youth_partner", "youth_partner_id"} & set(update_fields):
        # Saved as this copy last knew it, but another copy may have moved the profile meanwhile and
        # this save put it back: the relationships take the partner just written (one UPDATE, of no
        # rows when they already hold it).
        user_id, partner_id = now
        differs = Q(mentee_partner__isnull=False) if partner_id is None else ~Q(mentee_partner_id=partner_id)
        if partner_id is not None:
            differs |= Q(mentee_partner__isnull=True)
        Relationship.objects.filter(Q(mentee_id=user_id) & differs).update(mentee_partner_id=partner_id)


def _profile_deleted(sender, instance, **kwargs):
    if _later("cohorts", instance.cohort_id):
        _later("mentees", instance.user_id)
        return
    if instance.cohort_id is not None:
        CohortMentees.recount(cohort_ids={instance.cohort_id})
    _refresh_mentees(instance.user_id)


# The goal counts (RelationshipQuerySet.refresh_goal_counts) ----------------------------------------


def _goal_loaded(sender, instance, **kwargs):
    instance._goal_counts_loaded = _watched(instance, GOAL_COUNTED)


def _goal_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    loaded, now = _swap(instance, "_goal_counts_loaded", GOAL_COUNTED)
    if update_fields is not None and not {"status", "relationship", "relationship_id"} & set(update_fields):
        return
    if created or loaded != now:
        Relationship.objects.filter(pk__in={now[0], loaded[0]} - {None}).refresh_goal_counts()


def _goal_deleted(sender, instance, **kwargs):
    if not _later("goals", instance.relationship_id):
        Relationship.objects.filter(pk=instance.relationship_id).refresh_goal_counts()


def connect():
    from django.contrib.auth import get_user_model

    from accounts.models import MenteeProfile
    from recruitment.models import Application

    counts = "mentoring:cohort_mentees"
    post_init.connect(_profile_loaded, sender=MenteeProfile, dispatch_uid=counts)
    post_save.connect(_profile_saved, sender=MenteeProfile, dispatch_uid=counts)
    post_delete.connect(_profile_deleted, sender=MenteeProfile, dispatch_uid=counts)

    goals = "mentoring:goal_counts"
    post_init.connect(_goal_loaded, sender=Goal, dispatch_uid=goals)
    post_save.connect(_goal_saved, sender=Goal, dispatch_uid=goals)
    post_delete.connect(_goal_deleted, sender=Goal, dispatch_uid=goals)

    dates = "mentoring:mentee_dates"
    post_init.connect(_relationship_loaded, sender=Relationship, dispatch_uid=dates)
    post_save.connect(_relationship_saved, sender=Relationship, dispatch_uid=dates)
    post_delete.connect(_relationship_deleted, sender=Relationship, dispatch_uid=dates)
    post_init.connect(_application_loaded, sender=Application, dispatch_uid=dates)
    post_save.connect(_application_saved, sender=Application, dispatch_uid=dates)
    post_delete.connect(_application_deleted, sender=Application, dispatch_uid=dates)
    user = get_user_model()
    post_init.connect(_user_loaded, sender=user, dispatch_uid=dates)
    post_save.connect(_user_saved, sender=user, dispatch_uid=dates)

    uid = "mentoring:held_summary"
    post_init.connect(_loaded, sender=MentoringSession, dispatch_uid=uid)
    post_save.connect(_session_saved, sender=MentoringSession, dispatch_uid=uid)
    post_delete.connect(_session_deleted, sender=MentoringSession, dispatch_uid=uid)
    post_init.connect(_log_loaded, sender=SessionLog, dispatch_uid=uid)
    post_save.connect(_log_saved, sender=SessionLog, dispatch_uid=uid)
    post_delete.connect(_log_deleted, sender=SessionLog, dispatch_uid=uid)
