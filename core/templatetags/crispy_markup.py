"""`{% crispy_form form %}` and `{{ form|crispy_form }}`: what crispy-forms' `{% crispy form %}` and
`{{ form|crispy }}` write, written in Python for the fields core.crispy_markup knows (crispy's own
tag and filter render any other form)."""

from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import template

from core.crispy_markup import crispy_tag_html, form_html

register = template.Library()


class CrispyMarkupNode(template.Node):
    child_nodelists = ()

    def __init__(self, form: str):
        self.form = template.Variable(form)
        self.crispy = CrispyFormNode(form, None)

    def render(self, context):
        markup = crispy_tag_html(self.form.resolve(context), context)
        return self.crispy.render(context) if markup is None else markup


@register.tag
def crispy_form(parser, token):
    """`{% crispy_form form %}`: as `{% crispy form %}` (with the form's own helper)."""
    parts = token.split_contents()
    if len(parts) != 2:
        raise template.TemplateSyntaxError("{% crispy_form form %} takes one form.")
    return CrispyMarkupNode(parts[1])


@register.filter(name="crispy_form")
def crispy_form_filter(form):
    """`{{ form|crispy_form }}`: as `{{ form|crispy }}`."""
    return form_html(form)
