"""`{% url %}` and `{% static %}`, with the addresses that cannot change while the process runs
worked out once (core.links). A builtin library (config/settings: TEMPLATES' "builtins"), loaded
after Django's own, so every template's `{% url %}` comes from here; `{% static %}` here is used by
templates that do not `{% load static %}` (base.html).

`{% url 'name' %}` with a quoted name and no arguments is reversed once per process (per URL
configuration, script prefix and current application), and `{% url 'name' value %}` once with a
stand-in for an integer value (core.links.reverse_id); any other form (arguments, a name from a
variable, `as var`) is Django's own tag, unchanged. `{% static 'path' %}` with a quoted path and no
`as var` is looked up once per path; any other form is Django's."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.templatetags.static import StaticNode
from django.templatetags.static import do_static as django_static
from django.utils.html import conditional_escape

from core.links import reverse_id, reverse_once, reversing_where, static_once

register = template.Library()


def _constant(expression) -> str | None:
    """The string a template expression stands for when it is a quoted literal without filters."""
    if expression.filters or not isinstance(expression.var, str):
        return None
    return expression.var


def _reversing_where(request) -> tuple:
    # As Django's tag: the request's current application, else the namespace of the page's view.
    try:
        current_app = request.current_app
    except AttributeError:
        try:
            current_app = request.resolver_match.namespace
        except AttributeError:
            current_app = None
    return reversing_where(current_app)


class OnceURLNode(template.Node):
    child_nodelists = ()

    def __init__(self, name: str):
        self.name = name

    def render(self, context):
        request = getattr(context, "request", None)
        # Worked out once per request: the page's links are all reversed under the same.
        where = getattr(request, "_reversing_where", None)
        if where is None:
            where = _reversing_where(request)
            if request is not None:
                request._reversing_where = where
        url = reverse_once(self.name, where[0], where)
        return conditional_escape(url) if context.autoescape else url


class IdURLNode(template.Node):
    """`{% url 'name' value %}`: an integer value's address from core.links.reverse_id, anything
    else's from Django's own tag (`node`)."""

    child_nodelists = ()

    def __init__(self, name: str, node: URLNode):
        self.name = name
        self.node = node
        self.value = node.args[0]

    def render(self, context):
        value = self.value.resolve(context)
        if type(value) is not int:
            return self.node.render(context)
        request = getattr(context, "request", None)
        where = getattr(request, "_reversing_where", None)
        if where is None:
            where = _reversing_where(request)
            if request is not None:
                request._reversing_where = where
        url = reverse_id(self.name, value, where[0], where)
        return conditional_escape(url) if context.autoescape else url


class OnceStaticNode(template.Node):
    child_nodelists = ()

    def __init__(self, path: str):
        self.path = path

    def render(self, context):
        url = static_once(self.path)
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    if isinstance(node, URLNode) and not node.kwargs and node.asvar is None and len(node.args) <= 1:
        name = _constant(node.view_name)
        if name is not None:
            return IdURLNode(name, node) if node.args else OnceURLNode(name)
    return node


@register.tag
def static(parser, token):
    node = django_static(parser, token)
    if isinstance(node, StaticNode) and node.varname is None:
        path = _constant(node.path)
        if path is not None:
            return OnceStaticNode(path)
    return node
