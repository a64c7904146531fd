from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import policy
from core.api import PolicyScopedViewSetMixin

from .. import services
from ..models import Bulletin, Resource
from . import serializers


class ResourceViewSet(
    PolicyScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The resource library, most used and best rated first. Programme staff write drafts here."""

    queryset = Resource.objects.ranked()
    serializer_class = serializers.ResourceSerializer
    lookup_field = "slug"
    filterset_fields = ["topic", "ingredient", "kind", "status"]
    search_fields = ["title", "summary", "keywords"]

    def perform_create(self, serializer):
        serializer.instance = services.resource_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.resource_update(
            actor=self.request.user, resource=serializer.instance, **serializer.validated_data
        )


class BulletinViewSet(
    PolicyScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Sent bulletins for mentors; drafts, edits and sending for programme staff."""

    queryset = Bulletin.objects.prefetch_related("featured_resources")
    serializer_class = serializers.BulletinSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        featured = data.pop("featured_resources", None)
        serializer.instance = services.bulletin_save(actor=self.request.user, featured=featured, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        featured = data.pop("featured_resources", None)
        serializer.instance = services.bulletin_save(
            actor=self.request.user, bulletin=serializer.instance, featured=featured, **data
        )

    @extend_schema(request=None, responses={202: serializers.BulletinSerializer})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Start sending a draft bulletin to every mentor who has not opted out."""
        bulletin = self.get_object()
        if not policy.can(request.user, policy.CHANGE, bulletin):
            self.permission_denied(request)
        bulletin = services.bulletin_send(actor=request.user, bulletin=bulletin)
        return Response(serializers.BulletinSerializer(bulletin).data, status=status.HTTP_202_ACCEPTED)
