"""DATE mentions -> the project's ISO period strings.

Output format (annotations/GUIDELINES.md, "period"):

* a day ``2019-10-31``, a month ``2019-10``, a year ``2019``;
* a range ``START..END`` where each side is a day, month or year
  (``2018-04-01..2019-03-31`` for the municipal year 2018/19, a quarter as its first and last day).

Every output matches :data:`PERIOD_RE`.  Anything that is not a calendar date (relative
expressions such as "last year", durations, clock times, garbage) gives ``None``; no input raises.

Parsing strategy: regular expressions for the forms dateutil does not know or gets wrong
(municipal/financial years, quarters, ISO periods, all-numeric day-first dates), then
``dateutil``'s parser (``dayfirst=True``) for worded dates.  dateutil fills missing fields from a
default datetime, so it is asked for the raw parse result (which fields were present) and every
word it skipped must be harmless filler ("the", "of", "on", commas); otherwise the text is rejected
rather than guessed.

Meeting headers use the same parser through :func:`normalise_day` (the meeting date: a full day,
read leniently from a header line) and :func:`normalise_time` (the start time, 24-hour ``HH:MM``).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from functools import lru_cache
from typing import NamedTuple

from dateutil import parser as _du_parser

from .periods import (
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_RE,
    Period,
    day_period,
    fy_of,
    fy_quarter,
    join_periods,
    month_period,
    municipal_year,
    second_year,
    year_ok,
    year_pair,
    year_period,
)

__all__ = [
    "normalise_date",
    "normalise_period",
    "normalise_day",
    "normalise_time",
    "period_bounds",
    "PERIOD_RE",
    "MIN_YEAR",
    "MAX_YEAR",
]

# --------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------

_SPACE_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_DASH_RE = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_LEAD_FILLER_RE = re.compile(
    r"^(?:the|on|as\s+(?:at|of)|at|by|in|during|from|since|until|till|dated|of|for|"
    r"w/c|week\s+(?:commencing|beginning|ending)|"
    r"early|mid|late|end\s+of|start\s+of|beginning\s+of)\b[\s,-]*",
    re.IGNORECASE,
)
# A clock time at the end ("at 10.30 am", "6pm", "10:30"); DATE spans should not contain one, but
# a header line sometimes does.
_TRAILING_TIME_RE = re.compile(
    r"[\s,]*(?:at\s+)?(?:\d{1,2}(?:[.:]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d{2}|noon|midday)$",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    s = _SPACE_RE.sub(" ", text)
    s = _DASH_RE.sub("-", s)
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    s = s.strip(" ,;:.()[]{}\"'")
    for _ in range(4):  # "as at the", "on the", ...
        new = _LEAD_FILLER_RE.sub("", s, count=1).strip(" ,;:")
        if new == s:
            break
        s = new
    s = _TRAILING_TIME_RE.sub("", s).strip(" ,;:.")
    return s


# --------------------------------------------------------------------------------------------
# Regex forms
# --------------------------------------------------------------------------------------------

_YP = r"(\d{4})\s*[/-]\s*(\d{4}|\d{2})"  # 2018/19, 2018-2019, 2018 / 19
_FY_WORDS = r"(?:fy|financial\s+year|municipal\s+year|council\s+year|year)"
_QUARTER = r"(?:q|qtr\.?|quarter)\s*([1-4])"
_ORD_QUARTER = r"(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

_ISO_DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR_PAIR_RE = re.compile(rf"^(?:{_FY_WORDS}\s*)?{_YP}(?:\s+(?:financial|municipal|council)\s+year)?$", re.I)
_FY_SHORT_RE = re.compile(r"^fy\s*'?(\d{2})\s*[/-]\s*'?(\d{2})$", re.I)
_FY_SINGLE_RE = re.compile(r"^fy\s*(\d{4})$", re.I)
_QUARTER_FY_RE = re.compile(rf"^{_QUARTER}\s*(?:of\s+)?(?:{_FY_WORDS}\s*)?,?\s*{_YP}$", re.I)
_FY_QUARTER_RE = re.compile(rf"^(?:{_FY_WORDS}\s*)?{_YP}\s*[,:-]?\s*{_QUARTER}$", re.I)
_ORD_QUARTER_FY_RE = re.compile(rf"^(?:the\s+)?{_ORD_QUARTER}\s+(?:of\s+)?(?:{_FY_WORDS}\s*)?{_YP}$", re.I)
_QUARTER_ALONE_RE = re.compile(rf"^(?:{_QUARTER}|(?:the\s+)?{_ORD_QUARTER})$", re.I)
_NUMERIC_DMY_RE = re.compile(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})$")
_NUMERIC_YMD_RE = re.compile(r"^(\d{4})([/.])(\d{1,2})\2(\d{1,2})$")
_NUMERIC_MY_RE = re.compile(r"^(\d{1,2})\s*/\s*(\d{4})$")
_YEAR_RE = re.compile(r"^(\d{4})$")
_MONTH_ABBR_YY_RE = re.compile(r"^([a-z]{3,9})\.?\s*(?:-|'|\s')\s*(\d{2})$", re.I)
_RANGE_SPLIT_RE = re.compile(r"\s*\.\.\s*|\s+(?:to|until|till|through|-)\s+", re.I)
_BETWEEN_RE = re.compile(r"^between\s+(.+?)\s+and\s+(.+)$", re.I)
_YEAR_IN_RE = re.compile(r"\b(?:19|20)\d{2}\b|'\d{2}\b")
# dateutil only sees text that names a month: all-numeric forms are the regexes' job ("2019.10",
# "10 2019" are left undecided), and "10 of 2019" must not become October.
_MONTH_NAME_RE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b",
    re.I,
)

_MONTHS = {name.lower(): i for i in range(1, 13) for name in (calendar.month_name[i], calendar.month_abbr[i])}
_MONTHS["sept"] = 9


# --------------------------------------------------------------------------------------------
# dateutil for worded dates
# --------------------------------------------------------------------------------------------

_PARSER = _du_parser.parser()
# Words dateutil may skip without the text ceasing to be a plain calendar date.
_ALLOWED_SKIPPED = frozenset({"the", "of", "on", "at", "day"})
_SKIPPED_SPLIT_RE = re.compile(r"[\s,.\-/']+")


class _Fields(NamedTuple):
    year: int | None
    month: int | None
    day: int | None
    weekday: int | None


_SENTINEL_A = _dt.datetime(1904, 1, 1)
_SENTINEL_B = _dt.datetime(1908, 12, 28)


def _dateutil_fields(s: str, strict: bool = True) -> _Fields | None:
    """Fields dateutil actually found in ``s`` (None where it would have invented a default).

    ``strict`` (DATE mentions): no clock time, no time zone, and every skipped word harmless filler.
    Not strict (a header's date text): words and times around the date are ignored.
    """
    try:
        parse_private = getattr(_PARSER, "_parse", None)
        if parse_private is not None:
            res, skipped = parse_private(s, dayfirst=True, fuzzy_with_tokens=True)
            if res is None:
                return None
            if not strict:
                return _Fields(res.year, res.month, res.day, res.weekday)
            if any(getattr(res, f, None) is not None for f in ("hour", "minute", "second", "microsecond")):
                return None
            if getattr(res, "tzname", None) or getattr(res, "tzoffset", None) is not None:
                return None
            for token in skipped or ():
                for word in _SKIPPED_SPLIT_RE.split(token.lower()):
                    if word and word not in _ALLOWED_SKIPPED:
                        return None
            return _Fields(res.year, res.month, res.day, res.weekday)
        # Public-API fallback: parse twice with different defaults; a field that follows the
        # default was not in the text.  (Used only if dateutil drops its private _parse.)
        a = _du_parser.parse(s, dayfirst=True, fuzzy=not strict, default=_SENTINEL_A)
        b = _du_parser.parse(s, dayfirst=True, fuzzy=not strict, default=_SENTINEL_B)
        if strict and (a.hour, a.minute, a.second) != (0, 0, 0) or a.tzinfo is not None:
            return None
        return _Fields(
            a.year if a.year == b.year else None,
            a.month if a.month == b.month else None,
            a.day if a.day == b.day else None,
            None,
        )
    except Exception:  # dateutil raises ParserError, OverflowError, TypeError, IndexError...
        return None


def _nearest_year(month: int, day: int | None, weekday: int | None, ref: _dt.date, policy: str) -> int | None:
    """Year for a date given without one.

    ``policy="nearest"`` (default) picks the occurrence closest to ``ref`` (so "17 January" in
    November 2013 minutes is January 2014), preferring years where an attached weekday matches;
    ``policy="ref"`` always takes ``ref``'s year.
    """
    if policy == "ref":
        return ref.year
    if policy == "past":  # what a figure reports has happened: the latest occurrence up to the meeting
        for year in (ref.year, ref.year - 1):
            d = min(day if day is not None else 1, calendar.monthrange(year, month)[1])
            if year_ok(year) and _dt.date(year, month, d) <= ref:
                return year
    candidates = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        if not year_ok(year):
            continue
        d = day if day is not None else 15
        if d > calendar.monthrange(year, month)[1]:
            continue
        when = _dt.date(year, month, d)
        weekday_miss = weekday is not None and day is not None and when.weekday() != weekday
        candidates.append((weekday_miss, abs((when - ref).days), year))
    if not candidates:
        return None
    return min(candidates)[2]


def _from_fields(f: _Fields, ref: _dt.date | None, policy: str) -> Period | None:
    year, month, day = f.year, f.month, f.day
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    if month is None:
        return year_period(year) if (year is not None and day is None) else None
    if year is None:
        if ref is None:
            return None
        year = _nearest_year(month, day, f.weekday, ref, policy)
        if year is None:
            return None
    if day is None:
        return month_period(year, month)
    return day_period(year, month, day)


# --------------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------------


def _parse_single(s: str, ref: _dt.date | None, policy: str) -> Period | None:
    m = _ISO_DAY_RE.match(s)
    if m:
        return day_period(int(m[1]), int(m[2]), int(m[3]))

    m = _YEAR_PAIR_RE.match(s)
    if m:
        first, second = m[1], m[2]
        if "-" in s and len(second) == 2 and int(second) != (int(first) + 1) % 100:
            # ISO month "2019-10" (a consecutive pair such as "2011-12" reads as a municipal year)
            return month_period(int(first), int(second))
        return year_pair(first, second)

    m = _FY_SHORT_RE.match(s)
    if m:
        first = 2000 + int(m[1])
        return municipal_year(first) if second_year(first, m[2]) == first + 1 else None

    m = _FY_SINGLE_RE.match(s)
    if m:  # "FY2019": the financial year starting in April 2019
        return municipal_year(int(m[1]))

    m = _QUARTER_FY_RE.match(s)
    if m:
        first = int(m[2])
        return fy_quarter(first, int(m[1])) if second_year(first, m[3]) == first + 1 else None

    m = _FY_QUARTER_RE.match(s)
    if m:
        first = int(m[1])
        return fy_quarter(first, int(m[3])) if second_year(first, m[2]) == first + 1 else None

    m = _ORD_QUARTER_FY_RE.match(s)
    if m:
        first = int(m[2])
        q = _ORDINALS[m[1].lower()]
        return fy_quarter(first, q) if second_year(first, m[3]) == first + 1 else None

    m = _QUARTER_ALONE_RE.match(s)
    if m:
        if ref is None:
            return None
        q = int(m[1]) if m[1] else _ORDINALS[m[2].lower()]
        return fy_quarter(fy_of(ref), q)

    m = _NUMERIC_DMY_RE.match(s)
    if m:
        year = int(m[4])
        if len(m[4]) == 2:
            year += 2000 if year < 70 else 1900
        return day_period(year, int(m[3]), int(m[1]))

    m = _NUMERIC_YMD_RE.match(s)
    if m:
        return day_period(int(m[1]), int(m[3]), int(m[4]))

    m = _NUMERIC_MY_RE.match(s)
    if m:
        return month_period(int(m[2]), int(m[1]))

    m = _YEAR_RE.match(s)
    if m:
        return year_period(int(m[1]))

    m = _MONTH_ABBR_YY_RE.match(s)
    if m and m[1].lower() in _MONTHS:  # "Oct-19", "Oct '19" (spreadsheet style): October 2019
        return month_period(2000 + int(m[2]), _MONTHS[m[1].lower()])

    # Ranges: "March 2012 to September 2013", "2019-04-01..2019-06-30", "between April and September 2024".
    between = _BETWEEN_RE.match(s)
    parts = [between[1], between[2]] if between else _RANGE_SPLIT_RE.split(s)
    if len(parts) == 2:
        right = _parse_single(_clean(parts[1]), ref, policy)
        if right is None:
            return None
        left_text = _clean(parts[0])
        if not _YEAR_IN_RE.search(left_text):  # "April to September 2024": the year is the right side's
            left = _parse_single(left_text, right.end, "ref")
            if left is not None and left.start > right.end:
                left = _parse_single(left_text, right.end.replace(year=right.end.year - 1, day=1), "ref")
        else:
            left = _parse_single(left_text, ref, policy)
        if left is None:
            return None
        return join_periods(left, right)
    if len(parts) > 2:
        return None

    if not _MONTH_NAME_RE.search(s):
        return None  # "last year", "the coming months", "2019.10", garbage: not for dateutil
    fields = _dateutil_fields(s)
    if fields is None:
        return None
    return _from_fields(fields, ref, policy)


def _to_date(ref: object) -> _dt.date | None:
    if isinstance(ref, _dt.datetime):
        return ref.date()
    if isinstance(ref, _dt.date):
        return ref
    return None


def period_bounds(text: str, ref_date: _dt.date | None = None) -> tuple[_dt.date, _dt.date] | None:
    """First and last day of the period :func:`normalise_date` gives for ``text`` (or None)."""
    p = _normalise(text, ref_date, "nearest")
    return (p.start, p.end) if p else None


def _normalise(text: str, ref_date: object, infer_year: str) -> Period | None:
    if not isinstance(text, str) or len(text) > 200 or not isinstance(infer_year, str):
        return None
    return _normalise_text(text, _to_date(ref_date), infer_year)


@lru_cache(maxsize=8192)  # minutes repeat their dates ("2019/20", the meeting day): parse each once
def _normalise_text(text: str, ref: _dt.date | None, infer_year: str) -> Period | None:
    s = _clean(text)
    if not s:
        return None
    p = _parse_single(s, ref, infer_year)
    if p is None or not PERIOD_RE.match(p.text):
        return None
    return p


def normalise_date(
    text: str,
    ref_date: _dt.date | None = None,
    *,
    infer_year: str = "nearest",
) -> str | None:
    """Normalise a DATE mention to an ISO day, month, year or ``start..end`` range.

    >>> normalise_date("Wednesday, 10th April, 2019")
    '2019-04-10'
    >>> normalise_date("2018/19")
    '2018-04-01..2019-03-31'
    >>> normalise_date("Q2 2019/20")
    '2019-07-01..2019-09-30'
    >>> normalise_date("last year") is None
    True

    ``ref_date`` (usually the meeting date) supplies what the text leaves out: the year of
    "10th April" and the financial year of a bare "Q3".  A date without a year is placed in the
    year that puts it nearest ``ref_date`` (``infer_year="nearest"``, the default) or in
    ``ref_date``'s own year (``infer_year="ref"``).  Day-first throughout (UK): ``27/02/2019``.
    ``2018/19``, ``2018-19`` and ``2018/2019`` are municipal years (April to March); ``Q1`` is
    April to June.  ``Q2 2019`` (a quarter with a single year) is ambiguous between calendar and
    financial quarters and gives None.  Returns None, never raises, for anything else.
    """
    p = _normalise(text, ref_date, infer_year)
    return p.text if p else None


_SINCE_RE = re.compile(r"^\s*since\s+", re.I)


def normalise_period(text: str, meeting: _dt.date | None = None) -> str | None:
    """The period a figure reports, from the DATE text governing it: like :func:`normalise_date`, but a
    date without a year is the latest one up to the meeting (a figure reports what has happened), and
    "since January 2024" runs from January 2024 to the meeting date.

    >>> normalise_period("since January 2024", _dt.date(2024, 7, 8))
    '2024-01..2024-07-08'
    >>> normalise_period("January", _dt.date(2015, 11, 10))
    '2015-01'
    """
    since = _SINCE_RE.match(text or "")
    part = _PART_OF_RE.match(text or "")
    year_to = _YEAR_TO_RE.match(text or "")
    cue = since or part or year_to
    period = _normalise(text[cue.end() :] if cue else text, meeting, "past")
    if period is None:
        return None
    if since and meeting is not None:
        joined = join_periods(period, day_period(meeting.year, meeting.month, meeting.day))
        return joined.text if joined else period.text
    if part:  # "the first half of 2019/20": a share of the period, from its start (or, "last", to its end)
        months = _PART_MONTHS[" ".join(part.group("part").lower().split())]
        if part.group("which").lower() == "second":
            start, end = _add_months(period.start, months), period.end
        elif part.group("which").lower() == "last":
            start, end = _add_months(period.end + _dt.timedelta(days=1), -months), period.end
        else:
            start, end = period.start, _add_months(period.start, months) - _dt.timedelta(days=1)
        return f"{start.isoformat()}..{end.isoformat()}" if start <= end else period.text
    if year_to:  # "the year to September 2021": the twelve months that end with it
        first = _add_months(period.end + _dt.timedelta(days=1), -12)
        return f"{first.year:04d}-{first.month:02d}..{period.end.year:04d}-{period.end.month:02d}"
    return period.text


_PART_OF_RE = re.compile(
    r"^\s*(?:the\s+)?(?P<which>first|second|last)\s+(?P<part>half|quarter|(?:two|three)\s+quarters|(?:six|nine)\s+months)"
    r"\s+of\s+(?:the\s+)?",
    re.I,
)
_PART_MONTHS = {"half": 6, "quarter": 3, "two quarters": 6, "three quarters": 9, "six months": 6, "nine months": 9}
_YEAR_TO_RE = re.compile(
    r"^\s*(?:the\s+)?(?:year|twelve\s+months|12\s+months)\s+(?:to|ending)(?:\s+the\s+end\s+of)?\s+(?:the\s+)?", re.I
)


def _add_months(day: _dt.date, months: int) -> _dt.date:
    """The first of the month `months` after `day`'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return _dt.date(index // 12, index % 12 + 1, 1)


# --------------------------------------------------------------------------------------------
# Meeting headers: the meeting's day and start time
# --------------------------------------------------------------------------------------------

_WEEKDAY_WORD_RE = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?,?", re.I)
_ORDINAL_SUFFIX_RE = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.I)
_DAY_MONTH_YEAR_RE = re.compile(
    r"\b\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}\b|\b[A-Za-z]{3,9}\s+\d{1,2}\s+\d{4}\b"
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
)
_CLOCK_12_RE = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*([ap])\.?\s?m\b\.?", re.I)
_CLOCK_24_RE = re.compile(r"\b(\d{1,2})[.:](\d{2})\b")
_NOON_RE = re.compile(r"\b(?:noon|midday)\b", re.I)


