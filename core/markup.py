"""Markdown written by staff (course modules, resources, bulletins), turned into HTML that is safe to show;
and the escaping of text written into markup built in Python."""

import html

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeData, SafeString, mark_safe


def markdown_to_safe_html(text: str, **clean_options) -> SafeString:
    """Render Markdown, then sanitise the HTML with nh3 (its defaults, or the tags, attributes and URL
    schemes a caller narrows it to): an author's text can never inject script or styles."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return mark_safe(nh3.clean(html, **clean_options))  # noqa: S308  # sanitised just above  # nosec B308 B703


def escape_unless_safe(value) -> str:
    """What `format_html` writes of a value (escaped, unless it is already safe), with the standard
    library's escape: about a tenth of `format_html`'s cost, for markup with hundreds of texts (a
    select's options, a table's cells)."""
    return value if isinstance(value, SafeData) else html.escape(str(value))
