"""Outbox rows only: case records and messages are read through the site, where reads are logged."""

from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["topic", "status", "available_at", "attempts", "done_at"]
    list_filter = ["status", "topic"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
