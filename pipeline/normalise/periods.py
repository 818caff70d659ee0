"""Calendar periods with their granularity (day, month, year, range) and the UK municipal year.

The building blocks of :func:`pipeline.normalise.dates.normalise_date`: each constructor checks its
fields (a real day of a real month, a year between MIN_YEAR and MAX_YEAR) and returns a
:class:`Period` whose ``text`` is the project's ISO period string, or None.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from typing import NamedTuple

#: The project's period format.
PERIOD_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(\.\.\d{4}(-\d{2}(-\d{2})?)?)?$")

#: Years outside this window are treated as noise (ids, counts), not dates.
MIN_YEAR = 1900
MAX_YEAR = 2100

# First month of the UK municipal / financial year (April).
FY_START_MONTH = 4


class Period(NamedTuple):
    """A period with its granularity kept: ``text`` is its ISO string."""

    start: _dt.date
    end: _dt.date
    text: str


# --------------------------------------------------------------------------------------------
# Constructors
# --------------------------------------------------------------------------------------------


def year_ok(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def day_period(year: int, month: int, day: int) -> Period | None:
    if not year_ok(year) or not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    d = _dt.date(year, month, day)
    return Period(d, d, d.isoformat())


def month_period(year: int, month: int) -> Period | None:
    if not year_ok(year) or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    return Period(_dt.date(year, month, 1), _dt.date(year, month, last), f"{year:04d}-{month:02d}")


def year_period(year: int) -> Period | None:
    if not year_ok(year):
        return None
    return Period(_dt.date(year, 1, 1), _dt.date(year, 12, 31), f"{year:04d}")


def join_periods(start: Period, end: Period) -> Period | None:
    """Join two periods into ``start..end`` keeping each side's granularity."""
    if end.end < start.start:
        return None
    left = start.text.split("..")[0]
    right = end.text.split("..")[-1]
    if left == right:
        return start
    return Period(start.start, end.end, f"{left}..{right}")


def day_span(start: _dt.date, end: _dt.date) -> Period | None:
    if not (year_ok(start.year) and year_ok(end.year)):
        return None
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def municipal_year(first: int) -> Period | None:
    """The municipal/financial year starting in April of ``first``."""
    if not (year_ok(first) and year_ok(first + 1)):
        return None
    return day_span(_dt.date(first, FY_START_MONTH, 1), _dt.date(first + 1, FY_START_MONTH - 1, 31))


def fy_quarter(first: int, quarter: int) -> Period | None:
    """UK financial quarter: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar (of ``first + 1``)."""
    if not 1 <= quarter <= 4:
        return None
    start_month = FY_START_MONTH + 3 * (quarter - 1)
    year = first + (start_month - 1) // 12
    start_month = (start_month - 1) % 12 + 1
    end_month = start_month + 2
    if not year_ok(year):
        return None
    return day_span(
        _dt.date(year, start_month, 1),
        _dt.date(year, end_month, calendar.monthrange(year, end_month)[1]),
    )


def fy_of(day: _dt.date) -> int:
    """First calendar year of the financial year containing ``day``."""
    return day.year if day.month >= FY_START_MONTH else day.year - 1


def second_year(first: int, second: str) -> int:
    """Expand the second half of ``2018/19`` (``19`` -> 2019, ``00`` after 1999 -> 2000)."""
    if len(second) == 4:
        return int(second)
    value = (first // 100) * 100 + int(second)
    if value < first:
        value += 100
    return value


def year_pair(first_s: str, second_s: str) -> Period | None:
    """``2018/19``, ``2018-2019`` -> municipal year; ``2018-2020`` -> year range."""
    first = int(first_s)
    second = second_year(first, second_s)
    if second == first + 1:
        return municipal_year(first)
    if second > first:
        a, b = year_period(first), year_period(second)
        return join_periods(a, b) if a and b else None
    return None
