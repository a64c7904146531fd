"""Comparing markup as a browser reads it: elements with their attributes in order, and text with its
whitespace collapsed (indentation between elements aside)."""

from html.parser import HTMLParser


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            self.items.append(("text", text))


def elements(html: str) -> list[tuple]:
    parser = _Elements()
    parser.feed(str(html))
    parser.close()
    return parser.items
