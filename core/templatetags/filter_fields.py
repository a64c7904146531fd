"""`{{ field|filter_field }}`: a list filter's field as crispy-forms' `as_crispy_field` renders it in
the Bootstrap 5 pack (a labelled text box or drop-down list), written in Python.

Crispy renders each field through a dozen nested templates and Django renders a drop-down list's
every option through a template of its own: a list page's filter form of seven fields cost about
32,000 Python calls (the application list's rows and everything else together cost fewer). The
fields a list filter has, a text box (`TextInput`) and a drop-down list of one choice (`Select`),
are written here directly, with the same elements, attributes and text as crispy's (its
indentation aside). Any other field, and any field with errors, help text, a required mark or
anything else crispy would show differently, goes through crispy itself.

    {% load filter_fields %}{{ field|filter_field }}
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The widget classes written here, with the class crispy adds for each (its class name, lowercased)
# and Bootstrap's control class.
_WIDGETS = {forms.TextInput: ("textinput", "form-control"), forms.Select: ("select", "form-select")}


def _writable(field) -> bool:
    """Whether crispy would render `field` as the plain label and control written here."""
    form, form_field = field.form, field.field
    widget = form_field.widget
    return (
        type(widget) in _WIDGETS
        and not field.is_hidden
        and not form_field.required
        and not form_field.disabled
        and not form_field.show_hidden_initial
        and not form_field.localize
        and not field.help_text
        and not field.errors
        and getattr(form, "helper", None) is None
        and not getattr(form, "error_css_class", None)
        and not getattr(form, "required_css_class", None)
        and "id" not in widget.attrs
        and bool(field.auto_id)
        and bool(field.label)
    )


def _class_attribute(widget, names: tuple[str, str]) -> str:
    """The widget's class as crispy's `crispy_field` tag leaves it (set on the widget, as crispy sets it)."""
    class_name, control = names
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    if control not in css_class.split():
        css_class += f" {control}"
    widget.attrs["class"] = css_class
    return css_class


def _attributes(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name alone.
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _options(widget, value) -> str | None:
    """A drop-down list's options, as Django's select.html writes them; None when a choice is a group."""
    values = widget.format_value(value)
    chosen = False
    written = []
    for option_value, label in widget.choices:
        if isinstance(label, list | tuple):
            return None
        if option_value is None:
            option_value = ""
        selected = not chosen and str(option_value) in values
        chosen |= selected
        written.append(
            f'\n  <option value="{conditional_escape(option_value)}"{" selected" if selected else ""}>'
            f"{conditional_escape(label)}</option>"
        )
    return "".join(written)


def _control(field, widget) -> str | None:
    class_attribute = _class_attribute(widget, _WIDGETS[type(widget)])
    attrs = {**widget.attrs, "class": class_attribute, "id": field.auto_id}
    if type(widget) is forms.TextInput:
        value = widget.format_value(field.value())
        shown = "" if value is None else f' value="{conditional_escape(value)}"'
        return f'<input type="{widget.input_type}" name="{field.html_name}"{shown}{_attributes(attrs)}>'
    options = _options(widget, field.value())
    if options is None:
        return None
    return f'<select name="{field.html_name}"{_attributes(attrs)}>{options}\n</select>'


@register.filter
def filter_field(field) -> SafeString:
    if not _writable(field):
        return as_crispy_field(field)
    control = _control(field, field.field.widget)
    if control is None:
        return as_crispy_field(field)
    auto_id = field.auto_id
    return mark_safe(  # noqa: S308  (every value written in is escaped above or here)
        f'<div id="div_{auto_id}" class="mb-3"><label for="{conditional_escape(field.id_for_label)}" '
        f'class="form-label">{conditional_escape(field.label)}</label>{control}</div>'
    )
