"""Who may see and act on applications, screening, imports and consent records."""

from django.db.models import Q

from accounts.models import Role
from core import policy
from recruitment.models import (
    Application,
    ApplicationWindow,
    ConsentRecord,
    ConsentRequest,
    DeclineGround,
    Industry,
    Interest,
    Invitation,
    MenteeImport,
    Reference,
    RenewalReminder,
    ScreeningCheck,
)

DECIDE = "decide"
# Withdraw an application: only the applicant, whoever else may see it.
WITHDRAW = "withdraw"
# Read the printable confirmation of a mentor's checks that a school keeps.
CONFIRM = "confirm"


@policy.rule("recruitment.see_applications")
def may_see_applications(user) -> bool:
    """The list of applications and its download: programme staff and youth-partner coordinators."""
    return user.is_programme_staff or bool(user.coordinated_partner_ids)


@policy.rule("recruitment.screen")
def may_screen(user) -> bool:
    """Decide applications in bulk, see the waiting pool and the checks due for renewal: programme staff."""
    return user.is_programme_staff


class ApplicationPolicy(policy.ModelPolicy):
    """Applicants see their own; coordinators their partner's mentee applications; staff all.

    Only the applicant changes a draft; only staff screen and decide.
    """

    model = Application

    def scope(self, user, action, queryset):
        if action == policy.VIEW:
            if user.is_programme_staff:
                return queryset
            condition = Q(user=user)
            if user.coordinated_partner_ids:
                condition |= Q(role=Role.MENTEE) & (
                    Q(youth_partner_id__in=user.coordinated_partner_ids)
                    | Q(user__mentee_profile__youth_partner_id__in=user.coordinated_partner_ids)
                )
            return queryset.filter(condition)
        if action == policy.CHANGE:
            return queryset.filter(user=user, status=Application.Status.DRAFT)
        if action == DECIDE:
            return queryset if user.is_programme_staff else queryset.none()
        if action == WITHDRAW:
            return queryset.filter(user=user)
        return queryset.none()


class ScreeningCheckPolicy(policy.ModelPolicy):
    """Staff keep the checklist; the applicant may see their own. The confirmation for a school goes
    to staff and to coordinators and DSLs of a partner where the mentor mentors one of its young people."""

    model = ScreeningCheck

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == CONFIRM:
            partner_ids = user.coordinated_partner_ids | user.safeguarding_partner_ids
            if not partner_ids:
                return queryset.none()
            return queryset.filter(
                application__user__mentor_relationships__mentee__mentee_profile__youth_partner_id__in=partner_ids
            ).distinct()
        if action == policy.VIEW:
            return queryset.filter(application__user=user)
        return queryset.none()


class MenteeImportPolicy(policy.ModelPolicy):
    model = MenteeImport

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        return queryset.filter(youth_partner_id__in=user.coordinated_partner_ids)

    def can_create(self, user, youth_partner=None, **context):
        if user.is_programme_staff:
            return True
        if youth_partner is None:
            return bool(user.coordinated_partner_ids)
        return youth_partner.pk in user.coordinated_partner_ids


class ConsentRecordPolicy(policy.ModelPolicy):
    """The young person, their coordinators and safeguarding leads, and staff see consent records;
    staff and coordinators record a withdrawal."""

    model = ConsentRecord

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW:
            partner_ids = user.coordinated_partner_ids | user.safeguarding_partner_ids
            return queryset.filter(
                Q(mentee=user) | Q(mentee__mentee_profile__youth_partner_id__in=partner_ids)
            )
        if action == policy.CHANGE:
            return queryset.filter(mentee__mentee_profile__youth_partner_id__in=user.coordinated_partner_ids)
        return queryset.none()


_policy: policy.ModelPolicy
for _policy in (ApplicationPolicy(), ScreeningCheckPolicy(), MenteeImportPolicy(), ConsentRecordPolicy()):
    policy.register(_policy)

# Rows reached only through an application or a mentee's record, and the lists forms offer.
for _policy in (
    policy.ThroughParentPolicy(Reference, "application"),
    policy.ThroughParentPolicy(RenewalReminder, "screening"),
    policy.ThroughParentPolicy(Invitation, "user", parent_action="manage"),
    policy.ThroughParentPolicy(ConsentRequest, "mentee", parent_action="manage"),
    policy.ReferenceDataPolicy(Industry),
    policy.ReferenceDataPolicy(Interest),
    policy.ReferenceDataPolicy(ApplicationWindow),
    policy.ReferenceDataPolicy(DeclineGround),
):
    policy.register(_policy)
