"""A form's markup as crispy-forms' Bootstrap 5 pack writes it (`{{ form|crispy }}`, and `{% crispy form %}`
with a plain `FormHelper` and its submit buttons), written in Python.

Crispy renders each field through a dozen nested templates and Django renders each widget (and each
option of a select) through templates of its own: a session log form of thirteen fields cost 35,000
Python calls to render, more than the rest of its page. This writes the same HTML, character for
character (core/tests/test_crispy_markup.py compares it with crispy's for every kind of field it
writes, empty and filled in), for the fields it knows: text, number and email inputs, text areas,
selects, radio buttons and groups of checkboxes. A form with any other widget, media, errors to show
(templates/bootstrap5/errors.html lists them at the top), or a helper with a layout or settings of its
own is handed to crispy-forms unchanged.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from django import forms
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import SafeString, mark_safe

from .markup import escape_unless_safe as _escape
from .widgets import Select as _FastSelect
from .widgets import _attributes

_INPUTS = (forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput)
_WRITTEN = {*_INPUTS, forms.Textarea, forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple}


def _writes(form) -> bool:
    """Whether every field of the form is one this module writes, and it has no errors to show (else
    crispy renders it). An unbound form has none; a bound one is validated, as crispy's templates do."""
    return (
        all(type(field.widget) in _WRITTEN for field in form.fields.values())
        and not str(form.media)
        and not form.errors
    )


def _plain(helper) -> bool:
    """A FormHelper with its class's settings (a setting changed is an attribute of its own) and plain
    submit buttons: what crispy writes for it is written here."""
    if type(helper) is not FormHelper or set(vars(helper)) - {"attrs", "inputs"} or helper.attrs:
        return False
    return all(type(item) is Submit and not item.attrs and not item.flat_attrs for item in helper.inputs)


def _control_classes(widget) -> str:
    """The class crispy's `crispy_field` gives a control: the widget's own, its class name, then
    Bootstrap's."""
    name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(name) == -1:
            css += f" {name}"
    else:
        css = name
    bootstrap = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if bootstrap not in css.split():
        css += f" {bootstrap}"
    return css


def _control(field) -> str:
    """The widget as `{% crispy_field field 'class' ... %}` renders it (Django's widget templates)."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    base = dict(widget.attrs)
    base["class"] = _control_classes(widget)
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    name, value = field.html_name, field.value()
    if isinstance(widget, forms.Select):
        saved = widget.attrs
        widget.attrs = base
        try:
            return _FastSelect.render(widget, name, value, attrs)  # type: ignore[arg-type]
        finally:
            widget.attrs = saved
    final = {**base, **attrs}
    formatted = widget.format_value(value)
    if isinstance(widget, forms.Textarea):
        text = _escape(formatted) if formatted else ""
        return f'<textarea name="{_escape(name)}"{_attributes(final)}>\n{text}</textarea>'
    shown = "" if formatted is None else f' value="{_escape(formatted)}"'
    return f'<input type="{_escape(widget.input_type)}" name="{_escape(name)}"{shown}{_attributes(final)}>'


def _help(field) -> str:
    if not field.help_text:
        return ""
    where = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
    return f' <div {where}class="form-text">{field.help_text}</div>'


def _label(field, tag: str) -> str:
    required = field.field.required
    fieldset = tag == "legend"
    target = f'for="{field.id_for_label}"' if field.id_for_label else ""
    classes = "form-label" + (" requiredField" if required else "") + (" fs-6" if fieldset else "")
    text = _escape(field.label)
    if required:
        text = f'{text}<span class="asteriskField">*</span> '
    else:
        text = f"{text}\n            "
    return f'<{tag}\n                {target} class="{classes}">\n                {text}</{tag}>'


def _choices(field) -> str:
    """Radio buttons or checkboxes, as bootstrap5/layout/radio_checkbox_select.html writes them."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    values = widget.format_value(field.value())
    name = _escape(field.html_name)
    groups = widget.optgroups(field.html_name, values, attrs)
    parts = []
    for group, options, _index in groups:
        if group:
            parts.append(f"<strong>{_escape(group)}</strong>")
        for option in options:
            parts.append(
                f'<div class="form-check"> <input type="{option["type"]}" class="form-check-input"  '
                f'name="{name}" value="{_escape(option["value"])}" {_attributes(option["attrs"])}> '
                f'<label for="{_escape(option["attrs"].get("id", ""))}" class="form-check-label">\n'
                f"            {_escape(option['label'])}\n        </label> </div>"
            )
    return f"<div > {' '.join(parts)} </div>" if parts else "<div > </div>"


def _field(field) -> str:
    if field.is_hidden:
        return str(field)
    css = field.css_classes()
    opening = f'<div id="div_{field.auto_id}" class="mb-3{f" {css}" if css else ""}">'
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        body = _choices(field) + _help(field)
        if field.label:
            described = field.aria_describedby
            fieldset = f'<fieldset aria-describedby="{described}">' if described else "<fieldset>"
            return f"{opening} {fieldset} {_label(field, 'legend')} {body} </fieldset> </div>"
        return f"{opening} {body} </div>"
    label = f" {_label(field, 'label')}" if field.label else ""
    return f"{opening}{label} {_control(field)}{_help(field)} </div>"


def _fields(form) -> str:
    return " ".join(_field(field) for field in form)


def form_html(form) -> SafeString:
    """`{{ form|crispy }}`."""
    if not _writes(form):
        return as_crispy_form(form)
    # The blank lines uni_form.html keeps around its spaceless block.
    return mark_safe(f"\n\n{remove_spaces(_fields(form))}\n")  # noqa: S308  (every text escaped above)


def crispy_tag_html(form, context) -> SafeString | None:
    """`{% crispy form %}` for a form whose helper is a plain FormHelper with submit buttons (None for
    any other form: crispy renders it)."""
    helper = getattr(form, "helper", None)
    if helper is None or not _plain(helper) or not _writes(form):
        return None
    csrf = CsrfTokenNode().render(context)
    buttons = " ".join(
        f'<input type="submit"\n    name="{_escape(item.name)}"\n    value="{_escape(item.value)}"\n    \n'
        f'        class="{_escape(item.field_classes)}"\n        id="{_escape(item.id)}"\n    \n    \n    />'
        for item in helper.inputs
    )
    inputs = f' <div class="mb-3"> <div class=""> {buttons} </div> </div>' if helper.inputs else ""
    fields = _fields(form)
    parts = ('<form  method="post" >', csrf, f"{fields}{inputs}", "</form>")
    markup = " ".join(part for part in parts if part)
    # The blank lines whole_uni_form.html keeps around its spaceless block.
    return mark_safe(f"\n\n{remove_spaces(markup)}\n")  # noqa: S308  (every text escaped above)
