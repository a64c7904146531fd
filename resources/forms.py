import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from mentoring.models import Topic

from .models import Audience, Bulletin, FaqEntry, Ingredient, Resource

MINE = "mine"
ALL = "all"
AUDIENCE_FILTER_CHOICES = [(MINE, "My mentees' ages"), *Audience.choices, (ALL, "All ages")]


class ResourceForm(forms.ModelForm):
    """Staff write a resource; "Preview" shows it rendered without saving."""

    class Meta:
        model = Resource
        fields = [
            "title",
            "summary",
            "kind",
            "topic",
            "ingredient",
            "for_under_16",
            "for_16_to_18",
            "for_adults",
            "minutes",
            "keywords",
            "body",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 18}), "summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("preview", "Preview", css_class="btn-outline-secondary"))
        self.helper.add_input(Submit("save", "Save draft"))

    def clean(self):
        data = super().clean()
        if not (data.get("for_under_16") or data.get("for_16_to_18") or data.get("for_adults")):
            raise forms.ValidationError("Choose at least one audience.")
        return data


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label="Your rating",
        coerce=int,
        choices=[(n, f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )


class AttachForm(forms.Form):
    session = forms.ChoiceField(label="Use it in")

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {str(session.pk): session for session in sessions}
        self.fields["session"].choices = [
            (str(session.pk), f"{session} with {session.relationship.mentee.first_name}")
            for session in sessions
        ]

    def clean_session(self):
        return self.sessions[self.cleaned_data["session"]]


class FaqForm(forms.ModelForm):
    class Meta:
        model = FaqEntry
        fields = ["question", "answer", "topic", "position", "is_published"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save"))


class BulletinForm(forms.ModelForm):
    featured = forms.ModelMultipleChoiceField(
        label="Featured resources",
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Bulletin
        fields = ["title", "issue_date", "news", "skill_builder", "upcoming_events"]
        widgets = {
            "issue_date": forms.DateInput(attrs={"type": "date"}),
            "news": forms.Textarea(attrs={"rows": 8}),
            "skill_builder": forms.Textarea(attrs={"rows": 6}),
            "upcoming_events": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["featured"].queryset = Resource.objects.published().order_by("title")
        if self.instance.pk:
            self.fields["featured"].initial = list(
                self.instance.featured_resources.values_list("pk", flat=True)
            )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save draft"))


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    audience = django_filters.ChoiceFilter(
        label="For", choices=AUDIENCE_FILTER_CHOICES, method="filter_audience", empty_label=None
    )
    topic = django_filters.ChoiceFilter(choices=Topic.choices, empty_label="Any topic")
    ingredient = django_filters.ChoiceFilter(
        label="Key ingredient", choices=Ingredient.choices, empty_label="Any"
    )
    kind = django_filters.ChoiceFilter(label="Type", choices=Resource.Kind.choices, empty_label="Any")

    class Meta:
        model = Resource
        fields = ["q", "audience", "topic", "ingredient", "kind"]

    def __init__(self, *args, mentee_audiences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mentee_audiences = list(mentee_audiences)

    def search(self, queryset, name, value):
        from .selectors import resource_search

        return resource_search(queryset, value)

    def filter_audience(self, queryset, name, value):
        if value == MINE:
            return queryset.for_audiences(self.mentee_audiences) if self.mentee_audiences else queryset
        if value in Audience.values:
            return queryset.for_audiences([value])
        return queryset


class FaqSearchForm(forms.Form):
    q = forms.CharField(label="Search the questions", required=False, max_length=200)
    topic = forms.ChoiceField(label="Topic", required=False, choices=[("", "Any topic"), *Topic.choices])
