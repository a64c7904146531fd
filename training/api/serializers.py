from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Certificate, Course, Enrolment, Module, Section


class ModuleOutlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Module
        fields = ["id", "title", "order", "minutes"]


class SectionOutlineSerializer(serializers.ModelSerializer):
    modules = ModuleOutlineSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "title", "order", "modules"]


class CourseSerializer(serializers.ModelSerializer):
    """A course and the outline of its published version (never the quiz answers)."""

    version = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "slug",
            "summary",
            "audience",
            "is_mandatory",
            "deadline_days",
            "version",
            "sections",
        ]

    def _published(self, course):
        versions = [v for v in course.versions.all() if v.status == "published"]
        return versions[0] if versions else None

    def get_version(self, course) -> int | None:
        version = self._published(course)
        return version.number if version else None

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_sections(self, course):
        version = self._published(course)
        if version is None:
            return []
        return SectionOutlineSerializer(version.sections.all(), many=True).data


class EnrolmentSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    modules_done = serializers.IntegerField(read_only=True)
    modules_total = serializers.IntegerField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "user",
            "course",
            "version",
            "started_on",
            "due_on",
            "completed_at",
            "modules_done",
            "modules_total",
            "overdue",
        ]


class QuizSubmissionSerializer(serializers.Serializer):
    module = serializers.IntegerField()
    attempt = serializers.IntegerField(min_value=1)
    answers = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))


class CertificateSerializer(serializers.ModelSerializer):
    programme = serializers.StringRelatedField()
    verify_url = serializers.CharField(source="get_verify_url", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "user",
            "holder_name",
            "title",
            "programme",
            "completed_on",
            "code",
            "status",
            "issued_at",
            "verify_url",
        ]
