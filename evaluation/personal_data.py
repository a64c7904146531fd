"""What evaluation holds about people, for the personal data register (core/personal_data.py)."""

from core.personal_data import DELETE, not_personal_data, register

from .models import Answer, ImpactReport, SurveyResponse


def register_entries() -> None:
    register(
        SurveyResponse,
        section="survey_responses",
        title="Surveys",
        description="The surveys you were asked to fill in and whether you did. Totals already counted in "
        "the programme's impact figures hold no names and stay.",
        subject=("respondent",),
        fields=(
            "instance__version__instrument__name",
            "instance__version__number",
            "status",
            "mandatory",
            "submitted_at",
        ),
        erasure=DELETE,
    )
    register(
        Answer,
        section="survey_answers",
        title="Survey answers",
        description="Your answer to each survey question.",
        subject=("response__respondent",),
        fields=(
            "response_id",
            "response__instance__version__instrument__name",
            "question__text_plain",
            "value",
            "choices",
            "text",
        ),
        erasure=DELETE,
    )
    not_personal_data(
        ImpactReport,
        reason="A report of programme totals that hide small groups; it only names who asked for it.",
        actors=("requested_by",),
    )
