from django.db.models import Count, OuterRef, Q, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from core.api import PolicyScopedViewSetMixin

from .. import services
from ..models import Event, EventRegistration
from . import serializers


class EventViewSet(
    PolicyScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Community events the signed-in person may see; mentors register, programme staff create and edit."""

    queryset = Event.objects.select_related("employer").order_by("starts_at", "pk")
    serializer_class = serializers.EventSerializer
    filterset_fields = ["region", "format", "employer", "status"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                places_taken=Count(
                    "registrations",
                    filter=Q(registrations__status=EventRegistration.Status.REGISTERED),
                    distinct=True,
                ),
                my_status=Subquery(
                    EventRegistration.objects.filter(event=OuterRef("pk"), mentor=self.request.user).values(
                        "status"
                    )[:1]
                ),
            )
        )

    def perform_create(self, serializer):
        serializer.instance = services.event_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.event_update(
            actor=self.request.user, event=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=None, responses=serializers.EventRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def register(self, request, pk=None):
        """Take a place (or a waiting-list place when full). Mentors only."""
        # Registering needs only sight of the event (not the right to change it); the service checks the rest.
        event = get_object_or_404(self.get_queryset(), pk=pk)
        registration = services.event_register(actor=request.user, event=event)
        return Response(
            serializers.EventRegistrationSerializer(registration).data, status=status.HTTP_201_CREATED
        )
