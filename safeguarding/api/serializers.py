from django.urls import reverse
from rest_framework import serializers

from mentoring.models import Relationship
from safeguarding.models import Concern, Message, SubjectAccessExport


class MessageSerializer(serializers.ModelSerializer):
    sender_name = serializers.CharField(source="sender.first_name", read_only=True)

    class Meta:
        model = Message
        fields = ["id", "relationship", "sender", "sender_name", "body", "sent_at", "status", "hold_reason"]
        read_only_fields = ["sender", "sent_at", "status", "hold_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only the person's own relationships can be written to; others look like they don't exist.
            user = request.user
            self.fields["relationship"].queryset = Relationship.objects.filter(
                mentor=user
            ) | Relationship.objects.filter(mentee=user)


class ConcernCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Concern
        fields = [
            "kind",
            "young_person",
            "adult_concerned",
            "immediate_danger",
            "childs_words",
            "questions_asked",
            "happened_at",
            "who_is_at_risk",
            "context",
            "facts",
            "opinion",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            from safeguarding.services import concern_subjects_for

            self.fields["young_person"].queryset = concern_subjects_for(user=request.user)


class ConcernStatusSerializer(serializers.ModelSerializer):
    """What a reporter may know about their concern: that it was received, and its status."""

    class Meta:
        model = Concern
        fields = ["id", "reference", "created_at", "status"]


class DataExportSerializer(serializers.ModelSerializer):
    """A copy of the person's own data: its progress while it is prepared, then where to download it."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    message = serializers.CharField(source="progress_message", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SubjectAccessExport
        fields = [
            "id",
            "status",
            "status_label",
            "progress",
            "message",
            "created_at",
            "ready_at",
            "expires_at",
            "size",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, export) -> str | None:
        if export.status != SubjectAccessExport.Status.READY:
            return None
        return reverse("api:data-export-download", args=[export.pk])
