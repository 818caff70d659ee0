"""METRIC mentions -> value, unit, rate base and a hedge flag.

``parse_metric("48.2 per 10,000")`` -> ``MetricValue(48.2, "rate", 10000.0, False)``.

Units (annotations/GUIDELINES.md, "Metric attributes"): ``count``, ``percent``, ``rate`` (with
``per``), ``currency`` (GBP) and ``average``.  The span itself decides first (``%``, ``per cent``,
``£``, ``per 10,000``, ``k``/``m``/``bn``); when it carries no unit, the text around it may:

* ``context_after`` opening with ``(per 10,000)`` or ``%``: rate / percent;
* ``context_before`` ending with a rate base and a separator (``Rate of CLA per 10,000 – ``): rate;
* ``context_before`` ending with ``£``: currency;
* ``average``/``mean`` among the last words of ``context_before``'s clause: average;
* a hedge at the end of ``context_before`` (``around the``): approximate.

Spelled-out numbers go through ``word2number`` (only runs of known number words are handed to
it, since it silently ignores other words); fractions ("one quarter", "three quarters", "half",
"two thirds", "one in five") are handled here and give percentages, as the guidelines ask.
Returns None when there is no number; never raises.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from word2number import w2n

from .number_words import (
    DECADE_OFFSETS,
    DECADE_WORDS,
    FRACTION_DENOMINATORS,
    MULTIPLIERS,
    NUMBER_WORDS,
    SCALE_WORDS,
    SMALL_NUMBERS,
)

__all__ = ["MetricValue", "parse_metric", "UNITS"]

UNITS = ("count", "percent", "rate", "currency", "average")


@dataclass(frozen=True, slots=True)
class MetricValue:
    """A normalised METRIC: ``value`` as a float, ``unit`` one of :data:`UNITS`,
    ``per`` the rate base for unit ``rate`` (else None), ``approximate`` for hedged figures."""

    value: float
    unit: str
    per: float | None = None
    approximate: bool = False


# --------------------------------------------------------------------------------------------
# Regular expressions
# --------------------------------------------------------------------------------------------

_SPACE_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_DASH_RE = re.compile(r"[\u2010-\u2015\ufe58\ufe63\uff0d]")
_PLAIN_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
_NUM_RE = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\d])")
_NUM_TEXT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_BASE_TEXT = (
    rf"(?:{_NUM_TEXT})\s*(?:k|thousand|million|m)?\b"
    r"|(?:a|one|ten|a\s+hundred|one\s+hundred)?\s*(?:hundred|thousand|million)\b"
)

_HEDGE_PREFIX_RE = re.compile(
    r"^(?:around|about|approximately|approx\.?|roughly|circa|ca\.|c\.|c(?=\s?£?\d)|some|nearly|almost|"
    r"over|more\s+than|less\s+than|fewer\s+than|under|just\s+over|just\s+under|up\s+to|at\s+least|"
    r"in\s+excess\s+of|in\s+the\s+region\s+of|upwards\s+of|an\s+estimated|estimated|est\.|~|<|>|≈|±)\s*"
    r"(?:the\s+)?",
    re.IGNORECASE,
)
_HEDGE_SUFFIX_RE = re.compile(r"\s*(?:\+|-?ish|-?odd|or\s+so|or\s+more|or\s+fewer|or\s+less|plus)\s*$", re.I)
_CONTEXT_HEDGE_RE = re.compile(
    r"\b(?:around|about|approximately|approx\.?|roughly|circa|nearly|almost|over|more\s+than|"
    r"less\s+than|fewer\s+than|under|up\s+to|at\s+least|in\s+excess\s+of|in\s+the\s+region\s+of|"
    r"upwards\s+of|an\s+estimated|estimated)\s*(?:the\s+)?$|(?:^|\s)(?:c\.|ca\.|~|≈)\s*$",
    re.IGNORECASE,
)
_DECADE_RE = re.compile(r"^(?:the\s+)?(?:(mid|middle|early|late|low|lower|high|upper)[\s-]*)?(\d)0'?s$", re.I)
_DECADE_WORD_RE = re.compile(
    r"^(?:the\s+)?(?:(mid|middle|early|late|low|lower|high|upper)[\s-]*)?(" + "|".join(DECADE_WORDS) + r")$",
    re.I,
)
_ORDINAL_RE = re.compile(r"^\d+(?:st|nd|rd|th)$", re.I)

_PERCENT_SUFFIX_RE = re.compile(r"^\s*(?:%|per\s*cent\b|percent\b|pc\b|percentage\s+points?\b|ppts?\b|pp\b)", re.I)
_MULT_SUFFIX_RE = re.compile(r"^\s*(k|thousand|mn|mil|million|m|bn|billion)\b", re.I)
_RATE_SUFFIX_RE = re.compile(rf"^\s*(?:per|/)\s*({_BASE_TEXT})", re.I)
_PENCE_SUFFIX_RE = re.compile(r"^\s*(?:p\b|pence\b)", re.I)
_POUNDS_SUFFIX_RE = re.compile(r"^\s*(?:pounds?\b|gbp\b|sterling\b)", re.I)
_RANGE_SUFFIX_RE = re.compile(rf"^\s*(?:-|to)\s*£?({_NUM_TEXT})(?![\d])", re.I)
_GLUED_SUFFIX_RE = re.compile(r"(?:k|m|mn|bn|p)\b", re.I)
_BASE_BEFORE_RE = re.compile(r"(?:\bper|/)\s*$", re.I)
_CURRENCY_PREFIX_RE = re.compile(r"(?:£|gbp)\s*$", re.I)

_IN_RATIO_RE = re.compile(
    r"^(?P<a>\d+|one|two|three|four|five|six|seven|eight|nine|a)\s+(?:in|out\s+of)\s+"
    r"(?P<b>\d+|two|three|four|five|six|seven|eight|nine|ten|twenty)$",
    re.I,
)
_FRACTION_RE = re.compile(
    r"^(?:(?P<num>a|an|one|two|three|four|five|six|seven|eight|nine)[\s-]+)?(?P<den>"
    + "|".join(FRACTION_DENOMINATORS)
    + r")$",
    re.I,
)
_WORD_TOKEN_RE = re.compile(r"[a-z]+", re.I)

# Context: a rate base just before the figure ("Rate of CLA per 10,000 – "), then only separators.
_CONTEXT_RATE_RE = re.compile(
    rf"\bper\s+({_BASE_TEXT})"
    r"(?:\s+(?:of\s+(?:the\s+)?)?(?:population|children|child\s+population|people|residents|pupils|"
    r"young\s+people|under\s*18s?|0-17\s+population|aged\s+0-17))?"
    r"(?:\s*(?:[-:=(]|\bwas\b|\bis\b|\bwere\b|\bare\b|\bat\b|\bof\b|\bstood\b|\bstands\b|\bnow\b))*\s*$",
    re.I,
)
_CONTEXT_AFTER_RATE_RE = re.compile(rf"^\s*\(?\s*per\s+({_BASE_TEXT})", re.I)
_CONTEXT_AFTER_PERCENT_RE = re.compile(r"^\s*(?:%|per\s*cent\b|percent\b)", re.I)
_CLAUSE_SPLIT_RE = re.compile(r"[.;!?\n•·]\s")
_AVERAGE_RE = re.compile(r"\b(?:average|averages|averaged|avg|mean)\b", re.I)
_NOT_AVERAGE_RE = re.compile(r"\b(?:would|will|could|may|might|to|does|did|do|can|should)\s+mean\b", re.I)


def _clean(text: str) -> str:
    s = _SPACE_RE.sub(" ", text)
    s = _DASH_RE.sub("-", s).replace("\u2212", "-")
    return s.strip(" ,;:()[]")


def _finite(value: float) -> bool:
    return math.isfinite(value) and abs(value) < 1e18


def _to_float(num: str) -> float | None:
    try:
        value = float(num.replace(",", ""))
    except ValueError:
        return None
    return value if _finite(value) else None


def _scaled(num: str, mult: int) -> float | None:
    """``num * mult`` without binary noise (4.6 * 1e6 == 4600000.0)."""
    try:
        value = float(Decimal(num.replace(",", "")) * mult)
    except (InvalidOperation, ValueError, OverflowError):
        return None
    return value if _finite(value) else None


@lru_cache(maxsize=4096)
def _words_to_number(phrase: str) -> float | None:
    """A run of number words ("one hundred and twenty", "eleven") via word2number."""
    words = phrase.lower().replace("-", " ").split()
    if not words:
        return None
    if words[0] in ("a", "an") and len(words) > 1 and words[1] in SCALE_WORDS:
        words[0] = "one"
    if words[-1] in ("and", "point"):
        return None
    if any(w not in NUMBER_WORDS and w != "and" for w in words):
        return None
    try:
        value = w2n.word_to_num(" ".join(words))
    except Exception:  # word2number raises ValueError, and IndexError on some malformed runs
        return None
    if isinstance(value, (int, float)):
        value = float(value)
        return value if _finite(value) else None
    return None


def _base(text: str) -> float | None:
    """A rate base: "10,000", "1000", "10k", "thousand", "one hundred thousand"."""
    t = text.strip().lower()
    m = re.match(rf"^({_NUM_TEXT})\s*(k|thousand|million|m)?$", t)
    if m:
        return _scaled(m[1], MULTIPLIERS[m[2]]) if m[2] else _to_float(m[1])
    words = t.split()
    if words and words[0] not in NUMBER_WORDS and words[0] not in ("a", "an"):
        return None
    if words and words[0] in SCALE_WORDS:
        words.insert(0, "one")
    return _words_to_number(" ".join(words))


class _Core:
    __slots__ = ("value", "unit", "per", "approximate")

    def __init__(self, value: float, unit: str | None = None, per: float | None = None, approximate: bool = False):
        self.value = value
        self.unit = unit
        self.per = per
        self.approximate = approximate


def _parse_fraction(s: str) -> _Core | None:
    m = _FRACTION_RE.match(s)
    if m:
        num = SMALL_NUMBERS.get((m["num"] or "one").lower(), 1)
        den = FRACTION_DENOMINATORS[m["den"].lower()]
        if den == 2 and num > 1:  # "two halves": not a share
            return None
        return _Core(100.0 * num / den, "percent")
    m = _IN_RATIO_RE.match(s)
    if m:
        a = m["a"].lower()
        b = m["b"].lower()
        av = float(a) if a.isdigit() else float(SMALL_NUMBERS.get(a) or _words_to_number(a) or 0)
        bv = float(b) if b.isdigit() else float(SMALL_NUMBERS.get(b) or _words_to_number(b) or 0)
        if 0 < av < bv <= 100:
            return _Core(100.0 * av / bv, "percent")
    return None


def _parse_decade(s: str) -> _Core | None:
    m = _DECADE_RE.match(s)
    if m:
        offset = DECADE_OFFSETS[m[1].lower() if m[1] else None]
        return _Core(float(int(m[2]) * 10 + offset), approximate=True)
    m = _DECADE_WORD_RE.match(s)
    if m:
        offset = DECADE_OFFSETS[m[1].lower() if m[1] else None]
        return _Core(float(DECADE_WORDS[m[2].lower()] + offset), approximate=True)
    return None


def _parse_digits(s: str) -> _Core | None:
    m = _NUM_RE.search(s)
    if not m:
        return None
    num = m.group()
    before = s[: m.start()]
    after = s[m.end() :]
    # An ordinal ("11th") is not a quantity; a number glued to letters ("PR1", "A4", "5kg",
    # "1990s") is not one; "per 10,000" alone is a rate base without a figure.
    if before and before[-1].isalpha():
        return None
    if after and after[0].isalpha() and not _GLUED_SUFFIX_RE.match(after):
        return None
    if _BASE_BEFORE_RE.search(before):
        return None
    negative = before.endswith("-") and (len(before) == 1 or not before[-2].isdigit())
    negative = negative or bool(re.search(r"\bminus\s*$", before, re.I))
    unit: str | None = None
    per: float | None = None
    approximate = False
    value: float | None = None

    if _CURRENCY_PREFIX_RE.search(before.rstrip("-").rstrip()) or "£" in before:
        unit = "currency"

    mult = _MULT_SUFFIX_RE.match(after)
    if mult:
        # "£1.2m", "650k", "4.6 million" (a bare "5m" is read as millions too: in minutes it is
        # money far more often than metres)
        value = _scaled(num, MULTIPLIERS[mult[1].lower()])
        after = after[mult.end() :]
    else:
        value = _to_float(num)
    if value is None:
        return None

    if _PERCENT_SUFFIX_RE.match(after):
        unit = "percent"
    elif (r := _RATE_SUFFIX_RE.match(after)) is not None and unit != "currency":
        base = _base(r[1])
        if base:
            unit, per = "rate", base
    elif _PENCE_SUFFIX_RE.match(after) and unit is None:
        unit = "currency"
        value = value / 100.0
    elif _POUNDS_SUFFIX_RE.match(after):
        unit = "currency"
    elif (rng := _RANGE_SUFFIX_RE.match(after)) is not None and not mult:
        # "10-12": the midpoint, flagged approximate ("0-19" in a service name is not a METRIC
        # and should not reach here).
        hi = _to_float(rng[1])
        if hi is not None and hi > value:
            value = (value + hi) / 2.0
            approximate = True
            rest = after[rng.end() :]
            if _PERCENT_SUFFIX_RE.match(rest):
                unit = "percent"

    if negative:
        value = -value
    return _Core(value, unit, per, approximate)


def _parse_words(s: str) -> _Core | None:
    """A run of number words, optionally followed by a unit ("fifty per cent", "two million")."""
    tokens = list(_WORD_TOKEN_RE.finditer(s))
    start = end = None
    run: list[str] = []
    for i, tok in enumerate(tokens):
        w = tok.group().lower()
        nxt = tokens[i + 1].group().lower() if i + 1 < len(tokens) else ""
        is_num = w in NUMBER_WORDS or (w == "and" and bool(run)) or (w in ("a", "an") and nxt in SCALE_WORDS)
        if is_num:
            if start is None:
                start = tok.start()
            end = tok.end()
            run.append(w)
        elif run:
            break
    if not run:
        return None
    while run and run[-1] == "and":
        run.pop()
    value = _words_to_number(" ".join(run))
    if value is None:
        return None
    after = s[end:]
    unit = None
    per = None
    if _PERCENT_SUFFIX_RE.match(after):
        unit = "percent"
    elif (r := _RATE_SUFFIX_RE.match(after)) is not None:
        base = _base(r[1])
        if base:
            unit, per = "rate", base
    elif _POUNDS_SUFFIX_RE.match(after) or "£" in s[:start]:
        unit = "currency"
    return _Core(value, unit, per)


def _clause_tail(context_before: str) -> str:
    parts = _CLAUSE_SPLIT_RE.split(context_before[-300:])
    return parts[-1] if parts else ""


def _apply_context(core: _Core, before: str, after: str) -> None:
    if before and _CONTEXT_HEDGE_RE.search(before.rstrip()):
        core.approximate = True
    if core.unit is not None:
        return
    if after:
        m = _CONTEXT_AFTER_RATE_RE.match(after)
        if m and (base := _base(m[1])):
            core.unit, core.per = "rate", base
            return
        if _CONTEXT_AFTER_PERCENT_RE.match(after):
            core.unit = "percent"
            return
    if before:
        tail = before[-200:]
        m = _CONTEXT_RATE_RE.search(tail)
        if m and (base := _base(m[1])):
            core.unit, core.per = "rate", base
            return
        if tail.rstrip().endswith("£"):
            core.unit = "currency"
            return
        clause = _clause_tail(before)
        last_words = " ".join(clause.split()[-8:])
        if _AVERAGE_RE.search(last_words) and not _NOT_AVERAGE_RE.search(last_words):
            core.unit = "average"


def parse_metric(text: str, context_before: str = "", context_after: str = "") -> MetricValue | None:
    """Parse a METRIC mention.

    >>> parse_metric("£1.2m")
    MetricValue(value=1200000.0, unit='currency', per=None, approximate=False)
    >>> parse_metric("17", context_before="Average caseload – ")
    MetricValue(value=17.0, unit='average', per=None, approximate=False)
    >>> parse_metric("85.0", context_before="Rate of CLA per 10,000 – ")
    MetricValue(value=85.0, unit='rate', per=10000.0, approximate=False)
    """
    if not isinstance(text, str):
        return None
    # Context keeps its separators ("Rate of CLA per 10,000 – "): only spaces and dashes unified.
    before = _DASH_RE.sub("-", _SPACE_RE.sub(" ", context_before[-300:])) if isinstance(context_before, str) else ""
    after = _DASH_RE.sub("-", _SPACE_RE.sub(" ", context_after[:100])) if isinstance(context_after, str) else ""

    s = _clean(text)
    if not s or len(s) > 120:
        return None

    # Fast path: a bare number ("1,548", "85.0").
    if _PLAIN_RE.fullmatch(s):
        value = _to_float(s)
        if value is None:
            return None
        core = _Core(value)
    else:
        core = _parse_complex(s)
        if core is None:
            return None
    _apply_context(core, before, after)
    return MetricValue(core.value, core.unit or "count", core.per if core.unit == "rate" else None, core.approximate)


def _parse_complex(s: str) -> _Core | None:
    approximate = False
    for _ in range(3):
        m = _HEDGE_PREFIX_RE.match(s)
        if not m or m.end() == 0:
            break
        approximate = True
        s = s[m.end() :]
    m = _HEDGE_SUFFIX_RE.search(s)
    if m and m.start() > 0:
        approximate = True
        s = s[: m.start()]
    s = s.strip(" ,;:()")
    if not s or _ORDINAL_RE.match(s):
        return None

    core = _parse_decade(s) or _parse_fraction(s)
    if core is None:
        core = _parse_digits(s) if any(c.isdigit() for c in s) else _parse_words(s)
    if core is None:
        return None
    core.approximate = core.approximate or approximate
    return core
