from rest_framework import serializers

from matching.models import MatchingRound, Proposal


class RoundSerializer(serializers.ModelSerializer):
    pool = serializers.CharField(source="pool_label", read_only=True)

    class Meta:
        model = MatchingRound
        fields = [
            "id",
            "programme",
            "scope",
            "cohort",
            "youth_partner",
            "pool",
            "status",
            "progress",
            "progress_message",
            "protect_worst_off",
            "weights",
            "quality",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class RoundCreateSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=MatchingRound.Scope.choices)
    programme = serializers.IntegerField(required=False)
    cohort = serializers.IntegerField(required=False)
    youth_partner = serializers.IntegerField(required=False)
    protect_worst_off = serializers.BooleanField(required=False, default=False)


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal as a coordinator sees it: names and the explanation, no contact details."""

    mentor_name = serializers.CharField(source="mentor.get_full_name", read_only=True)
    mentee_first_name = serializers.CharField(source="mentee.first_name", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "round",
            "mentor",
            "mentor_name",
            "mentee",
            "mentee_first_name",
            "cohort",
            "score",
            "explanation",
            "first_need_met",
            "locked",
            "manual",
            "status",
            "reason",
            "decided_at",
            "relationship",
        ]
        read_only_fields = fields


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
