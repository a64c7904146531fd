"""`{% form_field field %}`: one form field in the Bootstrap 5 layout crispy-forms gives it (label,
control, errors, help text), written in Python. Crispy renders a field through a dozen nested
templates, about 0.7 ms each; a filter form of seven fields paid that on every page view."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _control_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.simple_tag
def form_field(field) -> SafeString:
    """A visible field of a form with text inputs, dates and selects (not checkboxes, radios or files)."""
    if field.is_hidden:
        return field.as_widget()
    widget = field.field.widget
    invalid = "is-invalid" if field.errors else ""
    parts = (widget.attrs.get("class", ""), _control_class(widget), invalid)
    classes = " ".join(part for part in parts if part)
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    attrs = {"class": classes}
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    required = field.field.required
    label = format_html(
        '<label for="{}" class="form-label{}">{}{}</label>',
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",  # noqa: S308  (constant)
    )
    errors = (
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<span id="error_{}_{}"><strong>{}</strong></span>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
            ),
        )
        if field.errors
        else ""
    )
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>',
        field.auto_id,
        label,
        field.as_widget(attrs=attrs),
        errors,
        help_text,
    )
