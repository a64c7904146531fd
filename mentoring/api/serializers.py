from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import MenteeProfile, MentorProfile, User
from core import policy
from core.api_schema import fields_sometimes_left_out

from ..models import (
    Closure,
    Cohort,
    Goal,
    HeldText,
    MentoringSession,
    Programme,
    Relationship,
    SessionLog,
    Topic,
    Venue,
    YouthPartner,
)
from ..moderation import held_message
from ..selectors import CADENCE_LABELS


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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The schema must not promise fields that some viewers do not get.
        fields_sometimes_left_out(cls.__name__.removesuffix("Serializer"), cls.contact_fields)

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

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    # Empty until the relationship ends.
    end_reason = serializers.ChoiceField(
        choices=Relationship.EndReason.choices, allow_blank=True, read_only=True
    )
    # As the coordinator's relationships list shows them.
    youth_partner_name = serializers.CharField(
        source="mentee.mentee_profile.youth_partner.name", read_only=True
    )
    next_session_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_log_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cadence = serializers.ChoiceField(choices=list(CADENCE_LABELS.items()), read_only=True)
    cadence_label = serializers.SerializerMethodField()

    def get_cadence_label(self, relationship) -> str:
        return CADENCE_LABELS[relationship.cadence]

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
            "status_label",
            "group_key",
            "started_on",
            "planned_end_on",
            "ended_on",
            "end_reason",
            "youth_partner_name",
            "next_session_at",
            "last_log_at",
            "cadence",
            "cadence_label",
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


# Relationships in progress -------------------------------------------------------------------------
class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Relationship.Status.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class CloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Relationship.EndReason.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    final_meeting_held = serializers.BooleanField(required=False, default=False)
    checklist = serializers.ListField(
        child=serializers.ChoiceField(choices=Closure.CHECKLIST), required=False, default=list
    )
    contact_policy_acknowledged = serializers.BooleanField()


class ExtendSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=12)
    mentor_agrees = serializers.BooleanField()
    mentee_agrees = serializers.BooleanField()


class ScheduleSerializer(serializers.Serializer):
    first_starts_at = serializers.DateTimeField()
    count = serializers.IntegerField(min_value=1, max_value=24)
    duration_minutes = serializers.IntegerField(min_value=15, max_value=240, required=False, allow_null=True)
    venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.filter(is_active=True), required=False, allow_null=True
    )
    is_online = serializers.BooleanField(required=False, default=False)


class RescheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=300)
    venue = serializers.PrimaryKeyRelatedField(
        queryset=Venue.objects.filter(is_active=True), required=False, allow_null=True
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class MentoringSessionSerializer(serializers.ModelSerializer):
    where = serializers.CharField(read_only=True)

    class Meta:
        model = MentoringSession
        fields = [
            "id",
            "relationship",
            "number",
            "starts_at",
            "duration_minutes",
            "venue",
            "is_online",
            "where",
            "status",
            "change_reason",
        ]
        read_only_fields = fields


class GoalUpdateSerializer(serializers.Serializer):
    goal = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Goal.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class HeldTextSerializer(serializers.ModelSerializer):
    """Text held for a check because it seems to contain contact details: nothing is shown to the
    other side of the pair until a coordinator releases it."""

    detail = serializers.SerializerMethodField()

    class Meta:
        model = HeldText
        fields = ["id", "kind", "status", "hold_reason", "decline_reason", "created_at", "detail"]
        read_only_fields = fields

    def get_detail(self, held) -> str:
        return held_message(held)


class HeldTextDetailSerializer(HeldTextSerializer):
    """Held text as its writer and its reviewers see it: what was written, part by part."""

    author = serializers.CharField(source="author.get_full_name", read_only=True)
    texts = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta(HeldTextSerializer.Meta):
        fields = [*HeldTextSerializer.Meta.fields, "relationship", "author", "texts", "reviewed_at"]
        read_only_fields = fields


class HeldTextRewriteSerializer(serializers.Serializer):
    texts = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000),
        help_text="Every part of the text, by the same names as `texts`, changed as the reviewer asked.",
    )


class HeldTextDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why it is not shown: the writer reads this.")


class HeldTextReturnSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, help_text="What to change: the writer reads this.")


class CancelledSessionSerializer(MentoringSessionSerializer):
    """A cancelled session, saying whether the reason given was held for a check (an adult pair's
    reason that seems to contain contact details waits for a coordinator before anyone reads it)."""

    held_for_review = serializers.SerializerMethodField(
        help_text="The reason, when it was held for a check because it seems to contain contact details."
    )

    class Meta(MentoringSessionSerializer.Meta):
        fields = [*MentoringSessionSerializer.Meta.fields, "held_for_review"]
        read_only_fields = fields

    @extend_schema_field(HeldTextSerializer(many=True))
    def get_held_for_review(self, session) -> list:
        held = getattr(session, "held_for_review", None)
        return HeldTextSerializer([held] if held is not None else [], many=True).data


class SessionLogSerializer(serializers.ModelSerializer):
    goal_updates = GoalUpdateSerializer(many=True, required=False, write_only=True)
    held_for_review = serializers.SerializerMethodField(
        help_text="On saving: notes held for a check because they seem to contain contact details."
    )
    topics = serializers.ListField(child=serializers.ChoiceField(choices=Topic.choices), required=False)

    class Meta:
        model = SessionLog
        fields = [
            "id",
            "session",
            "author",
            "held",
            "missed_by",
            "duration_minutes",
            "format",
            "topics",
            "summary",
            "next_time_notes",
            "mentee_activity",
            "worrying",
            "goal_updates",
            "held_for_review",
            "created_at",
        ]
        read_only_fields = ["id", "session", "author", "created_at"]

    @extend_schema_field(HeldTextSerializer(many=True))
    def get_held_for_review(self, log) -> list:
        return HeldTextSerializer(getattr(log, "held_for_review", []), many=True).data


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = [
            "id",
            "relationship",
            "title",
            "measure",
            "first_step",
            "why",
            "term",
            "owner",
            "target_date",
            "status",
            "created_at",
        ]
        read_only_fields = ["id", "status", "created_at"]

    def validate_relationship(self, relationship):
        user = self.context["request"].user
        if not policy.scope(user, policy.VIEW, Relationship).filter(pk=relationship.pk).exists():
            raise serializers.ValidationError("No such relationship.")
        return relationship


class GoalProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Goal.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
