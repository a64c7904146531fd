"""Home-page panels and navigation items contributed by each app.

An app registers, in its AppConfig.ready(), functions that add to a role's home page or to the
navigation, so the home view does not need to know about every feature:

    register_home_panel(Role.MENTOR, training_panel, order=20)

A panel function takes the request and returns None (nothing to show) or a `Panel`.
A navigation item is shown when its predicate says so for the signed-in user.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .links import reverse_once, reversing_where


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


@dataclass
class _Registered:
    function: Callable
    order: int


_home_panels: dict[str, list[_Registered]] = {}
_nav_items: list[tuple[int, str, str, Callable, str]] = []


def register_home_panel(role: str, function: Callable, *, order: int = 50) -> None:
    _home_panels.setdefault(role, []).append(_Registered(function, order))


def home_panels(request, role: str) -> list[Panel]:
    panels = []
    for registered in sorted(_home_panels.get(role, []), key=lambda r: r.order):
        panel = registered.function(request)
        if panel is not None:
            panels.append(panel)
    return panels


# The top-level sections, in order. An item names its section; a section with one item for the
# person shows as that item's link, a section with several as a menu. At most seven for anyone.
SECTIONS = ("People", "Matching", "Relationships", "Training", "Safeguarding", "Impact", "Admin")


@dataclass
class NavSection:
    label: str
    items: list[tuple[str, str]]
    current: bool = False

    @property
    def url(self) -> str:
        return self.items[0][1]


def register_nav_item(
    label: str, url_name: str, predicate: Callable, *, order: int = 50, section: str = "Admin"
) -> None:
    """Add a navigation link, under `section`, shown to users for whom `predicate(user)` is true."""
    if section not in SECTIONS:
        raise ValueError(f"Unknown navigation section {section!r}: choose one of {SECTIONS}.")
    _nav_items.append((order, label, url_name, predicate, section))


def nav_items(user) -> list[tuple[str, str]]:
    """Every link the person may use, in order (each URL once)."""
    items, seen = [], set()
    for _order, label, url_name, predicate, _section in sorted(_nav_items, key=lambda item: item[0]):
        # The predicate first: most links are not the person's, and reversing a URL costs more.
        if predicate(user) and (url := reverse_once(url_name)) not in seen:
            seen.add(url)
            items.append((label, url))
    return items


def nav_sections(user, path: str = "") -> list[NavSection]:
    """The person's navigation grouped into sections, the one holding the current page marked."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    seen = set()
    where = reversing_where()  # the same for every link of the page
    for _order, label, url_name, predicate, section in sorted(_nav_items, key=lambda item: item[0]):
        if predicate(user) and (url := reverse_once(url_name, where=where)) not in seen:
            seen.add(url)
            grouped.setdefault(section, []).append((label, url))
    sections = [NavSection(name, grouped[name]) for name in SECTIONS if name in grouped]
    # The current section holds the longest link the page's address starts with.
    best, best_length = None, 0
    for section in sections:
        for _label, url in section.items:
            if path.startswith(url) and len(url) > best_length and url != "/":
                best, best_length = section, len(url)
    if best is not None:
        best.current = True
    return sections