_CLOCK_TIME_RE = re.compile(  # not the day and month of "18.04.24"
    r"(?<!\d[.:/])\b\d{1,2}[.:]\d{2}(?![.:/]\d)(?:[ \t]*[ap]\.?[ \t]?m\b\.?)?|\b\d{1,2}[ \t]*[ap]\.?[ \t]?m\b\.?", re.I
)


def normalise_day(text: str | None) -> str | None:
    """The ISO day of a meeting header's date text, or None unless day, month and year are all printed.

    >>> normalise_day("Wednesday, 10th April, 2019")
    '2019-04-10'
    >>> normalise_day("27/02/2019 at 2pm")
    '2019-02-27'
    >>> normalise_day("October 2019") is None
    True

    Weekdays, ordinals, "the", "of" and commas are dropped, and words or times around the date are
    ignored (the text comes from a header line a rule has already picked).
    """
    if not text or not isinstance(text, str):
        return None
    s = _ORDINAL_SUFFIX_RE.sub(r"\1", _WEEKDAY_WORD_RE.sub(" ", text))
    s = _CLOCK_TIME_RE.sub(" ", s)  # "16th March, 2017 7.00 pm": the time is not part of the day
    s = " ".join(re.sub(r"\b(?:the|of)\b", " ", s, flags=re.I).replace(",", " ").split())
    if not _DAY_MONTH_YEAR_RE.search(s):
        return None
    fields = _dateutil_fields(s, strict=False)
    if fields is None or fields.year is None or fields.month is None or fields.day is None:
        return None
    period = day_period(fields.year, fields.month, fields.day)
    return period.text if period else None


def normalise_time(text: str | None) -> str | None:
    """A clock time as 24-hour ``HH:MM``, or None.

    >>> [normalise_time(t) for t in ("10.30 am", "6.00 pm", "11am", "noon", "10:30", "13pm")]
    ['10:30', '18:00', '11:00', '12:00', '10:30', None]
    """
    if not text or not isinstance(text, str):
        return None
    if _NOON_RE.search(text):
        return "12:00"
    m = _CLOCK_12_RE.search(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not (1 <= hour <= 12 and minute < 60):
            return None
        hour = hour % 12 + (12 if m.group(3).lower() == "p" else 0)
        return f"{hour:02d}:{minute:02d}"
    m = _CLOCK_24_RE.search(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    return None
