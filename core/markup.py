"""Markdown written by staff (course modules, resources, bulletins), turned into HTML that is safe to show."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe


def markdown_to_safe_html(text: str, **clean_options) -> SafeString:
    """Render Markdown, then sanitise the HTML with nh3 (its defaults, or the tags, attributes and URL
    schemes a caller narrows it to): an author's text can never inject script or styles."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return mark_safe(nh3.clean(html, **clean_options))  # noqa: S308  # sanitised just above  # nosec B308 B703
