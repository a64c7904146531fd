"""Who may see and change courses, progress, workshops and certificates."""

from core import policy

from .models import (
    Certificate,
    Choice,
    Course,
    CourseVersion,
    Enrolment,
    Module,
    ModuleCompletion,
    Question,
    QuizAttempt,
    Section,
    TrainingRequirement,
    Workshop,
    WorkshopBooking,
)


@policy.rule("training.manage")
def may_manage_training(user) -> bool:
    """Write courses, read the training reports and their downloads: programme staff."""
    return user.is_programme_staff


@policy.rule("training.give_workshop_feedback")
def attended_workshop(user, workshop) -> bool:
    """Feedback on a workshop comes from the people marked as having attended it."""
    return WorkshopBooking.objects.filter(workshop=workshop, user=user, attended=True).exists()


@policy.rule(
    "training.mark_attendance",
    message="Only programme staff and the workshop's facilitator mark attendance.",
)
def may_mark_attendance(user, workshop) -> bool:
    """Programme staff, and the person named as the workshop's facilitator."""
    return user.is_programme_staff or (
        workshop.facilitator_id is not None and workshop.facilitator_id == user.pk
    )


class _StaffWritePolicy(policy.ModelPolicy):
    """Everyone signed in may view; programme staff change and create."""

    def scope(self, user, action, queryset):
        if action == policy.VIEW or user.is_programme_staff:
            return queryset
        return queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class CoursePolicy(_StaffWritePolicy):
    model = Course


class WorkshopPolicy(_StaffWritePolicy):
    model = Workshop


class _StaffOnlyPolicy(policy.ModelPolicy):
    """Authoring objects (drafts, previews): programme staff only."""

    def scope(self, user, action, queryset):
        return queryset if user.is_programme_staff else queryset.none()

    def can_create(self, user, **context):
        return user.is_programme_staff


class CourseVersionPolicy(_StaffOnlyPolicy):
    model = CourseVersion


class ModulePolicy(_StaffOnlyPolicy):
    model = Module


class SectionPolicy(_StaffOnlyPolicy):
    model = Section


class EnrolmentPolicy(policy.ModelPolicy):
    """A learner's own progress; staff see everyone's but only the learner answers quizzes."""

    model = Enrolment

    def scope(self, user, action, queryset):
        if action == policy.VIEW and user.is_programme_staff:
            return queryset
        return queryset.filter(user=user)


class CertificatePolicy(policy.ModelPolicy):
    """Holders see their own; staff see and revoke any."""

    model = Certificate

    def scope(self, user, action, queryset):
        if user.is_programme_staff:
            return queryset
        if action == policy.VIEW:
            return queryset.filter(user=user)
        return queryset.none()


class WorkshopBookingPolicy(policy.ModelPolicy):
    model = WorkshopBooking

    def scope(self, user, action, queryset):
        if action == policy.VIEW and user.is_programme_staff:
            return queryset
        return queryset.filter(user=user)


_policy: policy.ModelPolicy
for _policy in (
    CoursePolicy(),
    WorkshopPolicy(),
    CourseVersionPolicy(),
    ModulePolicy(),
    SectionPolicy(),
    EnrolmentPolicy(),
    CertificatePolicy(),
    WorkshopBookingPolicy(),
):
    policy.register(_policy)

# Rows reached only through a module or an enrolment, and the per-programme completion rule.
for _policy in (
    policy.ThroughParentPolicy(Question, "module"),
    policy.ThroughParentPolicy(Choice, "question"),
    policy.ThroughParentPolicy(ModuleCompletion, "enrolment"),
    policy.ThroughParentPolicy(QuizAttempt, "enrolment"),
    policy.ReferenceDataPolicy(TrainingRequirement),
):
    policy.register(_policy)
