from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core import policy
from core.api import PolicyScopedViewSetMixin
from matching import services
from matching.models import MatchingRound, Proposal
from programmes.models import Cohort, Programme, YouthPartner

from . import serializers


class RoundViewSet(
    PolicyScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Matching rounds: start one over a cohort, a youth partner's cohorts or a programme, and follow it."""

    queryset = MatchingRound.objects.select_related("programme", "cohort", "youth_partner").order_by("-id")
    serializer_class = serializers.RoundSerializer
    filterset_fields = ["status", "scope", "programme"]

    @extend_schema(request=serializers.RoundCreateSerializer, responses=serializers.RoundSerializer)
    def create(self, request, *args, **kwargs):
        serializer = serializers.RoundCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def visible(model, key, action=policy.VIEW):
            if data.get(key) is None:
                return None
            # A field naming a row the caller cannot use is a field error (400), like any other.
            found = policy.scope(request.user, action, model).filter(pk=data[key]).first()
            if found is None:
                raise ValidationError(
                    {key: [f"Choose a {model._meta.verbose_name} you may start a round for."]}
                )
            return found

        cohort = visible(Cohort, "cohort", policy.CHANGE)
        programme = cohort.programme if cohort else visible(Programme, "programme")
        if programme is None:
            return Response({"programme": ["Choose the programme."]}, status=status.HTTP_400_BAD_REQUEST)
        matching_round = services.round_start(
            actor=request.user,
            programme=programme,
            scope=data["scope"],
            cohort=cohort,
            youth_partner=visible(YouthPartner, "youth_partner", policy.CHANGE),
            protect_worst_off=data["protect_worst_off"],
        )
        return Response(serializers.RoundSerializer(matching_round).data, status=status.HTTP_201_CREATED)


class ProposalViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Proposals the user may decide, with accept and reject (with a reason) actions."""

    queryset = Proposal.objects.select_related("mentor", "mentee").order_by("-id")
    serializer_class = serializers.ProposalSerializer
    filterset_fields = ["round", "status"]

    @extend_schema(request=None, responses=serializers.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        proposal = services.proposal_accept(actor=request.user, proposal=self.get_object())
        return Response(serializers.ProposalSerializer(proposal).data)

    @extend_schema(request=serializers.RejectSerializer, responses=serializers.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        proposal = self.get_object()
        serializer = serializers.RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.proposal_reject(
            actor=request.user, proposal=proposal, reason=serializer.validated_data["reason"]
        )
        return Response(serializers.ProposalSerializer(proposal).data)
