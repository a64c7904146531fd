from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError


def exception_handler(exc, context):
    """Turn model validation and business-rule errors into 400s with field-level messages."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    if isinstance(exc, ApplicationError):
        return Response({exc.field or "non_field_errors": [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class PolicyPermission:
    """DRF permission that asks the policy module about every object.

    Reads need "view" (the queryset is already scoped, so invisible objects are 404);
    writes need "change", or "delete" for DELETE; creation asks `can_create`.
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method == "POST" and getattr(view, "action", None) == "create":
            from . import policy

            return policy.can_create(request.user, view.queryset.model)
        return True

    def has_object_permission(self, request, view, obj):
        from . import policy

        if request.method in ("GET", "HEAD", "OPTIONS"):
            return policy.can(request.user, policy.VIEW, obj)
        action = policy.DELETE if request.method == "DELETE" else policy.CHANGE
        return policy.can(request.user, action, obj)


class PolicyScopedViewSetMixin:
    """Every list and detail starts from the objects the user may view."""

    permission_classes = [PolicyPermission]

    def get_queryset(self):
        from . import policy

        return policy.scope(self.request.user, policy.VIEW, super().get_queryset())


def rule_permission(name: str) -> type:
    """A DRF permission class that lets a request through when its user passes the rule `name`."""

    class RulePermission:
        def has_permission(self, request, view):
            from . import policy

            rule = policy.get_rule(name)
            if policy.can(request.user, name):
                return True
            if rule.hidden:
                from django.http import Http404

                raise Http404
            self.message = rule.message or "You do not have permission to perform this action."
            return False

        def has_object_permission(self, request, view, obj):
            return True

    RulePermission.__name__ = RulePermission.__qualname__ = f"RulePermission[{name}]"
    return RulePermission
