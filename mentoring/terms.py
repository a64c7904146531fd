"""When a youth partner's young people are in: the usual school holidays in England, or its own terms."""

import datetime
from dataclasses import dataclass

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Holiday:
    label: str
    starts_on: datetime.date
    ends_on: datetime.date


def easter_sunday(year: int) -> datetime.date:
    """Easter Day in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own letter)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _nth_monday(year: int, month: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def _last_monday(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = following - DAY
    return last - datetime.timedelta(days=last.weekday())


def usual_school_holidays(year: int) -> list[Holiday]:
    """The holidays most schools in England keep in a calendar year, give or take a few days.

    A partner whose terms differ records its own term dates, which replace these."""
    easter = easter_sunday(year)
    february = _nth_monday(year, 2, 3)
    may = _last_monday(year, 5)
    october = _last_monday(year, 10)
    return [
        Holiday("Christmas holidays", datetime.date(year - 1, 12, 21), datetime.date(year, 1, 3)),
        Holiday("February half term", february - 2 * DAY, february + 6 * DAY),
        Holiday("Easter holidays", easter - 8 * DAY, easter + 8 * DAY),
        Holiday("May half term", may - 2 * DAY, may + 6 * DAY),
        Holiday("Summer holidays", datetime.date(year, 7, 22), datetime.date(year, 9, 2)),
        Holiday("October half term", october - 2 * DAY, october + 6 * DAY),
        Holiday("Christmas holidays", datetime.date(year, 12, 21), datetime.date(year + 1, 1, 3)),
    ]


def holidays_between(terms, first: datetime.date, last: datetime.date) -> list[Holiday]:
    """The days outside term from `first` to `last`.

    `terms` are the partner's own (objects with label, starts_on, ends_on): within the span they
    cover, the gaps between them are holidays; outside it, the usual school holidays apply."""
    terms = sorted(terms, key=lambda term: term.starts_on)
    holidays: list[Holiday] = []
    covered_from = terms[0].starts_on if terms else None
    covered_to = max(term.ends_on for term in terms) if terms else None
    for year in range(first.year, last.year + 2):
        for holiday in usual_school_holidays(year):
            if holiday.ends_on < first or holiday.starts_on > last:
                continue
            if covered_from and not (holiday.ends_on < covered_from or holiday.starts_on > covered_to):
                # Clip the usual holiday to the part outside the partner's own terms' span.
                if holiday.starts_on < covered_from:
                    holidays.append(Holiday(holiday.label, holiday.starts_on, covered_from - DAY))
                if holiday.ends_on > covered_to:
                    holidays.append(Holiday(holiday.label, covered_to + DAY, holiday.ends_on))
                continue
            holidays.append(holiday)
    reached = covered_from
    for term in terms:
        if reached and term.starts_on > reached:
            holidays.append(Holiday(f"Holiday before {term.label}", reached, term.starts_on - DAY))
        reached = max(reached, term.ends_on + DAY) if reached else term.ends_on + DAY
    return sorted(set(holidays), key=lambda holiday: holiday.starts_on)
