"""The select written in Python gives Django's own select markup, and the field tag crispy's layout."""

import datetime

from django import forms
from django.utils.safestring import mark_safe

from core.templatetags.form_fields import form_field
from core.widgets import DateInput, Select

CHOICES = [
    ("", "---------"),
    ("Young people", [("a&b", "Tom & Jerry <script>"), ("c", "Café")]),
    ("d", mark_safe("<em>safe</em>")),  # noqa: S308  (a label already marked safe is not escaped again)
    (7, "A number"),
]


class Filter(forms.Form):
    django = forms.ChoiceField(choices=CHOICES, required=False)
    fast = forms.ChoiceField(choices=CHOICES, required=False, widget=Select)
    start = forms.DateField(label="From", required=False, help_text="The first day <inclusive>.")
    period_end = forms.DateField(label="To")
    django_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    fast_date = forms.DateField(required=False, widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def test_the_select_writes_the_same_markup_as_djangos_template():
    chosen = ({"django": value, "fast": value} for value in ("a&b", "7", "not a choice"))
    for data in ({}, *chosen):
        form = Filter(data)
        ours, theirs = (
            str(form[name].as_widget()).replace(f'name="{name}"', 'name="x"').replace(f"id_{name}", "id_x")
            for name in ("fast", "django")
        )
        assert ours == theirs
        assert "Tom &amp; Jerry &lt;script&gt;" in ours and "<em>safe</em>" in ours


def test_the_date_input_writes_the_same_markup_as_djangos_template():
    """Empty, a date, a value that is not a date (shown back escaped), a safe one, and extra attributes
    (true, false, text to escape): the same HTML as Django's three templates."""
    given = ("", "2026-03-04", "4 March <2026> & more", mark_safe("<b>x</b>"))  # noqa: S308
    extra = {"class": "form-control", "required": True, "disabled": False, "aria-label": 'Say "when"'}
    for data in ({}, *({"django_date": value, "fast_date": value} for value in given)):
        form = Filter(data)
        for attrs in (None, extra):
            ours, theirs = (
                str(form[name].as_widget(attrs=attrs))
                .replace(f'name="{name}"', 'name="x"')
                .replace(f"id_{name}", "id_x")
                for name in ("fast_date", "django_date")
            )
            assert ours == theirs
    initial = Filter(
        initial={"django_date": datetime.date(2026, 3, 4), "fast_date": datetime.date(2026, 3, 4)}
    )
    assert str(initial["fast_date"].as_widget()) == str(initial["django_date"].as_widget()).replace(
        "django_date", "fast_date"
    )
    assert 'value="2026-03-04"' in str(initial["fast_date"].as_widget())


def test_a_field_has_its_label_control_help_and_errors():
    form = Filter({"start": "not a date"})
    html = form_field(form["start"])
    assert '<label for="id_start" class="form-label">From</label>' in html
    assert 'class="form-control is-invalid"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="id_start_helptext id_start_error"' in html
    assert '<div id="id_start_helptext" class="form-text">The first day &lt;inclusive&gt;.</div>' in html
    assert '<div id="id_start_error" class="invalid-feedback"><span id="error_1_id_start">' in html
    required = form_field(form["period_end"])
    assert 'class="form-label requiredField">To<span class="asteriskField">*</span></label>' in required
    assert 'class="form-select"' in form_field(form["fast"])
    assert "is-invalid" not in form_field(Filter()["start"])
