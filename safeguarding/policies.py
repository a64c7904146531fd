"""Who may read concerns and messages.

Case records are for safeguarding leads (and deputies) only: not programme staff, not coordinators.
The reporter may see that their concern was received and its status (action "status").
Message threads are for the pair, and for the coordinators and DSLs of the mentee's youth partner.
"""

from django.db.models import Q

from accounts.models import Role
from core import policy

from .models import (
    CaseEntry,
    CaseExport,
    Concern,
    ErasureRequest,
    GiftDeclaration,
    MeetingRequest,
    MentorSuspension,
    Message,
    MessageAttachment,
    OutboxMessage,
    ProgrammeSafeguarding,
    SubjectAccessExport,
)

STATUS = "status"
OVERSEE = "oversee"


def _lead_programme_ids(user) -> list[int]:
    # From the role assignments already read for the request (User._assignments), not a query.
    return [
        programme
        for role, partner, programme in user._assignments
        if role == Role.SAFEGUARDING_LEAD and partner is None and programme is not None
    ]


def _case_q(user) -> Q:
    if Role.SAFEGUARDING_LEAD not in user.roles:
        return Q(pk__in=[])
    return (
        Q(youth_partner_id__in=user.safeguarding_partner_ids, kind=Concern.Kind.CHILD)
        | Q(programme_id__in=_lead_programme_ids(user))
        | Q(assigned_to=user)
    )


class ConcernPolicy(policy.ModelPolicy):
    model = Concern

    def scope(self, user, action, queryset):
        if action in (policy.VIEW, policy.CHANGE):
            return queryset.filter(_case_q(user))
        if action == STATUS:
            return queryset.filter(Q(reporter=user) | _case_q(user))
        return queryset.none()

    def can_create(self, user, **context):
        return True


def overseen_partner_ids(user) -> frozenset[int]:
    return user.coordinated_partner_ids | user.safeguarding_partner_ids


def thread_role(user, relationship) -> str | None:
    """'participant', 'overseer' or None for this user and this relationship's messages."""
    if user.pk in (relationship.mentor_id, relationship.mentee_id):
        return "participant"
    profile = getattr(relationship.mentee, "mentee_profile", None)
    if profile is not None and profile.youth_partner_id in overseen_partner_ids(user):
        return "overseer"
    return None


@policy.rule("safeguarding.read_thread", hidden=True)
def may_read_thread(user, relationship) -> bool:
    """The pair and the overseers of the mentee's partner; to anyone else the thread does not exist."""
    return thread_role(user, relationship) is not None


@policy.rule("safeguarding.write_in_thread")
def may_write_in_thread(user, relationship) -> bool:
    """Only the pair write in their thread (and ask to meet elsewhere); overseers read it."""
    return thread_role(user, relationship) == "participant"


@policy.rule("safeguarding.read_cases")
def may_read_cases(user) -> bool:
    """The case list: safeguarding leads and deputies (each sees only their own cases in it)."""
    return Role.SAFEGUARDING_LEAD in user.roles


@policy.rule("safeguarding.manage", message="Only programme staff can do this.")
def may_oversee_programme(user) -> bool:
    """Erasure, mentor suspension and removal, gift decisions: programme staff."""
    return user.is_programme_staff


@policy.rule("safeguarding.read_gifts")
def may_read_gifts(user) -> bool:
    """The gifts register: mentors declare and see their own; programme staff see and decide all."""
    return user.is_programme_staff or Role.MENTOR in user.roles


class MessagePolicy(policy.ModelPolicy):
    """Coordinators see under-18 threads in full and any message held for review (over-18 threads
    are otherwise the pair's own); the partner's DSLs see every thread of their young people."""

    model = Message

    def scope(self, user, action, queryset):
        partner = "relationship__mentee__mentee_profile__youth_partner_id__in"
        overseen = Q(**{partner: user.safeguarding_partner_ids}) | (
            Q(**{partner: user.coordinated_partner_ids})
            & (
                Q(copied_to_coordinator=True)
                | Q(status__in=[Message.Status.HELD, Message.Status.DECLINED, Message.Status.RETURNED])
            )
        )
        if action == policy.VIEW:
            participant = Q(relationship__mentor=user) | Q(relationship__mentee=user)
            return queryset.filter(
                overseen | (participant & (Q(status=Message.Status.DELIVERED) | Q(sender=user)))
            )
        if action == policy.CHANGE:
            return queryset.filter(overseen)
        return queryset.none()

    def can_create(self, user, **context):
        return bool(user.roles & {Role.MENTOR, Role.MENTEE})


