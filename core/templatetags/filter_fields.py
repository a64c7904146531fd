"""`{{ field|filter_field }}`: a list filter's field as crispy-forms' `as_crispy_field` renders it in
the Bootstrap 5 pack (a labelled text box or drop-down list), written in Python.

Crispy renders each field through a dozen nested templates and Django renders a drop-down list's
every option through a template of its own: a list page's filter form of seven fields cost about
32,000 Python calls (the application list's rows and everything else together cost fewer). The
fields a list filter has, a text box (`TextInput`) and a drop-down list of one choice (`Select`),
are written here (the drop-down list by `core.widgets.Select`, the class as `core.crispy_markup`
works it out), with the same elements, attributes and text as crispy's (its
indentation aside). Any other field, and any field with errors, help text, a required mark or
anything else crispy would show differently, goes through crispy itself.

    {% load filter_fields %}{{ field|filter_field }}
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.crispy_markup import _control_classes
from core.widgets import Select as FastSelect
from core.widgets import _attributes

register = template.Library()

# The widgets written here (any other goes through crispy).
_WIDGETS = (forms.TextInput, forms.Select)


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


def _control(field, widget) -> str:
    """The control as crispy's `crispy_field` leaves and renders it: its class set on the widget (as
    crispy sets it, for anything rendering it again), written by the project's own widgets' markup."""
    widget.attrs["class"] = _control_classes(widget)
    attrs = {**widget.attrs, "id": field.auto_id}
    if type(widget) is forms.TextInput:
        value = widget.format_value(field.value())
        shown = "" if value is None else f' value="{conditional_escape(value)}"'
        return f'<input type="{widget.input_type}" name="{field.html_name}"{shown}{_attributes(attrs)}>'
    return FastSelect.render(widget, field.html_name, field.value(), {"id": field.auto_id})  # type: ignore[arg-type]


@register.filter
def filter_field(field) -> SafeString:
    if not _writable(field):
        return as_crispy_field(field)
    control = _control(field, field.field.widget)
    auto_id = field.auto_id
    return mark_safe(  # noqa: S308  (every value written in is escaped above or here)
        f'<div id="div_{auto_id}" class="mb-3"><label for="{conditional_escape(field.id_for_label)}" '
        f'class="form-label">{conditional_escape(field.label)}</label>{control}</div>'
    )
