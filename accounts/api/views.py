from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from core import policy

from .. import services as account_services
from ..models import ApiToken
from . import serializers


class ApiTokenViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """The signed-in person's own API keys. POST creates one (the key is in that answer only);
    DELETE revokes it (the row stays, marked revoked)."""

    serializer_class = serializers.ApiTokenSerializer
    lookup_value_regex = "[0-9]+"
    queryset = ApiToken.objects.none()  # for the schema; get_queryset answers requests
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        # Always the caller's own keys here, staff included (they revoke others' in the admin).
        return policy.scope(self.request.user, policy.VIEW, ApiToken.objects.filter(user=self.request.user))

    @extend_schema(
        request=serializers.ApiTokenSerializer, responses={201: serializers.ApiTokenCreatedSerializer}
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = account_services.api_token_issue(
            user=request.user, name=serializer.validated_data["name"]
        )
        token.key = key
        return Response(serializers.ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        account_services.api_token_revoke(actor=self.request.user, token=instance)