class CaseEntryPolicy(policy.ModelPolicy):
    """Entries are part of the case record: the same readers as their concern."""

    model = CaseEntry

    def scope(self, user, action, queryset):
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(concern__in=ConcernPolicy().scope(user, policy.VIEW, Concern.objects.all()))


class CaseExportPolicy(policy.ModelPolicy):
    """Exports belong to the case record: the same readers as their concern."""

    model = CaseExport

    def scope(self, user, action, queryset):
        if action not in (policy.VIEW, policy.CHANGE):
            return queryset.none()
        return queryset.filter(concern__in=ConcernPolicy().scope(user, policy.VIEW, Concern.objects.all()))


class MessageAttachmentPolicy(policy.ModelPolicy):
    """A file goes with its message: the same readers."""

    model = MessageAttachment

    def scope(self, user, action, queryset):
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(message__in=MessagePolicy().scope(user, policy.VIEW, Message.objects.all()))


class OutboxMessagePolicy(policy.ModelPolicy):
    """Internal delivery rows: nobody reads them through the site."""

    model = OutboxMessage


class StaffOnlyPolicy(policy.ModelPolicy):
    def __init__(self, model):
        self.model = model

    def scope(self, user, action, queryset):
        return (
            queryset
            if user.is_programme_staff and action in (policy.VIEW, policy.CHANGE)
            else queryset.none()
        )

    def can_create(self, user, **context):
        return user.is_programme_staff


class MeetingRequestPolicy(policy.ModelPolicy):
    """The pair and the overseers of the mentee's partner see a request; the coordinators decide it."""

    model = MeetingRequest

    def scope(self, user, action, queryset):
        partner = "relationship__mentee__mentee_profile__youth_partner_id__in"
        if action == policy.CHANGE:
            return queryset.filter(**{partner: user.coordinated_partner_ids})
        if action != policy.VIEW:
            return queryset.none()
        return queryset.filter(
            Q(relationship__mentor=user)
            | Q(relationship__mentee=user)
            | Q(**{partner: overseen_partner_ids(user)})
        )


class GiftDeclarationPolicy(policy.ModelPolicy):
    model = GiftDeclaration

    def scope(self, user, action, queryset):
        if user.is_programme_staff and action in (policy.VIEW, policy.CHANGE):
            return queryset
        if action == policy.VIEW:
            return queryset.filter(mentor=user)
        return queryset.none()

    def can_create(self, user, **context):
        return Role.MENTOR in user.roles


class SubjectAccessExportPolicy(policy.ModelPolicy):
    """A person's data export is theirs: only they, and the member of staff who prepared it for them on
    a request they made, may see or download it. Anyone may ask for their own; programme staff may ask
    for someone else's."""

    model = SubjectAccessExport

    def scope(self, user, action, queryset):
        if action != policy.VIEW:
            return queryset.none()
        if user.is_programme_staff:
            return queryset.filter(Q(person=user) | Q(requested_by=user))
        return queryset.filter(person=user)

    def can_create(self, user, person=None, on_behalf=False, **context):
        if on_behalf or (person is not None and person.pk != user.pk):
            return user.is_programme_staff
        return True


for _policy in (
    ConcernPolicy(),
    MessagePolicy(),
    MessageAttachmentPolicy(),
    CaseEntryPolicy(),
    CaseExportPolicy(),
    OutboxMessagePolicy(),
    StaffOnlyPolicy(ErasureRequest),
    StaffOnlyPolicy(MentorSuspension),
    StaffOnlyPolicy(ProgrammeSafeguarding),
    MeetingRequestPolicy(),
    GiftDeclarationPolicy(),
    SubjectAccessExportPolicy(),
):
    policy.register(_policy)
