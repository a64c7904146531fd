from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core import policy
from core.api import PolicyScopedViewSetMixin
from recruitment.models import Application, MenteeImport, Reference, ScreeningCheck

from .. import services
from . import serializers


class ApplicationViewSet(PolicyScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Applicants read their own; coordinators their partner's mentees; staff all. Drafts submit here."""

    queryset = (
        Application.objects.select_related("user", "decline_ground")
        .prefetch_related("industries", "interests", "conflict_partners")
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


class MenteeImportViewSet(PolicyScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Upload a file to check it (POST, multipart), read the problems, then commit it."""

    queryset = MenteeImport.objects.order_by("-created_at")
    serializer_class = serializers.MenteeImportSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["youth_partner", "status"]

    @extend_schema(
        request=serializers.MenteeImportUploadSerializer, responses=serializers.MenteeImportSerializer
    )
    def create(self, request, *args, **kwargs):
        upload = serializers.MenteeImportUploadSerializer(data=request.data, context={"request": request})
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        mentee_import = services.mentee_import_preview(
            actor=request.user,
            youth_partner=data["youth_partner"],
            cohort=data["cohort"],
            filename=data["file"].name,
            content=data["file"].read(),
        )
        return Response(
            serializers.MenteeImportSerializer(mentee_import).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=serializers.MenteeImportSerializer)
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        mentee_import = services.mentee_import_commit(actor=request.user, mentee_import=self.get_object())
        return Response(serializers.MenteeImportSerializer(mentee_import).data)
