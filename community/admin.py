from django.contrib import admin

from . import services
from .models import (
    BuddyMessage,
    BuddyPairing,
    BuddyPreference,
    EmployerContact,
    EmployerMembership,
    EmployerPartner,
    Event,
    EventRegistration,
)


class EmployerMembershipInline(admin.TabularInline):
    model = EmployerMembership
    raw_id_fields = ["mentor"]
    extra = 0


class EmployerContactInline(admin.TabularInline):
    model = EmployerContact
    raw_id_fields = ["user"]
    extra = 0


@admin.register(EmployerPartner)
class EmployerPartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "region", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name"]
    inlines = [EmployerContactInline, EmployerMembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not EmployerContact:
            return super().save_formset(request, form, formset, change)
        # A new contact also needs the employer contact role: the service gives both.
        instances = formset.save(commit=False)
        for contact in formset.deleted_objects:
            contact.delete()
        for contact in instances:
            services.employer_contact_add(actor=request.user, employer=contact.employer, user=contact.user)
        formset.save_m2m()


@admin.register(EmployerMembership)
class EmployerMembershipAdmin(admin.ModelAdmin):
    list_display = ["mentor", "employer", "created_at"]
    raw_id_fields = ["mentor"]
    list_select_related = ["mentor", "employer"]


@admin.register(EmployerContact)
class EmployerContactAdmin(admin.ModelAdmin):
    list_display = ["user", "employer"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "employer"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        services.employer_contact_add(actor=request.user, employer=obj.employer, user=obj.user)


class EventRegistrationInline(admin.TabularInline):
    model = EventRegistration
    raw_id_fields = ["mentor"]
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "format", "region", "employer", "capacity", "status"]
    list_filter = ["status", "format", "region"]
    search_fields = ["title"]
    raw_id_fields = ["organiser"]
    readonly_fields = ["sequence"]
    inlines = [EventRegistrationInline]


@admin.register(BuddyPreference)
class BuddyPreferenceAdmin(admin.ModelAdmin):
    list_display = ["mentor", "wants", "is_active"]
    list_filter = ["wants", "is_active"]
    raw_id_fields = ["mentor"]


@admin.register(BuddyPairing)
class BuddyPairingAdmin(admin.ModelAdmin):
    list_display = ["new_mentor", "experienced_mentor", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["new_mentor", "experienced_mentor", "suggested_by"]
    readonly_fields = ["new_accepted_at", "experienced_accepted_at", "ended_at"]


@admin.register(BuddyMessage)
class BuddyMessageAdmin(admin.ModelAdmin):
    list_display = ["pairing", "author", "created_at"]
    raw_id_fields = ["pairing", "author"]

    # Posting goes through the service, which keeps mentee details out; the admin only reads.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
