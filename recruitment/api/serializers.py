from rest_framework import serializers

from core import policy
from programmes.models import Cohort, YouthPartner
from recruitment.models import Application, MenteeImport, ScreeningCheck

from ..imports import MAX_FILE_BYTES


class ApplicationSerializer(serializers.ModelSerializer):
    applicant_name = serializers.CharField(source="user.get_full_name", read_only=True)
    industries = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    interests = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    decline_reason = serializers.CharField(source="decline_ground.label", read_only=True, default="")

    class Meta:
        model = Application
        fields = [
            "id",
            "user",
            "applicant_name",
            "programme",
            "role",
            "status",
            "submitted_at",
            "decided_at",
            "decline_reason",
            "feedback",
            "region",
            "support_areas",
            "industries",
            "interests",
            "hobbies",
            "background",
            "sector",
            "job_title",
            "languages",
            "available_days",
            "available_times",
            "capacity",
            "open_to_one_to_two",
            "preferred_settings",
            "conflict_partners",
            "conflicts_of_interest",
            "bio",
            "youth_partner",
            "stage",
            "careers_of_interest",
            "goals",
            "pairing_preference",
            "willing_outside_region",
        ]
        read_only_fields = fields


class ScreeningStatusSerializer(serializers.ModelSerializer):
    application_status = serializers.CharField(source="application.status", read_only=True)
    applicant = serializers.IntegerField(source="application.user_id", read_only=True)
    checklist = serializers.SerializerMethodField()
    complete = serializers.BooleanField(source="is_complete", read_only=True)
    renewal_due = serializers.DateField(read_only=True)

    class Meta:
        model = ScreeningCheck
        fields = [
            "id",
            "application",
            "applicant",
            "application_status",
            "identity_status",
            "background_check_status",
            "background_check_level",
            "certificate_last4",
            "certificate_issued_on",
            "update_service",
            "renewal_due",
            "interview_status",
            "checklist",
            "complete",
        ]
        read_only_fields = fields

    def get_checklist(self, screening) -> list[dict]:
        return [{"item": label, "done": done} for label, done in screening.checklist()]


class MenteeImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = MenteeImport
        fields = [
            "id",
            "youth_partner",
            "cohort",
            "filename",
            "status",
            "problems",
            "created_count",
            "skipped_count",
            "created_at",
            "committed_at",
        ]
        read_only_fields = fields


class MenteeImportUploadSerializer(serializers.Serializer):
    youth_partner = serializers.PrimaryKeyRelatedField(queryset=YouthPartner.objects.all())
    cohort = serializers.PrimaryKeyRelatedField(queryset=Cohort.objects.all())
    file = serializers.FileField()

    def validate_youth_partner(self, partner):
        if not policy.can_create(self.context["request"].user, MenteeImport, youth_partner=partner):
            raise serializers.ValidationError("You cannot import mentees for this youth partner.")
        return partner

    def validate(self, attrs):
        if attrs["cohort"].youth_partner_id != attrs["youth_partner"].pk:
            raise serializers.ValidationError({"cohort": "That cohort belongs to another youth partner."})
        return attrs

    def validate_file(self, upload):
        if upload.size > MAX_FILE_BYTES:
            raise serializers.ValidationError(f"The file is larger than {MAX_FILE_BYTES // 1024} KB.")
        return upload
