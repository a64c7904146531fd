from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core.api import PolicyScopedViewSetMixin
from safeguarding import selectors, services
from safeguarding.models import Concern, Message

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
        data = dict(serializer.validated_data)
        concern = services.concern_raise(reporter=request.user, **data)
        return Response(serializers.ConcernStatusSerializer(concern).data, status=status.HTTP_201_CREATED)
