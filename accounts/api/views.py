from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import policy
from core.api import PolicyScopedViewSetMixin

from ..models import Application, MenteeImport, Reference, ScreeningCheck
from ..recruitment import services
from . import serializers


class ApplicationViewSet(PolicyScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Applicants read their own; coordinators their partner's mentees; staff all. Drafts submit here."""

    queryset = (
        Application.objects.select_related("user", "decline_ground")
        .prefetch_related("industries", "interests")
        .order_by("-created_at")
    )
    serializer_class = serializers.ApplicationSerializer
    filterset_fields = ["status", "role", "programme", "youth_partner", "region"]
    search_fields = ["user__first_name", "user__last_name"]

    @extend_schema(request=None, responses=serializers.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        policy.require(request.user, policy.CHANGE, application)
        services.application_submit(
            actor=request.user,
            application=application,
            accepted_code_of_conduct=bool(request.data.get("accept_code_of_conduct")),
            accepted_safeguarding_policy=bool(request.data.get("accept_safeguarding_policy")),
        )
        application.refresh_from_db()
        return Response(self.get_serializer(application).data)


class ScreeningViewSet(PolicyScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = (
        ScreeningCheck.objects.select_related("application")
        .prefetch_related(Prefetch("application__references", queryset=Reference.objects.all()))
        .order_by("-created_at")
    )
    serializer_class = serializers.ScreeningStatusSerializer
    filterset_fields = ["background_check_status", "identity_status"]


class MenteeImportViewSet(PolicyScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = MenteeImport.objects.order_by("-created_at")
    serializer_class = serializers.MenteeImportSerializer
    filterset_fields = ["youth_partner", "status"]
