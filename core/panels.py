"""Home-page panels and navigation items contributed by each app.

An app registers, in its AppConfig.ready(), functions that add to a role's home page or to the
navigation, so the home view does not need to know about every feature:

    register_home_panel(Role.MENTOR, training_panel, order=20)

A panel function takes the request and returns None (nothing to show) or a `Panel`.
A navigation item is shown when its predicate says so for the signed-in user.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


@dataclass
class _Registered:
    function: Callable
    order: int


_home_panels: dict[str, list[_Registered]] = {}
_nav_items: list[tuple[int, str, str, Callable]] = []


def register_home_panel(role: str, function: Callable, *, order: int = 50) -> None:
    _home_panels.setdefault(role, []).append(_Registered(function, order))


def home_panels(request, role: str) -> list[Panel]:
    panels = []
    for registered in sorted(_home_panels.get(role, []), key=lambda r: r.order):
        panel = registered.function(request)
        if panel is not None:
            panels.append(panel)
    return panels


def register_nav_item(label: str, url_name: str, predicate: Callable, *, order: int = 50) -> None:
    """Add a navigation link shown to users for whom `predicate(user)` is true."""
    _nav_items.append((order, label, url_name, predicate))


def nav_items(user) -> list[tuple[str, str]]:
    return [
        (label, reverse(url_name))
        for order, label, url_name, predicate in sorted(_nav_items)
        if predicate(user)
    ]
