from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import PolicyScopedViewSetMixin

from .. import services
from ..models import Certificate, Course, CourseVersion, Enrolment, Module, Section
from . import serializers


class CourseViewSet(PolicyScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Published courses with their outline."""

    queryset = (
        Course.objects.filter(versions__status=CourseVersion.Status.PUBLISHED)
        .distinct()
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=CourseVersion.objects.prefetch_related(
                    Prefetch("sections", queryset=Section.objects.prefetch_related("modules"))
                ),
            )
        )
        .order_by("-audience", "order", "title")
    )
    serializer_class = serializers.CourseSerializer
    filterset_fields = ["audience", "is_mandatory"]

    @extend_schema(request=None, responses={201: serializers.EnrolmentSerializer})
    # Starting needs only that the course is visible (the queryset is scoped), not the right to change it.
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def start(self, request, pk=None):
        """Start the course (or return your existing enrolment); the deadline runs from today."""
        enrolment = services.enrolment_start(user=request.user, course=self.get_object())
        enrolment = EnrolmentViewSet.queryset.get(pk=enrolment.pk)
        return Response(serializers.EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class EnrolmentViewSet(PolicyScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Progress: your own enrolments (programme staff see everyone's). Quizzes are answered here too."""

    queryset = (
        Enrolment.objects.select_related("course", "version")
        .annotate(
            modules_done=Count("module_completions", distinct=True),
            modules_total=Count("version__sections__modules", distinct=True),
        )
        .order_by("-started_on", "pk")
    )
    serializer_class = serializers.EnrolmentSerializer
    filterset_fields = ["course", "user"]

    @extend_schema(request=serializers.QuizSubmissionSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        """Submit a module's quiz. Answers are graded on the server; the result says pass or fail."""
        enrolment = self.get_object()
        submission = serializers.QuizSubmissionSerializer(data=request.data)
        submission.is_valid(raise_exception=True)
        module = Module.objects.filter(
            pk=submission.validated_data["module"], section__version=enrolment.version
        ).first()
        if module is None:
            return Response({"module": ["This module is not part of the course."]}, status=400)
        selected = {
            int(k): set(v) for k, v in submission.validated_data["answers"].items() if str(k).isdigit()
        }
        attempt = services.quiz_submit(
            actor=request.user,
            enrolment=enrolment,
            module=module,
            selected=selected,
            attempt_number=submission.validated_data["attempt"],
        )
        return Response(
            {
                "attempt": attempt.number,
                "score": attempt.score,
                "passed": attempt.passed,
                "answers": attempt.answers,
            },
            status=status.HTTP_201_CREATED,
        )

    def get_object(self):
        obj = super().get_object()
        if self.action == "answers":
            from core import policy

            policy.require(self.request.user, policy.CHANGE, obj)
        return obj


class CertificateViewSet(
    PolicyScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Certificate.objects.select_related("programme").order_by("-completed_on", "-pk")
    serializer_class = serializers.CertificateSerializer
    filterset_fields = ["status", "programme"]
