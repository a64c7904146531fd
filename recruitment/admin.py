from django.contrib import admin

from recruitment.models import (
    Application,
    ApplicationWindow,
    ConsentRecord,
    DeclineGround,
    Industry,
    Interest,
    MenteeImport,
    ScreeningCheck,
)


@admin.register(ApplicationWindow)
class ApplicationWindowAdmin(admin.ModelAdmin):
    list_display = ["programme", "cohort", "role", "opens_on", "closes_on"]
    list_filter = ["role", "programme"]


@admin.register(DeclineGround)
class DeclineGroundAdmin(admin.ModelAdmin):
    list_display = ["label", "programme"]
    list_filter = ["programme"]


@admin.register(Industry, Interest)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "role", "status", "submitted_at"]
    list_filter = ["role", "status", "programme"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["user", "decided_by"]
    readonly_fields = ["status", "submitted_at", "decided_at", "decided_by"]


@admin.register(ScreeningCheck)
class ScreeningCheckAdmin(admin.ModelAdmin):
    list_display = ["application", "identity_status", "background_check_status", "background_check_level"]
    # Who checked is stamped by the screening service from the acting user, never typed in.
    readonly_fields = ["certificate_last4", "checked_by", "checked_on"]


@admin.register(MenteeImport)
class MenteeImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "youth_partner", "status", "created_at"]
    readonly_fields = ["rows", "problems"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["mentee", "given_by_name", "given_at", "text_version", "withdrawn_at"]
    readonly_fields = ["text", "text_version", "given_at", "given_by_name", "given_by_email"]
