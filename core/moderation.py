"""Free text that one side of a mentoring pair writes and the other reads is screened for contact
details, as messages are. The screen itself belongs to safeguarding, which registers it here so that
apps below it (mentoring) can ask without importing it."""

from collections.abc import Callable

_screens: list[Callable[[str], list[str]]] = []


def register_contact_screen(screen: Callable[[str], list[str]]) -> None:
    """`screen(text)` answers the kinds of contact detail found, in words ("a phone number")."""
    if screen not in _screens:
        _screens.append(screen)


def contact_details_in(text: str) -> list[str]:
    found: list[str] = []
    for screen in _screens:
        found.extend(kind for kind in screen(text or "") if kind not in found)
    return found
