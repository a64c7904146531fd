import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

EMBED_PREFIXES = ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")


@register.filter
def render_markdown(text: str) -> str:
    """Markdown to HTML, sanitised: authors' text can never inject scripts or styles."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return mark_safe(nh3.clean(html))  # noqa: S308  # sanitised by nh3 just above  # nosec B308 B703


@register.filter
def embeddable(url: str) -> bool:
    return bool(url) and url.startswith(EMBED_PREFIXES)
