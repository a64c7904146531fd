"""PDF rendering with WeasyPrint that never fetches anything over the network or from disk."""

from weasyprint import HTML

try:
    from weasyprint.urls import URLFetcher
except ImportError:  # WeasyPrint releases that take a fetcher function instead of a class
    URLFetcher = None

# Course text is written by staff: an image link must not make the server fetch arbitrary URLs
# (internal services, cloud metadata) or read local files. Only inline data: URIs are loaded.
ALLOWED_PROTOCOLS = {"data"}


def _url_fetcher():
    if URLFetcher is not None:
        return URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS)

    from weasyprint import default_url_fetcher

    def fetch(url, *args, **kwargs):
        if not url.startswith("data:"):
            raise ValueError(f"External resources are not loaded into PDFs: {url[:80]}")
        return default_url_fetcher(url, *args, **kwargs)

    return fetch


def render_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf()
