from django.contrib import admin

from .models import Cohort, Programme, Relationship, YouthPartner


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
