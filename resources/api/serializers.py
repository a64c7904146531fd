from rest_framework import serializers

from ..markup import markdown_to_html
from ..models import Bulletin, Resource


class ResourceSerializer(serializers.ModelSerializer):
    audiences = serializers.ListField(child=serializers.CharField(), read_only=True)
    average_rating = serializers.FloatField(read_only=True, allow_null=True)
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = Resource
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "body",
            "body_html",
            "kind",
            "topic",
            "ingredient",
            "keywords",
            "minutes",
            "for_under_16",
            "for_16_to_18",
            "for_adults",
            "audiences",
            "status",
            "published_at",
            "average_rating",
            "rating_count",
            "use_count",
        ]
        read_only_fields = ["slug", "status", "published_at", "rating_count", "use_count"]

    def get_body_html(self, resource) -> str:
        return str(markdown_to_html(resource.body))


class BulletinSerializer(serializers.ModelSerializer):
    featured_resources = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Resource.objects.published(), required=False
    )

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "title",
            "issue_date",
            "news",
            "skill_builder",
            "upcoming_events",
            "featured_resources",
            "status",
            "sent_at",
        ]
        read_only_fields = ["status", "sent_at"]
