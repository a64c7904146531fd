from django.contrib import admin

from .models import (
    Certificate,
    Course,
    CourseVersion,
    Enrolment,
    TrainingRequirement,
    Workshop,
    WorkshopBooking,
)


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "is_mandatory", "deadline_days"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(CourseVersion)
class CourseVersionAdmin(admin.ModelAdmin):
    list_display = ["course", "number", "status", "published_at"]
    list_filter = ["status"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "version", "started_on", "due_on", "completed_at"]
    raw_id_fields = ["user", "last_module"]


@admin.register(TrainingRequirement)
class TrainingRequirementAdmin(admin.ModelAdmin):
    list_display = ["programme", "core_workshop_required"]
    filter_horizontal = ["courses"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "delivery", "starts_at", "capacity"]


@admin.register(WorkshopBooking)
class WorkshopBookingAdmin(admin.ModelAdmin):
    list_display = ["workshop", "user", "status", "attended", "rating"]
    raw_id_fields = ["user"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["holder_name", "title", "completed_on", "status"]
    readonly_fields = ["code"]
    raw_id_fields = ["user"]
