"""The form markup written in Python (core.crispy_markup) is crispy-forms' own, character for character:
for every kind of field it writes, empty, filled in, and with errors; and crispy still renders the
forms it does not write."""

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe

from mentoring.forms import PulseForm, SessionLogForm

CHOICES = [
    ("", "---------"),
    ("Young people", [("a&b", "Tom & Jerry <script>"), ("c", "Café")]),
    ("d", mark_safe("<em>safe</em>")),  # noqa: S308  (a label already marked safe is not escaped again)
    ("7", "A number"),
]


class Everything(forms.Form):
    name = forms.CharField(label="Your <name>", max_length=20, help_text="As <b>you</b> like it.")
    age = forms.IntegerField(label="Age", required=False, min_value=5, max_value=300)
    email = forms.EmailField(label="Email", required=False)
    notes = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "extra"})
    )
    pick = forms.ChoiceField(label="Pick one", choices=CHOICES)
    unlabelled = forms.CharField(label="", required=False)
    kind = forms.TypedChoiceField(
        label="Kind",
        choices=[("yes", "Yes"), ("no", "No & maybe")],
        widget=forms.RadioSelect,
        help_text="Choose <one>.",
    )
    many = forms.MultipleChoiceField(
        label="Several",
        required=False,
        choices=[("x", "Ex"), ("y", "Why")],
        widget=forms.CheckboxSelectMultiple,
    )
    grouped = forms.ChoiceField(
        label="Grouped",
        required=False,
        choices=[("G", [("1", "One"), ("2", "Two")])],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save & go"))

    def clean(self):
        data = super().clean()
        if data.get("name") == "clash":
            raise forms.ValidationError(["Two <things> clash.", "And another."])
        return data


FILLED = {
    "name": "O'Brien & <Co>",
    "age": "42",
    "email": "a@example.com",
    "notes": "Line one\n<two>",
    "pick": "a&b",
    "kind": "no",
    "many": ["x", "y"],
    "grouped": "2",
}
WRONG = {"name": "x" * 30, "age": "3", "email": "nope", "pick": "zzz", "many": ["q"], "grouped": "9"}

OURS_FILTER = "{% load crispy_markup %}{{ form|crispy_form }}"
CRISPY_FILTER = "{% load crispy_forms_tags %}{{ form|crispy }}"

STATES = [
    {},
    {"initial": {"name": "Ann", "age": 7, "kind": "yes", "many": ["y"], "notes": "Hi"}},
    {"data": FILLED},
    {"data": WRONG},
    {"data": {**FILLED, "name": "clash"}},
    {"data": {}},
    {"data": FILLED, "auto_id": "field_%s"},
]


def _both(make, ours: str, theirs: str, **context):
    """The markup of the same form by our template and crispy's (each on a form of its own: crispy
    keeps classes it adds on the form's widgets)."""
    rendered = []
    for source, form in ((ours, make()), (theirs, make())):
        form.is_bound and form.is_valid()
        rendered.append(Template(source).render(Context({"form": form, **context})))
    return rendered


@pytest.mark.parametrize("state", STATES)
def test_the_crispy_tag_is_written_as_crispy_writes_it(state):
    ours, theirs = _both(
        lambda: Everything(**state),
        "{% load crispy_markup %}{% crispy_form form %}",
        "{% load crispy_forms_tags %}{% crispy form %}",
        csrf_token="token<123>",
    )
    assert ours == theirs
    assert 'name="csrfmiddlewaretoken"' in ours


@pytest.mark.parametrize("state", STATES)
def test_the_crispy_filter_is_written_as_crispy_writes_it(state):
    ours, theirs = _both(
        lambda: Everything(**state),
        "{% load crispy_markup %}{{ form|crispy_form }}",
        "{% load crispy_forms_tags %}{{ form|crispy }}",
    )
    assert ours == theirs


def test_escapes_what_people_wrote():
    form = Everything(data=FILLED)
    form.is_valid()
    html = Template("{% load crispy_markup %}{{ form|crispy_form }}").render(Context({"form": form}))
    assert "O&#x27;Brien &amp; &lt;Co&gt;" in html and "Line one\n&lt;two&gt;" in html
    assert "<script>" not in html and "<em>safe</em>" in html


class Goal:
    def __init__(self, pk, title, status):
        self.pk, self.title, self.status = pk, title, status


@pytest.mark.parametrize(
    "state",
    [
        {"initial": {"duration_minutes": 60, "format": "online"}},
        {"initial": {"held": "yes", "topics": ["options", "study"], "summary": "We <met>", "worrying": "no"}},
        {"data": {"held": "yes", "worrying": "no"}},
        {"data": {"held": "no", "worrying": "maybe", "goal_1_status": "achieved"}},
    ],
)
def test_the_session_log_form_is_written_as_crispy_writes_it(state):
    goals = [Goal(1, "Choose post-16 <options>", "in_progress"), Goal(2, "A first CV", "proposed")]
    ours, theirs = _both(
        lambda: SessionLogForm(goals=goals, **state),
        "{% load crispy_markup %}{% crispy_form form %}",
        "{% load crispy_forms_tags %}{% crispy form %}",
        csrf_token="abc",
    )
    assert ours == theirs


@pytest.mark.parametrize("state", [{}, {"data": {"comment": "x"}}, {"data": {"rating": "3"}}])
def test_the_pulse_form_is_written_as_crispy_writes_it(state):
    ours, theirs = _both(lambda: PulseForm(**state), OURS_FILTER, CRISPY_FILTER)
    assert ours == theirs


class WithCheckbox(forms.Form):
    agree = forms.BooleanField(label="I agree")


def test_crispy_renders_what_is_not_written_here():
    """A checkbox, or a helper with a layout: crispy's own markup."""
    ours, theirs = _both(WithCheckbox, OURS_FILTER, CRISPY_FILTER)
    assert ours == theirs and "form-check-input" in ours

    def laid_out():
        form = Everything()
        form.helper.layout = Layout("name", "kind")
        return form

    ours, theirs = _both(
        laid_out,
        "{% load crispy_markup %}{% crispy_form form %}",
        "{% load crispy_forms_tags %}{% crispy form %}",
        csrf_token="abc",
    )
    assert ours == theirs and 'name="age"' not in ours


def test_the_forms_of_the_session_log_and_relationship_pages_are_written_here():
    """Not handed to crispy (which would pass the comparisons above too)."""
    from core.crispy_markup import crispy_tag_html

    goals = [Goal(1, "A goal", "in_progress")]
    for form in (Everything(), Everything(data=FILLED), SessionLogForm(goals=goals), PulseForm()):
        assert crispy_tag_html(form, Context({"csrf_token": "abc"})) is not None
    assert crispy_tag_html(Everything(data=WRONG), Context()) is None
    assert crispy_tag_html(WithCheckbox(), Context()) is None
    for setting, value in (("form_tag", False), ("form_class", "wide"), ("label_class", "col-2")):
        form = Everything()
        setattr(form.helper, setting, value)
        assert crispy_tag_html(form, Context()) is None, setting
