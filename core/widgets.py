"""Form widgets whose markup is written in Python rather than by a template per option.

Django renders a select through a template that includes another template for every option; a
filter with a hundred statements, cohorts and partners spends a few milliseconds on that alone. This
select writes the same markup (the same attributes, optgroups and selected option) with f-strings.
"""

from django import forms
from django.utils.safestring import SafeString, mark_safe

from .markup import escape_unless_safe as _escape


def _attributes(attrs: dict) -> str:
    """A tag's attributes in their order, as Django's widgets/attrs.html writes them (`flatatt` sorts)."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(value, label, selected: bool) -> str:
    # The standard library's escape, called once per text: Django's `format_html` costs about ten
    # times as much per option (lazy-string checks and a SafeString for every part).
    return (
        f'\n  <option value="{_escape(value)}"{" selected" if selected else ""}>{_escape(label)}</option>\n'
    )


class Select(forms.Select):
    """django.forms.Select, rendered without a template per option (the same HTML, see its test), and
    without the dictionary per option Django's `optgroups` builds for its templates: the options are
    written straight from the choices, selected as Django selects them."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        values = self.format_value(value)
        final_attrs = self.build_attrs(self.attrs, attrs)
        multiple = self.allow_multiple_selected
        if multiple:
            final_attrs["multiple"] = True
        has_selected = False
        groups = []
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                options = []
                for subvalue, sublabel in option_label:
                    selected = (not has_selected or multiple) and str(subvalue) in values
                    has_selected |= selected
                    options.append(_option(subvalue, sublabel, selected))
                groups.append(
                    f'\n  <optgroup label="{_escape(option_value)}">{"".join(options)}\n  </optgroup>'
                )
                continue
            option_value = "" if option_value is None else option_value
            selected = (not has_selected or multiple) and str(option_value) in values
            has_selected |= selected
            groups.append(_option(option_value, option_label, selected))
        markup = f'<select name="{_escape(name)}"{_attributes(final_attrs)}>{"".join(groups)}\n</select>'
        return mark_safe(markup)  # noqa: S308  (every text in it escaped above)


class DateInput(forms.DateInput):
    """django.forms.DateInput, written without the three templates Django renders it through (date,
    input, attributes: about 350 function calls for one field): the same HTML, see its test."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        value = self.format_value(value)
        shown = "" if value is None else f' value="{_escape(value)}"'
        final_attrs = self.build_attrs(self.attrs, attrs)
        opening = f'<input type="{_escape(self.input_type)}" name="{_escape(name)}"'
        markup = f"{opening}{shown}{_attributes(final_attrs)}>"
        return mark_safe(markup)  # noqa: S308  (every text in it escaped above)
