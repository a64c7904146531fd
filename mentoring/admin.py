from django.contrib import admin

from .models import (
    AgreementTemplate,
    BlackoutDate,
    Cohort,
    Programme,
    Relationship,
    RelationshipEvent,
    Term,
    Venue,
    YouthPartner,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "relationship_months", "session_cadence", "delivery_format", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(YouthPartner)
class YouthPartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "youth_partner", "start_date"]
    list_filter = ["programme"]
    autocomplete_fields = ["programme", "youth_partner"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["mentor", "mentee", "cohort", "status"]
    list_filter = ["status"]
    raw_id_fields = ["mentor", "mentee", "cohort"]
    # Status and closure go through the lifecycle service (history and audit), never a raw edit.
    readonly_fields = [
        "status",
        "started_on",
        "ended_on",
        "end_reason",
        "messaging_enabled",
        "rematch_available_on",
    ]


@admin.register(RelationshipEvent)
class RelationshipEventAdmin(admin.ModelAdmin):
    list_display = ["relationship", "from_status", "to_status", "actor", "occurred_at"]
    list_filter = ["to_status"]
    raw_id_fields = ["relationship", "actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    """Each programme's mentoring agreement; programmes without one use the standard text."""

    list_display = ["programme", "updated_at"]
    autocomplete_fields = ["programme"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "youth_partner", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    autocomplete_fields = ["youth_partner"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["label", "youth_partner", "starts_on", "ends_on"]
    autocomplete_fields = ["youth_partner"]


@admin.register(BlackoutDate)
class BlackoutDateAdmin(admin.ModelAdmin):
    list_display = ["label", "youth_partner", "starts_on", "ends_on"]
    autocomplete_fields = ["youth_partner"]
