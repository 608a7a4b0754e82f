"""Partial dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

A partial date stands for an interval of days; two dates are out of order only
when the later one certainly falls before the earlier one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@lru_cache(maxsize=65536)
def parse_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day that `value` may stand for; None if not a date."""
    m = _DATE.match(value) if isinstance(value, str) else None
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            day = dt.date(year, int(m.group(2)), int(m.group(3)))
            return day, day
        if m.group(2):
            month = int(m.group(2))
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None


def earliest(value: str) -> dt.date | None:
    b = parse_bounds(value)
    return b[0] if b else None


def latest(value: str) -> dt.date | None:
    b = parse_bounds(value)
    return b[1] if b else None


def year_of(value: str | None) -> int | None:
    b = parse_bounds(value) if value else None
    return b[0].year if b else None


def certainly_before(later: str, earlier: str) -> bool:
    """True when date `later` certainly falls before date `earlier`."""
    a, b = parse_bounds(later), parse_bounds(earlier)
    return bool(a and b and a[1] < b[0])


def display(value: str) -> str | None:
    """A partial date as people read it: '2019-05-24' -> '24 May 2019',
    '2020-02' -> 'February 2020', '2020' -> '2020'; None for anything else."""
    b = parse_bounds(value)
    if not b:
        return None
    day = b[0]
    if b[0] == b[1]:
        return f"{day.day} {calendar.month_name[day.month]} {day.year}"
    if b[0].month == b[1].month:
        return f"{calendar.month_name[day.month]} {day.year}"
    return str(day.year)
