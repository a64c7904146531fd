"""Markdown written by staff, turned into safe HTML (for pages, PDFs and emails) or kept as text."""

import nh3
from django.utils.safestring import SafeString

from core.markup import markdown_to_safe_html

# Everything Markdown produces for prose, lists, tables and links; no images (a PDF must never fetch
# one), no scripts, styles, iframes or event handlers.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def markdown_to_html(text: str) -> SafeString:
    """Render Markdown and sanitise the result: authors' text can never inject script."""
    return markdown_to_safe_html(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def markdown_to_text(text: str) -> str:
    """A plain-text version for email bodies: Markdown is already readable, minus any tags."""
    return nh3.clean(text or "", tags=set()).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
