from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import MenteeProfile, MentorProfile
from accounts.services import user_profile_update
from core import policy
from core.api import PolicyPermission, PolicyScopedViewSetMixin
from core.audit import audit_reads
from core.errors import ApplicationError

from .. import journal, lifecycle, moderation, scheduling, selectors, services
from ..filters import RelationshipApiFilter, filter_age_band
from ..models import (
    Cohort,
    Goal,
    HeldText,
    MentoringSession,
    Programme,
    Relationship,
    SessionLog,
    YouthPartner,
)
from ..policies import LOG, PAIR, REWRITE, SCHEDULE
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
    # A person's id, as stored: at most 18 digits (a 64-bit integer), so a longer one is not found
    # rather than overflowing the database's integer in the related-id lookup.
    lookup_value_regex = "[0-9]{1,18}"
    filterset_fields = ["youth_partner", "cohort", "stage", "region"]
    search_fields = ["user__first_name", "user__last_name"]

    def get_queryset(self):
        queryset = super().get_queryset()
        age_band = self.request.query_params.get("age_band")
        return filter_age_band(queryset, "age_band", age_band) if age_band else queryset

    def _audit_contact_reads(self, profiles, rows) -> None:
        # A row that carries contact details is a read of them: one audit row per person shown them.
        shown = [profile.user for profile, row in zip(profiles, rows, strict=True) if "phone" in row]
        audit_reads(
            actor=self.request.user, action="mentoring.mentee_contact_viewed", targets=shown, summary="API"
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        self._audit_contact_reads(page, serializer.data)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        profile = self.get_object()
        data = self.get_serializer(profile).data
        self._audit_contact_reads([profile], [data])
        return Response(data)


class MentorViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = MentorProfile.objects.select_related("user").order_by("user__first_name", "pk")
    serializer_class = serializers.MentorSerializer
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"
    # A person's id, as stored: at most 18 digits (a 64-bit integer), so a longer one is not found
    # rather than overflowing the database's integer in the related-id lookup.
    lookup_value_regex = "[0-9]{1,18}"
    filterset_fields = ["region", "background", "capacity"]
    search_fields = ["user__first_name", "user__last_name", "sector"]


class ActionPolicyPermission(PolicyPermission):
    """Like PolicyPermission, but an extra action may name the policy action it needs."""

    def has_object_permission(self, request, view, obj):
        needed = getattr(view, "policy_actions", {}).get(getattr(view, "action", None))
        if needed is None:
            return super().has_object_permission(request, view, obj)
        return policy.can(request.user, needed, obj)


def _run(request, serializer_class, call):
    """Validate the body, call the service, and answer 200 with what it returns."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return call(serializer.validated_data)


class RelationshipViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Relationships the user may see. Status changes are actions, each going through the lifecycle."""

    queryset = Relationship.objects.all()
    serializer_class = serializers.RelationshipSerializer
    filterset_class = RelationshipApiFilter
    permission_classes = [ActionPolicyPermission]
    policy_actions = {"schedule": SCHEDULE, "sign_agreement": PAIR}

    def get_queryset(self):
        # The coordinator's relationships list (policy-scoped), newest first: with the next session,
        # the last log and the cadence flag.
        return selectors.relationship_list(user=self.request.user).order_by("-created_at", "-pk")

    def _answer(self, relationship):
        relationship = self.get_queryset().get(pk=relationship.pk)
        return Response(
            serializers.RelationshipSerializer(relationship, context={"request": self.request}).data
        )

    @extend_schema(request=serializers.TransitionSerializer, responses=serializers.RelationshipSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        relationship = self.get_object()
        _run(
            request,
            serializers.TransitionSerializer,
            lambda data: lifecycle.relationship_transition(
                actor=request.user, relationship=relationship, **data
            ),
        )
        return self._answer(relationship)

    @extend_schema(request=serializers.CloseSerializer, responses=serializers.RelationshipSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        relationship = self.get_object()
        _run(
            request,
            serializers.CloseSerializer,
            lambda data: lifecycle.relationship_close(actor=request.user, relationship=relationship, **data),
        )
        return self._answer(relationship)

    @extend_schema(request=serializers.ExtendSerializer, responses=serializers.RelationshipSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        relationship = self.get_object()
        _run(
            request,
            serializers.ExtendSerializer,
            lambda data: lifecycle.relationship_extend(actor=request.user, relationship=relationship, **data),
        )
        return self._answer(relationship)

    @extend_schema(
        request=serializers.ScheduleSerializer, responses=serializers.MentoringSessionSerializer(many=True)
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        relationship = self.get_object()
        result = _run(
            request,
            serializers.ScheduleSerializer,
            lambda data: scheduling.sessions_schedule_run(
                actor=request.user, relationship=relationship, **data
            ),
        )
        return Response(
            {
                "sessions": serializers.MentoringSessionSerializer(result.sessions, many=True).data,
                "warnings": result.warnings,
                "moved": result.moved,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=serializers.RelationshipSerializer)
    @action(detail=True, methods=["post"], url_path="sign-agreement")
    def sign_agreement(self, request, pk=None):
        relationship = self.get_object()
        journal.agreement_sign(actor=request.user, relationship=relationship)
        return self._answer(relationship)


class MentoringSessionViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Sessions of the relationships the user may see. Moving, cancelling and logging are actions."""

    queryset = MentoringSession.objects.select_related("venue").order_by("starts_at", "pk")
    serializer_class = serializers.MentoringSessionSerializer
    filterset_fields = ["relationship", "status"]
    permission_classes = [ActionPolicyPermission]
    policy_actions = {"reschedule": SCHEDULE, "cancel": SCHEDULE, "log": LOG}

    @extend_schema(request=serializers.RescheduleSerializer, responses=serializers.MentoringSessionSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        session = self.get_object()
        result = _run(
            request,
            serializers.RescheduleSerializer,
            lambda data: scheduling.session_reschedule(actor=request.user, session=session, **data),
        )
        return Response(
            {**serializers.MentoringSessionSerializer(result.sessions[0]).data, "warnings": result.warnings}
        )

    @extend_schema(request=serializers.CancelSerializer, responses=serializers.CancelledSessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        session = self.get_object()
        cancelled = _run(
            request,
            serializers.CancelSerializer,
            lambda data: scheduling.session_cancel(actor=request.user, session=session, **data),
        )
        return Response(serializers.CancelledSessionSerializer(cancelled).data)

    @extend_schema(request=serializers.SessionLogSerializer, responses=serializers.SessionLogSerializer)
    @action(detail=True, methods=["post"])
    def log(self, request, pk=None):
        session = self.get_object()
        serializer = serializers.SessionLogSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        goals = {goal.pk: goal for goal in session.relationship.goals.all()}
        updates = []
        for update in data.pop("goal_updates", []):
            if update["goal"] not in goals:
                raise ApplicationError("That goal belongs to another relationship.", field="goal_updates")
            updates.append(journal.GoalUpdate(goals[update["goal"]], update["status"], update["note"]))
        log = journal.session_log_save(actor=request.user, session=session, goal_updates=updates, **data)
        return Response(serializers.SessionLogSerializer(log).data, status=status.HTTP_201_CREATED)


class SessionLogViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Session logs: the mentor's own, and those of pairs a coordinator, DSL or staff member oversees."""

    queryset = SessionLog.objects.select_related("session").order_by("-session__starts_at", "pk")
    serializer_class = serializers.SessionLogSerializer
    filterset_fields = ["session__relationship", "held"]


class GoalViewSet(
    PolicyScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Goals. Creating one as the mentee proposes it; `progress` records progress and a new status."""

    queryset = Goal.objects.order_by("target_date", "pk")
    serializer_class = serializers.GoalSerializer
    filterset_fields = ["relationship", "status", "term"]
    permission_classes = [ActionPolicyPermission]
    policy_actions = {"progress": policy.CHANGE}

    @extend_schema(responses={201: serializers.GoalSerializer, 202: serializers.HeldTextSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        relationship = data.pop("relationship")
        goal = journal.goal_create(actor=request.user, relationship=relationship, goal=Goal(**data))
        if isinstance(goal, HeldText):
            return Response(serializers.HeldTextSerializer(goal).data, status=status.HTTP_202_ACCEPTED)
        return Response(self.get_serializer(goal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.GoalProgressSerializer,
        responses={200: serializers.GoalSerializer, 202: serializers.HeldTextSerializer},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        goal = self.get_object()
        progress = _run(
            request,
            serializers.GoalProgressSerializer,
            lambda data: journal.goal_progress_add(actor=request.user, goal=goal, **data),
        )
        if isinstance(progress, HeldText):
            return Response(serializers.HeldTextSerializer(progress).data, status=status.HTTP_202_ACCEPTED)
        goal.refresh_from_db()
        return Response(self.get_serializer(goal).data)


class HeldTextViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Text held for a check because it seems to contain contact details: its writer sees their own,
    and sends it again, changed, when it was returned for editing (`rewrite`); the coordinators and
    safeguarding leads of the mentee's youth partner `release` it, `decline` it or `return` it."""

    queryset = HeldText.objects.select_related("author").order_by("-created_at", "-pk")
    serializer_class = serializers.HeldTextDetailSerializer
    filterset_fields = ["relationship", "status", "kind"]
    permission_classes = [ActionPolicyPermission]
    policy_actions = {
        "release": policy.CHANGE,
        "decline": policy.CHANGE,
        "return_for_editing": policy.CHANGE,
        "rewrite": REWRITE,
    }

    def _answer(self, held):
        held.refresh_from_db()
        return Response(self.get_serializer(held).data)

    @extend_schema(request=None, responses=serializers.HeldTextDetailSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        held = self.get_object()
        return self._answer(moderation.held_text_release(held=held, actor=request.user))

    @extend_schema(
        request=serializers.HeldTextDeclineSerializer, responses=serializers.HeldTextDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        held = self.get_object()
        return self._answer(
            _run(
                request,
                serializers.HeldTextDeclineSerializer,
                lambda data: moderation.held_text_decline(
                    held=held, actor=request.user, reason=data["reason"]
                ),
            )
        )

    @extend_schema(
        request=serializers.HeldTextReturnSerializer, responses=serializers.HeldTextDetailSerializer
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_editing(self, request, pk=None):
        held = self.get_object()
        return self._answer(
            _run(
                request,
                serializers.HeldTextReturnSerializer,
                lambda data: moderation.held_text_return(held=held, actor=request.user, note=data["note"]),
            )
        )

    @extend_schema(
        request=serializers.HeldTextRewriteSerializer, responses=serializers.HeldTextDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def rewrite(self, request, pk=None):
        held = self.get_object()
        return self._answer(
            _run(
                request,
                serializers.HeldTextRewriteSerializer,
                lambda data: moderation.held_text_rewrite(held=held, actor=request.user, texts=data["texts"]),
            )
        )


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
