from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import PolicyScopedViewSetMixin
from core.audit import audit_record
from safeguarding import data_protection, selectors, services
from safeguarding.models import Concern, Message, SubjectAccessExport

from . import serializers


class MessageViewSet(
    PolicyScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Messages the signed-in person may read; mentors and mentees send them here. Held messages
    reach the other person only once the coordinator releases them."""

    queryset = Message.objects.select_related("sender").order_by("sent_at", "id")
    serializer_class = serializers.MessageSerializer
    filterset_fields = ["relationship", "status"]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._audit_threads_read(getattr(self, "_page", None) or [])
        return response

    def paginate_queryset(self, queryset):
        self._page = super().paginate_queryset(queryset.select_related("relationship"))
        return self._page

    def retrieve(self, request, *args, **kwargs):
        message = self.get_object()
        self._audit_threads_read([message])
        return Response(self.get_serializer(message).data)

    def _audit_threads_read(self, messages) -> None:
        services.thread_reads_audit(
            actor=self.request.user, relationships=[message.relationship for message in messages]
        )

    def perform_create(self, serializer):
        serializer.instance = services.message_send(
            relationship=serializer.validated_data["relationship"],
            sender=self.request.user,
            body=serializer.validated_data["body"],
        )


class ConcernViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Raise a concern, and follow the status of those you raised. Case records are not in the API."""

    queryset = Concern.objects.none()
    serializer_class = serializers.ConcernStatusSerializer

    def get_queryset(self):
        return selectors.concerns_reported_by(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.ConcernCreateSerializer
        return serializers.ConcernStatusSerializer

    @extend_schema(request=serializers.ConcernCreateSerializer, responses=serializers.ConcernStatusSerializer)
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # `kind` may be left out: the model's default (about a child) applies, as on the form.
        data = {"kind": Concern.Kind.CHILD, **serializer.validated_data}
        concern = services.concern_raise(reporter=request.user, **data)
        return Response(serializers.ConcernStatusSerializer(concern).data, status=status.HTTP_201_CREATED)


class DataExportViewSet(
    PolicyScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Copies of the signed-in person's own data (UK GDPR Article 15). POST asks for one; it is built in
    the background: poll it until `status` is `ready`, then fetch `download_url` (a ZIP file)."""

    queryset = SubjectAccessExport.objects.defer("archive").order_by("-created_at", "-id")
    serializer_class = serializers.DataExportSerializer

    def get_queryset(self):
        return super().get_queryset().filter(person=self.request.user)

    @extend_schema(request=None, responses={202: serializers.DataExportSerializer})
    def create(self, request, *args, **kwargs):
        export = data_protection.data_export_request(person=request.user, actor=request.user)
        return Response(serializers.DataExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        export = self.get_object()
        if export.status != SubjectAccessExport.Status.READY or not export.archive:
            raise Http404
        if export.expires_at and export.expires_at <= timezone.now():
            raise Http404
        audit_record(
            actor=request.user,
            action="data_protection.export_downloaded",
            target=export.person,
            summary=f"Data export #{export.pk} downloaded through the API",
        )
        response = HttpResponse(bytes(export.archive), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="my-data-{export.pk}.zip"'
        response["Cache-Control"] = "no-store"
        return response
