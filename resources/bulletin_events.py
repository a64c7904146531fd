"""Where a new bulletin's "upcoming events" text comes from.

Another app (events, communities of practice) registers a function in its AppConfig.ready():

    register_events_source(upcoming_events_for_bulletin)

The function takes the bulletin's issue date and returns Markdown (or "" when it has nothing). A new
bulletin's form starts with what the sources return; staff edit it freely before sending.
"""

import datetime
from collections.abc import Callable

_sources: list[Callable[[datetime.date], str]] = []


def register_events_source(function: Callable[[datetime.date], str]) -> None:
    if function not in _sources:
        _sources.append(function)


def unregister_events_source(function: Callable[[datetime.date], str]) -> None:
    if function in _sources:
        _sources.remove(function)


def upcoming_events_markdown(issue_date: datetime.date) -> str:
    parts = [text.strip() for text in (source(issue_date) for source in _sources) if text and text.strip()]
    return "\n\n".join(parts)
