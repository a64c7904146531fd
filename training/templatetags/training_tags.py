from django import template

from core.markup import markdown_to_safe_html

register = template.Library()

EMBED_PREFIXES = ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")


@register.filter
def render_markdown(text: str) -> str:
    """Markdown to HTML, sanitised: authors' text can never inject scripts or styles."""
    return markdown_to_safe_html(text)


@register.filter
def embeddable(url: str) -> bool:
    return bool(url) and url.startswith(EMBED_PREFIXES)
