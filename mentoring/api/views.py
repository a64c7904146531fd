from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import MenteeProfile, MentorProfile
from accounts.services import user_profile_update
from core.api import PolicyScopedViewSetMixin

from .. import services
from ..filters import filter_age_band
from ..models import Cohort, Programme, Relationship, YouthPartner
from . import serializers


class _AuditedSaveMixin:
    """Writes go through the app's save service (validation and the audit row), never serializer.save()."""

    save_service = None
    service_keyword = ""

    def _save(self, instance):
        return type(self).save_service(actor=self.request.user, **{self.service_keyword: instance})

    def perform_create(self, serializer):
        serializer.instance = self._save(serializer.Meta.model(**serializer.validated_data))

    def perform_update(self, serializer):
        instance = serializer.instance
        for field, value in serializer.validated_data.items():
            setattr(instance, field, value)
        self._save(instance)


class ProgrammeViewSet(PolicyScopedViewSetMixin, _AuditedSaveMixin, viewsets.ModelViewSet):
    queryset = Programme.objects.order_by("name")
    serializer_class = serializers.ProgrammeSerializer
    filterset_fields = ["is_active", "delivery_format", "matching_mode"]
    search_fields = ["name"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    save_service = staticmethod(services.programme_save)
    service_keyword = "programme"


class YouthPartnerViewSet(PolicyScopedViewSetMixin, _AuditedSaveMixin, viewsets.ModelViewSet):
    queryset = YouthPartner.objects.order_by("name")
    serializer_class = serializers.YouthPartnerSerializer
    filterset_fields = ["kind", "region", "is_active"]
    search_fields = ["name"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    save_service = staticmethod(services.youth_partner_save)
    service_keyword = "youth_partner"


class CohortViewSet(PolicyScopedViewSetMixin, _AuditedSaveMixin, viewsets.ModelViewSet):
    queryset = Cohort.objects.select_related("programme", "youth_partner")
    serializer_class = serializers.CohortSerializer
    filterset_fields = ["programme", "youth_partner"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    save_service = staticmethod(services.cohort_save)
    service_keyword = "cohort"


class MenteeViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Mentees the signed-in user may see. Contact details appear only where the policy allows."""

    queryset = MenteeProfile.objects.select_related("user").order_by("user__first_name", "pk")
    serializer_class = serializers.MenteeSerializer
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"
    filterset_fields = ["youth_partner", "cohort", "stage", "region"]
    search_fields = ["user__first_name", "user__last_name"]

    def get_queryset(self):
        queryset = super().get_queryset()
        age_band = self.request.query_params.get("age_band")
        return filter_age_band(queryset, "age_band", age_band) if age_band else queryset


class MentorViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = MentorProfile.objects.select_related("user").order_by("user__first_name", "pk")
    serializer_class = serializers.MentorSerializer
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"
    filterset_fields = ["region", "background", "capacity"]
    search_fields = ["user__first_name", "user__last_name", "sector"]


class RelationshipViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Relationship.objects.select_related("mentor", "mentee").order_by("-created_at")
    serializer_class = serializers.RelationshipSerializer
    filterset_fields = ["status", "cohort", "mentor", "mentee"]


@extend_schema(request=serializers.MeSerializer, responses=serializers.MeSerializer)
@api_view(["GET", "PATCH"])
@permission_classes([IsAuthenticated])
def me(request):
    """The signed-in person: their name and roles. PATCH changes the name."""
    if request.method == "PATCH":
        serializer = serializers.MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            for field, value in serializer.validated_data.items():
                setattr(request.user, field, value)
            user_profile_update(actor=request.user, user=request.user)
    return Response(serializers.MeSerializer(request.user).data)
