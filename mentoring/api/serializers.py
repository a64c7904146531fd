from rest_framework import serializers

from accounts.models import MenteeProfile, MentorProfile, User
from core import policy

from ..models import Cohort, Programme, Relationship, YouthPartner


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "slug",
            "summary",
            "relationship_months",
            "session_cadence",
            "session_minutes",
            "mentee_min_age",
            "mentee_max_age",
            "delivery_format",
            "matching_mode",
            "contact_email",
            "is_active",
        ]
        read_only_fields = ["slug"]

    def validate(self, attrs):
        low = attrs.get("mentee_min_age", getattr(self.instance, "mentee_min_age", None))
        high = attrs.get("mentee_max_age", getattr(self.instance, "mentee_max_age", None))
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"mentee_max_age": "The oldest age must not be below the youngest age."}
            )
        return attrs


class YouthPartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = YouthPartner
        fields = ["id", "name", "kind", "region", "address", "website", "is_active"]


class CohortSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = ["id", "programme", "youth_partner", "name", "start_date", "target_mentees"]

    def validate_youth_partner(self, partner):
        if not policy.can_create(self.context["request"].user, Cohort, youth_partner=partner):
            raise serializers.ValidationError("You cannot add cohorts for this youth partner.")
        return partner


class _ContactRedactingSerializer(serializers.ModelSerializer):
    """Contact fields are present only when the policy lets the viewer see them."""

    contact_fields: tuple[str, ...] = ()

    def _person(self, instance):
        return instance.user

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not policy.can(request.user, "view_contact", self._person(instance)):
            for field in self.contact_fields:
                data.pop(field, None)
        return data


class MenteeSerializer(_ContactRedactingSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    age_band = serializers.CharField(read_only=True)
    contact_fields = ("email", "phone", "address")

    class Meta:
        model = MenteeProfile
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "age_band",
            "stage",
            "region",
            "youth_partner",
            "cohort",
        ]


class MentorSerializer(_ContactRedactingSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    contact_fields = ("email", "phone")

    class Meta:
        model = MentorProfile
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "bio",
            "background",
            "sector",
            "job_title",
            "region",
            "capacity",
            "open_to_one_to_two",
        ]


class RelationshipSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="mentor.get_full_name", read_only=True)
    mentee_first_name = serializers.CharField(source="mentee.first_name", read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "id",
            "mentor",
            "mentor_name",
            "mentee",
            "mentee_first_name",
            "cohort",
            "status",
            "started_on",
            "ended_on",
        ]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "roles"]
        read_only_fields = ["id", "email", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.roles)
