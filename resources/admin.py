from django.contrib import admin

from .models import Bulletin, BulletinDelivery, FaqEntry, Resource, ResourceRating, SessionResource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "topic", "ingredient", "status", "rating_count", "use_count"]
    list_filter = ["status", "kind", "topic", "ingredient"]
    search_fields = ["title", "summary", "keywords"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["rating_count", "rating_total", "use_count", "published_at", "created_by"]


@admin.register(ResourceRating)
class ResourceRatingAdmin(admin.ModelAdmin):
    list_display = ["resource", "mentor", "stars", "updated_at"]
    raw_id_fields = ["resource", "mentor"]


@admin.register(SessionResource)
class SessionResourceAdmin(admin.ModelAdmin):
    list_display = ["resource", "session", "attached_by", "attached_at"]
    raw_id_fields = ["resource", "session", "attached_by"]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "topic", "position", "is_published"]
    list_filter = ["topic", "is_published"]
    search_fields = ["question", "answer"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["title", "issue_date", "status", "sent_at"]
    list_filter = ["status"]
    # Status changes go through the send service, which claims the work and starts the task.
    readonly_fields = ["status", "send_started_at", "sent_at", "created_by"]
    filter_horizontal = ["featured_resources"]


@admin.register(BulletinDelivery)
class BulletinDeliveryAdmin(admin.ModelAdmin):
    list_display = ["bulletin", "recipient", "sent_at"]
    raw_id_fields = ["bulletin", "recipient"]
    readonly_fields = ["bulletin", "recipient", "sent_at"]
