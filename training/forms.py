from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from accounts.models import Role, User

from .models import Course, Module, Question, Section, TrainingRequirement, Workshop, WorkshopBooking


class _CrispyModelForm(forms.ModelForm):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class CourseForm(_CrispyModelForm):
    class Meta:
        model = Course
        fields = ["title", "summary", "audience", "is_mandatory", "deadline_days", "order"]


class SectionForm(_CrispyModelForm):
    submit_label = "Add section"

    def __init__(self, *args, **kwargs):
        # The same form renames a section, where "Add section" would mislead.
        if kwargs.get("instance") is not None and kwargs["instance"].pk:
            self.submit_label = "Save section"
        super().__init__(*args, **kwargs)

    class Meta:
        model = Section
        fields = ["title", "order"]


class ModuleForm(_CrispyModelForm):
    class Meta:
        model = Module
        fields = ["title", "order", "minutes", "body", "video_url", "transcript", "worksheet", "pass_mark"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16}), "worksheet": forms.Textarea(attrs={"rows": 6})}


class QuestionForm(forms.Form):
    """A question with up to four answers; which are correct is checked by the service."""

    kind = forms.ChoiceField(choices=Question.Kind.choices)
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    explanation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text="Shown after answering.",
    )

    def __init__(self, *args, question: Question | None = None, **kwargs):
        existing = list(question.choices.all()) if question is not None else []
        if question is not None:
            initial = {"kind": question.kind, "prompt": question.prompt, "explanation": question.explanation}
            for index, choice in enumerate(existing, start=1):
                initial[f"choice_{index}_text"] = choice.text
                initial[f"choice_{index}_correct"] = choice.is_correct
                initial[f"choice_{index}_feedback"] = choice.feedback
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        # Four answer slots, or more when an existing question already has more answers.
        self.answer_count = max(4, len(existing))
        for index in range(1, self.answer_count + 1):
            self.fields[f"choice_{index}_text"] = forms.CharField(
                label=f"Answer {index}", max_length=500, required=index <= 2
            )
            self.fields[f"choice_{index}_correct"] = forms.BooleanField(
                label=f"Answer {index} is correct", required=False
            )
            self.fields[f"choice_{index}_feedback"] = forms.CharField(
                label=f"Feedback on answer {index}", max_length=1000, required=False
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save question" if question is not None else "Add question"))

    def choices(self):
        data = self.cleaned_data
        return [
            (data[f"choice_{i}_text"], data[f"choice_{i}_correct"], data[f"choice_{i}_feedback"])
            for i in range(1, self.answer_count + 1)
        ]


class WorkshopForm(_CrispyModelForm):
    class Meta:
        model = Workshop
        fields = [
            "title",
            "kind",
            "delivery",
            "starts_at",
            "minutes",
            "capacity",
            "location",
            "joining_details",
            "description",
            "facilitator",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A facilitator is one of the programme team or a mentor, shown by name.
        field = self.fields["facilitator"]
        field.queryset = (
            User.objects.filter(
                role_assignments__role__in=[Role.PROGRAMME_STAFF, Role.MENTOR], is_active=True
            )
            .distinct()
            .order_by("first_name", "last_name")
        )
        field.label_from_instance = lambda user: user.get_full_name() or user.email
        field.empty_label = "Nobody named"


class WorkshopFeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How would you rate the workshop?",
        choices=WorkshopBooking.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    would_recommend = forms.TypedChoiceField(
        label="Would you recommend it to another mentor?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label="Anything we could do better? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send feedback"))


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Reason for revoking", max_length=300)


class TrainingRequirementForm(_CrispyModelForm):
    class Meta:
        model = TrainingRequirement
        fields = ["courses", "core_workshop_required"]
        widgets = {"courses": forms.CheckboxSelectMultiple}
        labels = {
            "courses": "Courses a mentor must complete",
            "core_workshop_required": "Core workshop required",
        }
