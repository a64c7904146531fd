"""Keep each employer's months (EmployerMonth: its mentors' held logs, minutes, mentors and young people
per month) true in the transaction of every write that moves them, however it was made (service,
admin, factory): a relationship's held months recounted (mentoring.signals.held_months_recounted, sent
by every path that recounts a relationship's held-session summary), a relationship given to another
mentor or young person, or deleted, and a mentor joining, leaving or changing employer. A change of a
relationship's status moves none of them: the months count every relationship of the employer's
mentors. Writes that bypass model signals (bulk_create of memberships) call `EmployerMonth.recount`
themselves."""

from django.db.models.signals import post_delete, post_init, post_save, pre_save

from mentoring.models import Relationship, RelationshipMonth
from mentoring.signals import held_months_recounted

from .models import EmployerMembership, EmployerMonth

RELATIONSHIP_PEOPLE = ("mentor_id", "mentee_id")


def _employers_of(mentor_ids) -> set[int]:
    """The employers these mentors are linked to (one query; none without mentors)."""
    mentor_ids = [pk for pk in mentor_ids if pk is not None]
    if not mentor_ids:
        return set()
    memberships = EmployerMembership.objects.filter(mentor_id__in=mentor_ids)
    return set(memberships.values_list("employer_id", flat=True))


def _months_recounted(sender, relationships, **kwargs):
    linked = EmployerMembership.objects.filter(mentor_id__in=relationships.order_by().values("mentor_id"))
    EmployerMonth.recount(employer_ids=set(linked.values_list("employer_id", flat=True)))


def _moves_people(instance, raw, update_fields) -> bool:
    """Whether this save of a relationship may give it another mentor or young person."""
    if raw or instance._state.adding:
        return False
    return update_fields is None or bool(set(update_fields) & {"mentor", "mentor_id", "mentee", "mentee_id"})


def _relationship_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    # Who its mentor and young person were, read from the row about to be written (one query by its
    # key, on a save that may change them), rather than remembered on every relationship ever loaded.
    if _moves_people(instance, raw, update_fields):
        row = Relationship.objects.filter(pk=instance.pk).values_list(*RELATIONSHIP_PEOPLE).first()
        instance._employer_months_before = row


def _relationship_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    before = instance.__dict__.pop("_employer_months_before", None)
    # A new relationship has no held months yet; one given to another mentor or young person moves
    # its months' people (and, with another mentor, perhaps to another employer).
    if before is None or not _moves_people(instance, raw, update_fields):
        return
    now = (instance.mentor_id, instance.mentee_id)
    if now != before:
        EmployerMonth.recount(employer_ids=_employers_of({now[0], before[0]}))


def _relationship_deleted(sender, instance, **kwargs):
    # Its months went with it (deleted first); its mentor's employer counts without them.
    EmployerMonth.recount(employer_ids=_employers_of({instance.mentor_id}))


def _membership_loaded(sender, instance, **kwargs):
    instance._employer_months_loaded = instance.__dict__.get("employer_id")


def _membership_saved(sender, instance, created, raw=False, **kwargs):
    loaded = None if created else getattr(instance, "_employer_months_loaded", None)
    instance._employer_months_loaded = instance.employer_id
    if raw or (not created and loaded == instance.employer_id):
        return
    EmployerMonth.recount(employer_ids={instance.employer_id, loaded})


def _membership_deleted(sender, instance, **kwargs):
    EmployerMonth.recount(employer_ids={instance.employer_id})


def connect():
    uid = "community:employer_months"
    held_months_recounted.connect(_months_recounted, sender=RelationshipMonth, dispatch_uid=uid)
    pre_save.connect(_relationship_saving, sender=Relationship, dispatch_uid=uid)
    post_save.connect(_relationship_saved, sender=Relationship, dispatch_uid=uid)
    post_delete.connect(_relationship_deleted, sender=Relationship, dispatch_uid=uid)
    post_init.connect(_membership_loaded, sender=EmployerMembership, dispatch_uid=uid)
    post_save.connect(_membership_saved, sender=EmployerMembership, dispatch_uid=uid)
    post_delete.connect(_membership_deleted, sender=EmployerMembership, dispatch_uid=uid)
