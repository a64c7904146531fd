"""The page frame's navigation menu (base.html), written out in Python.

As a template loop the menu cost every page about 1,300 to 2,100 Python calls (a node per tag,
attribute and condition for each section and link); built here, every label and address escaped, it
costs a small part of that and gives the same markup."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_PAGE = ' aria-current="page"'
_IN_SECTION = ' aria-current="true"'
_CURRENT_SECTION = '<span class="visually-hidden"> (current section)</span>'


def _link(label: str, url: str, current: bool, path: str | None) -> str:
    """A section with one link: the link itself, marked when the section is the current one."""
    mark = (_PAGE if path == url else _IN_SECTION) if current else ""
    active = " active" if current else ""
    link = f'<a class="nav-link{active}" href="{escape(url)}"{mark}>{escape(label)}</a>'
    return f'<li class="nav-item">{link}</li>'


def _menu(section, path: str | None) -> str:
    """A section with several links: a menu, its button marked when the section is the current one
    and the link to the page itself marked within it."""
    links = []
    for label, url in section.items:
        here = path == url
        links.append(
            f'<li><a class="dropdown-item{" active" if here else ""}" href="{escape(url)}"'
            f"{_PAGE if here else ''}>{escape(label)}</a></li>"
        )
    current = section.current
    return (
        '<li class="nav-item dropdown">'
        f'<button type="button" class="nav-link dropdown-toggle{" active" if current else ""}" '
        f'data-bs-toggle="dropdown" aria-expanded="false"{_IN_SECTION if current else ""}>'
        f"{escape(section.label)}{_CURRENT_SECTION if current else ''}</button>"
        f'<ul class="dropdown-menu">{"".join(links)}</ul></li>'
    )


@register.simple_tag(takes_context=True)
def navigation(context) -> SafeString:
    """The person's sections (`nav_sections`, core.context_processors): a section with one link
    shows as that link, one with several as a menu; the current section and page are marked."""
    path = getattr(context.get("request"), "path", None)
    parts = [
        _link(*section.items[0], section.current, path) if len(section.items) == 1 else _menu(section, path)
        for section in context.get("nav_sections") or ()
    ]
    return mark_safe("\n".join(parts))  # noqa: S308  # nosec B308 B703: every value above is escaped
