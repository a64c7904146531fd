from django.db.models import Prefetch
from django.utils.dateparse import parse_date
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import PolicyScopedViewSetMixin, rule_permission

from .. import dashboard, selectors, services
from ..models import Answer, InstrumentVersion, SurveyResponse
from ..policies import aggregate_partner_scope
from . import serializers

MAX_ID = 2**63 - 1


class InstrumentViewSet(PolicyScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Published survey instruments with their questions (staff also see drafts)."""

    queryset = (
        InstrumentVersion.objects.select_related("instrument")
        .prefetch_related("questions")
        .order_by("instrument__name", "-number")
    )
    serializer_class = serializers.InstrumentVersionSerializer


class SurveyResponseViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in person's own survey responses; answers are saved (and submitted) through `answers`."""

    queryset = SurveyResponse.objects.select_related("instance__version__instrument").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("question"))
    )
    serializer_class = serializers.SurveyResponseSerializer

    @extend_schema(request=serializers.AnswersInputSerializer, responses=serializers.SurveyResponseSerializer)
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        response = self.get_object()
        payload = serializers.AnswersInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.response_save(
            actor=request.user,
            response=response,
            answers=payload.validated_data["answers"],
            submit=payload.validated_data["submit"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=response.pk)).data)


@extend_schema(responses={200: dict})
@api_view(["GET"])
@permission_classes([IsAuthenticated, rule_permission("evaluation.read_impact")])
def aggregates(request):
    """Impact aggregates, small cells suppressed: staff and funders see all partners, coordinators theirs.

    `item` chooses the statement to break down (its code; default the young people's headline
    statement) and `breakdown` the grouping. Shares are numbers from 0 to 1."""
    partner_ids = aggregate_partner_scope(request.user)

    def number(name):
        value = request.query_params.get(name, "")
        if not value:
            return None
        # A filter that cannot name a row is a mistake to report, not to ignore (or to overflow on).
        if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
            raise ValidationError({name: "Give the number (id) of one row."})
        return int(value)

    def day(name):
        try:
            return parse_date(request.query_params.get(name, ""))
        except ValueError:
            raise ValidationError({name: "Give a date as YYYY-MM-DD."}) from None

    catalogue = selectors.item_catalogue()
    item = request.query_params.get("item") or None
    if item is not None and item not in catalogue:
        raise ValidationError({"item": "Give the code of a before-and-after statement."})
    breakdown = request.query_params.get("breakdown") or "youth_partner"
    if breakdown not in selectors.BREAKDOWNS:
        raise ValidationError({"breakdown": f"Choose one of: {', '.join(selectors.BREAKDOWNS)}."})
    aggregate_filter = selectors.AggregateFilter(
        programme_id=number("programme"),
        cohort_id=number("cohort"),
        youth_partner_id=number("youth_partner"),
        partner_ids=partner_ids,
        start=day("start"),
        end=day("end"),
    )
    data = dashboard.build(aggregate_filter, breakdown=breakdown, item=item, catalogue=catalogue)
    return Response(
        {"period": data["period"], **{table.key: table.as_dict() for table in dashboard.tables(data)}}
    )
