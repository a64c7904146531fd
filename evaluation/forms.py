from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from core import policy
from core.prepared import PreparedQuery, SlotIn
from core.rows import rows_with_columns
from core.widgets import DateInput, Select
from programmes.models import Cohort, Programme, YouthPartner

from .models import Instrument, Question
from .selectors import BREAKDOWNS, cohort_label


class _ListedChoices(forms.models.ModelChoiceIterator):
    """The choices read with one plain query: Django's own iterator reads them through a server-side
    cursor on PostgreSQL (declare, fetch, close: three round trips), for the few rows of a filter.
    With the field's `listed` (a prepared query of each choice's id and what its label shows, the values
    to run it with, and the label of a row), each choice is a row of that query, compiled once per
    process (core.prepared), with no instance made; with its `columns`, the rows hold only those, read
    with `core.rows.rows_with_columns` (about half the calls of building them through `only()`)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        listed = self.field.listed
        if listed is not None:
            prepared, values, label = listed
            for row in prepared.tuples(**values):
                yield (forms.models.ModelChoiceIteratorValue(row[0], None), label(row))
            return
        columns = self.field.columns
        rows = rows_with_columns(self.queryset, columns) if columns else list(self.queryset)
        for obj in rows:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoices
    widget = Select

    def __init__(self, *args, columns: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        # (prepared query, its values, label of a row): see _ListedChoices. The queryset still
        # validates a chosen value.
        self.listed: tuple | None = None

    def list_with(self, prepared: PreparedQuery, label, **values) -> None:
        """Offer the rows of `prepared` (each choice's id first) run with `values`, labelled by
        `label(row)`: the same choices, in the same order, as the queryset's."""
        self.listed = (prepared, values, label)


def _name(row) -> str:
    return row[1]


# The filter's and the report form's choices, each compiled once per process (core.prepared) from the
# querysets the fields validate with.
_SCOPED_PROGRAMMES = PreparedQuery(
    lambda slots: (
        policy.scope(slots.person("user"), policy.VIEW, Programme).order_by("name").values_list("pk", "name")
    )
)
_PROGRAMMES = PreparedQuery(lambda slots: Programme.objects.order_by("name").values_list("pk", "name"))
_COHORT_COLUMNS = ("pk", "name", "programme__name", "youth_partner__name", "start_date")
_PARTNERS = PreparedQuery(lambda slots: YouthPartner.objects.order_by("name").values_list("pk", "name"))
_PARTNERS_OF = PreparedQuery(
    lambda slots: (
        YouthPartner.objects.filter(SlotIn(F("pk"), slots.ids("partner_ids")))
        .order_by("name")
        .values_list("pk", "name")
    )
)
_COHORTS = PreparedQuery(lambda slots: Cohort.objects.values_list(*_COHORT_COLUMNS))
_COHORTS_OF = PreparedQuery(
    lambda slots: Cohort.objects.filter(SlotIn(F("youth_partner_id"), slots.ids("partner_ids"))).values_list(
        *_COHORT_COLUMNS
    )
)


def _date_input():
    # Browsers' date pickers read and write ISO dates whatever the site's display format.
    return DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = ["name", "slug", "purpose", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Create instrument"))


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label="Options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For choice questions: one option per line.",
    )

    class Meta:
        model = Question
        fields = ["code", "replaces", "kind", "text", "text_plain", "theme", "required", "is_headline"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = ""
        self.helper.add_input(Submit("submit", "Add question"))

    def clean(self):
        cleaned = super().clean()
        lines = [line.strip() for line in cleaned.get("choices_text", "").splitlines() if line.strip()]
        self.instance.choices = lines
        return cleaned


def survey_fields(questions, *, plain: bool) -> dict[str, forms.Field]:
    """One form field per question. Every field is optional here: completeness is checked on submit."""
    fields = {}
    for question in questions:
        label = question.wording_for(plain=plain)
        if question.kind == Question.Kind.AGREE:
            labels = question.scale_labels(plain=plain)
            field = forms.TypedChoiceField(
                choices=[(value, labels[value - 1]) for value in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
            )
        elif question.kind == Question.Kind.YES_NO:
            field = forms.TypedChoiceField(
                choices=[(1, "Yes"), (0, "No")], coerce=int, widget=forms.RadioSelect
            )
        elif question.kind == Question.Kind.NPS:
            field = forms.TypedChoiceField(
                choices=[(value, str(value)) for value in range(11)], coerce=int, widget=forms.RadioSelect
            )
        elif question.kind == Question.Kind.SINGLE:
            field = forms.TypedChoiceField(
                choices=list(enumerate(question.choices)), coerce=int, widget=forms.RadioSelect
            )
        elif question.kind == Question.Kind.MULTIPLE:
            field = forms.TypedMultipleChoiceField(
                choices=list(enumerate(question.choices)), coerce=int, widget=forms.CheckboxSelectMultiple
            )
        else:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
        field.label = label
        field.required = False
        field.question = question
        fields[question.code] = field
    return fields


class SurveyForm(forms.Form):
    def __init__(self, *args, questions, plain: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(survey_fields(questions, plain=plain))

    def answers(self) -> dict:
        return {code: self.cleaned_data.get(code) for code in self.fields}

    def apply_errors(self, error: ValidationError) -> None:
        for code, messages in error.message_dict.items():
            self.add_error(code if code in self.fields else None, messages)


class DashboardFilterForm(forms.Form):
    # Each choice's label: a programme's or partner's name; a cohort's name, or its programme, partner
    # and start (Cohort.__str__).
    programme = ListedModelChoiceField(queryset=Programme.objects.none(), required=False, columns=("name",))
    youth_partner = ListedModelChoiceField(
        queryset=YouthPartner.objects.none(), required=False, columns=("name",)
    )
    cohort = ListedModelChoiceField(
        queryset=Cohort.objects.none(),
        required=False,
        columns=("name", "start_date", "programme__name", "youth_partner__name"),
    )
    start = forms.DateField(label="From", required=False, widget=_date_input())
    end = forms.DateField(label="To", required=False, widget=_date_input())
    breakdown = forms.ChoiceField(
        label="Break down by",
        choices=list(BREAKDOWNS.items()),
        required=False,
        initial="youth_partner",
        widget=Select,
    )
    item = forms.ChoiceField(
        label="Statement to break down",
        required=False,
        widget=Select,
        help_text="Young people's headline statement unless you choose another.",
    )

    def __init__(self, *args, user, partner_ids, item_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = list(item_choices)
        if self.is_bound:
            # The querysets validate a chosen value (an unbound form, as the page first shows it, has
            # none to validate, and offers its choices from the prepared reads below, the same rows).
            self.fields["programme"].queryset = (
                policy.scope(user, policy.VIEW, Programme).order_by("name").only("name")
            )
            partners = YouthPartner.objects.order_by("name").only("name")
            cohorts = Cohort.objects.select_related("programme", "youth_partner").only(
                "name", "start_date", "programme__name", "youth_partner__name"
            )
            if partner_ids is not None:
                partners = partners.filter(pk__in=partner_ids)
                cohorts = cohorts.filter(youth_partner_id__in=partner_ids)
            self.fields["youth_partner"].queryset = partners
            self.fields["cohort"].queryset = cohorts
        # The choices read what they show (each one's name; a cohort's name or its programme, partner
        # and start), and the filter uses only the chosen one's id.
        self.fields["programme"].list_with(_SCOPED_PROGRAMMES, _name, user=user)
        if partner_ids is None:
            self.fields["youth_partner"].list_with(_PARTNERS, _name)
            self.fields["cohort"].list_with(_COHORTS, cohort_label)
        else:
            ids = sorted(partner_ids)
            self.fields["youth_partner"].list_with(_PARTNERS_OF, _name, partner_ids=ids)
            self.fields["cohort"].list_with(_COHORTS_OF, cohort_label, partner_ids=ids)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", "The end of the period must not be before its start.")
        return cleaned


class ReportRequestForm(forms.Form):
    programme = ListedModelChoiceField(
        queryset=Programme.objects.order_by("name"),
        required=False,
        empty_label="All programmes",
        columns=("name",),
    )
    period_start = forms.DateField(label="From", widget=_date_input())
    period_end = forms.DateField(label="To", widget=_date_input())
    breakdown = forms.ChoiceField(
        label="Break down by",
        choices=list(BREAKDOWNS.items()),
        initial="youth_partner",
        required=False,
        widget=Select,
    )
    item = forms.ChoiceField(
        label="Statement to break down",
        required=False,
        widget=Select,
        help_text="Young people's headline statement unless you choose another.",
    )

    def clean_breakdown(self):
        return self.cleaned_data.get("breakdown") or "youth_partner"

    def __init__(self, *args, item_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "Young people's headline statement"), *item_choices]
        self.fields["programme"].list_with(_PROGRAMMES, _name)
        today = timezone.localdate()
        self.fields["period_start"].initial = (
            today.replace(month=1, day=1)
            if today.month > 1
            else today.replace(year=today.year - 1, month=9, day=1)
        )
        self.fields["period_end"].initial = today
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Build PDF report"))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("period_start")
            and cleaned.get("period_end")
            and cleaned["period_start"] > cleaned["period_end"]
        ):
            self.add_error("period_end", "The end of the period must not be before its start.")
        return cleaned
