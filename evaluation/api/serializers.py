from rest_framework import serializers

from ..models import Answer, InstrumentVersion, Question, SurveyResponse


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["code", "position", "kind", "text", "text_plain", "theme", "choices", "required"]


class InstrumentVersionSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="instrument.slug", read_only=True)
    name = serializers.CharField(source="instrument.name", read_only=True)
    purpose = serializers.CharField(source="instrument.purpose", read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = InstrumentVersion
        fields = ["id", "slug", "name", "purpose", "number", "status", "introduction", "questions"]
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="question.code", read_only=True)

    class Meta:
        model = Answer
        fields = ["code", "value", "choices", "text"]
        read_only_fields = fields


class SurveyResponseSerializer(serializers.ModelSerializer):
    instrument = serializers.CharField(source="instance.version.instrument.slug", read_only=True)
    version = serializers.IntegerField(source="instance.version_id", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "instrument",
            "version",
            "status",
            "mandatory",
            "created_at",
            "submitted_at",
            "answers",
        ]
        read_only_fields = fields


class AnswersInputSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="Question code to answer.")
    submit = serializers.BooleanField(default=False)
