"""Meeting metadata from the header of a set of minutes: council, committee, date, time, venue.

`extract_meeting(text, sections, rules)` returns the dict stored on ``doc._.meeting``::

    {"council": str|None, "committee": str|None,
     "meeting_date": "2019-04-10"|None, "meeting_time": "10:30"|None, "venue": str|None}

Rules are data (``pipeline/patterns/meeting.jsonl``, one JSON object per line):

    {"id": "held_on_date_at_time_in_venue", "pattern": "...(?P<date>...)...(?P<time>...)...(?P<venue>...)",
     "scope": "header", "priority": 60}

- ``type``: ``"extract"`` (default) or ``"strip"``.
- extract rules read fields from the named groups ``council``, ``committee``, ``date``, ``time``,
  ``venue`` of each match, or set fixed values with ``"value": {"venue": "virtual meeting"}``.
  ``scope`` ``"header"`` (default) searches only the top-level ``header`` sections found by the
  section splitter; ``"document"`` searches the whole text (only for unambiguous labels such as
  ``Decision Maker:``). For each field the candidate of the highest ``priority`` wins, then the
  earliest in the text; a candidate that does not normalise (an unparseable date) is skipped.
- strip rules (``"field": "venue"``) delete residue from an extracted value before it is
  normalised (``View directions`` after a web-page venue, `` - Briefing Session`` after a committee).
- ``flags``: names from ``re`` (``IGNORECASE``, ``DOTALL``, ``VERBOSE``, ``ASCII``); ``MULTILINE`` is
  always on, so ``^``/``$`` are line anchors. ``comment`` is free text. Unknown keys are errors.

Normalisation: dates are parsed with python-dateutil (``dayfirst=True``) after weekdays, ordinals and
commas are removed, and only when day, month and year are all printed ("October 2019" is not a
meeting date); times become 24-hour ``HH:MM`` ("6.00 pm" -> "18:00", "11am" -> "11:00", "noon" ->
"12:00"); names printed in capitals are title-cased ("SOUTHBY BOROUGH COUNCIL" -> "Southby Borough
Council"); a leading "the " is dropped from venues.

Choices where the brief was silent (see also the section splitter's docstring):

- council: the header line naming the council; when there is none, a contact e-mail domain listed
  in the rules (``@lancashire.gov.uk`` -> Lancashire County Council, seed 003). Unknown domains give
  None: the council is never guessed from a domain's spelling.
- committee: a ``<Committee> - <suffix>`` line keeps the committee when the suffix names no body,
  so "Children's Services Scrutiny Committee - Briefing Session" -> "Children's Services Scrutiny
  Committee" (the body that met; the meeting type is not part of its name, and grouping by committee
  across the archive then works).
- venue: when the header says the meeting was virtual ("Teams Virtual Meeting - Teams", "held
  remotely", "via Zoom") the venue is "virtual meeting", so analysts can group remote meetings.
- meeting_date of a decision notice: the date of the decision (not the publication date).

This module also holds the small helpers shared by both rule files (reading JSONL with line
numbers, validating keys, compiling flags) so that errors name the file and line of the bad rule.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from dateutil import parser as date_parser

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"
DEFAULT_MEETING_PATTERNS = PATTERNS_DIR / "meeting.jsonl"

FIELDS = ("council", "committee", "date", "time", "venue")
OUTPUT_KEYS = {"council": "council", "committee": "committee", "date": "meeting_date",
               "time": "meeting_time", "venue": "venue"}


# --------------------------------------------------------------------------------------------
# shared rule-file helpers
# --------------------------------------------------------------------------------------------


class RuleError(ValueError):
    """A rule (from a JSONL file or added in code) is malformed. The message names where it came from."""


_FLAG_NAMES = {
    "IGNORECASE": re.IGNORECASE, "I": re.IGNORECASE,
    "MULTILINE": re.MULTILINE, "M": re.MULTILINE,
    "DOTALL": re.DOTALL, "S": re.DOTALL,
    "VERBOSE": re.VERBOSE, "X": re.VERBOSE,
    "ASCII": re.ASCII, "A": re.ASCII,
}

_MISSING = object()


def read_jsonl(path: str | Path) -> list[tuple[str, dict]]:
    """Objects of a JSONL rule file, each with a location string "<path> line <n>" for error messages."""
    path = Path(path)
    if not path.is_file():
        raise RuleError(f"rule file not found: {path}")
    out = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path} line {lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise RuleError(f"{where}: invalid JSON ({e.msg} at column {e.colno})") from None
            out.append((where, obj))
    return out


def check_keys(obj: Any, spec: dict[str, tuple], where: str) -> dict:
    """Validate a rule object against {key: (allowed types, default or _MISSING if required)}.

    Returns a dict with defaults filled in. Errors name the rule's location and id.
    """
    if not isinstance(obj, dict):
        raise RuleError(f"{where}: a rule must be a JSON object, got {type(obj).__name__}")
    label = f"{where} (rule {obj['id']!r})" if isinstance(obj.get("id"), str) else where
    unknown = sorted(set(obj) - set(spec))
    if unknown:
        raise RuleError(f"{label}: unknown key(s) {', '.join(map(repr, unknown))}; allowed keys: {', '.join(sorted(spec))}")
    out = {}
    for key, (types, default) in spec.items():
        if key not in obj:
            if default is _MISSING:
                raise RuleError(f"{label}: missing required key {key!r}")
            out[key] = default
            continue
        value = obj[key]
        if isinstance(value, bool) and bool not in types:
            ok = False
        else:
            ok = isinstance(value, types)
        if not ok:
            names = " or ".join("null" if t is type(None) else t.__name__ for t in types)
            raise RuleError(f"{label}: key {key!r} must be {names}, got {json.dumps(value)}")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise RuleError(f"{label}: key {key!r} must be a list of strings, got {json.dumps(value)}")
        out[key] = value
    return out


def compile_pattern(pattern: str, flags: Iterable[str], label: str) -> re.Pattern:
    value = re.MULTILINE
    for name in flags:
        if name.upper() not in _FLAG_NAMES:
            raise RuleError(f"{label}: unknown flag {name!r}; use {', '.join(k for k in _FLAG_NAMES if len(k) > 1)}")
        value |= _FLAG_NAMES[name.upper()]
    if not pattern:
        raise RuleError(f"{label}: 'pattern' is empty")
    try:
        return re.compile(pattern, value)
    except re.error as e:
        raise RuleError(f"{label}: invalid regular expression in 'pattern': {e}") from None


def rule_label(where: str, rule_id: str | None) -> str:
    return f"{where} (rule {rule_id!r})" if rule_id else where


# --------------------------------------------------------------------------------------------
# meeting rules
# --------------------------------------------------------------------------------------------

_MEETING_SPEC = {
    "id": ((str,), None),
    "type": ((str,), "extract"),
    "pattern": ((str,), _MISSING),
    "flags": ((list,), []),
    "scope": ((str,), "header"),
    "priority": ((int,), 0),
    "value": ((dict,), None),
    "field": ((str,), None),
    "comment": ((str,), None),
}


@dataclass(frozen=True)
class MeetingRule:
    id: str
    type: str
    scope: str
    priority: int
    value: dict
    field: str | None
    regex: re.Pattern = field(compare=False)
    source: dict = field(compare=False, repr=False)


def validate_meeting_rule(obj: Any, where: str = "meeting rule", index: int = 0) -> MeetingRule:
    d = check_keys(obj, _MEETING_SPEC, where)
    label = rule_label(where, d["id"])
    if d["type"] not in ("extract", "strip"):
        raise RuleError(f"{label}: 'type' must be 'extract' or 'strip', got {d['type']!r}")
    if d["scope"] not in ("header", "document"):
        raise RuleError(f"{label}: 'scope' must be 'header' or 'document', got {d['scope']!r}")
    regex = compile_pattern(d["pattern"], d["flags"], label)
    value = d["value"] or {}
    for k, v in value.items():
        if k not in FIELDS or not isinstance(v, str):
            raise RuleError(f"{label}: 'value' maps fields {FIELDS} to strings, got {json.dumps(value)}")
    if d["type"] == "strip":
        if d["field"] not in FIELDS:
            raise RuleError(f"{label}: a strip rule needs 'field', one of {FIELDS}")
    else:
        if d["field"] is not None:
            raise RuleError(f"{label}: 'field' is only for strip rules (extract rules use named groups)")
        if not value and not set(regex.groupindex) & set(FIELDS):
            raise RuleError(f"{label}: an extract rule needs a named group ({', '.join(FIELDS)}) or a 'value'")
    return MeetingRule(
        id=d["id"] or f"meeting_{index}", type=d["type"], scope=d["scope"], priority=d["priority"],
        value=value, field=d["field"], regex=regex, source=dict(obj),
    )


def load_meeting_rules(path: str | Path | None = None) -> list[MeetingRule]:
    return [validate_meeting_rule(obj, where, i) for i, (where, obj) in enumerate(read_jsonl(path or DEFAULT_MEETING_PATTERNS))]


# --------------------------------------------------------------------------------------------
# normalisers
# --------------------------------------------------------------------------------------------

_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?,?", re.I)
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.I)
_HAS_DAY_MONTH_YEAR = re.compile(
    r"\b\d{1,2}\s+[A-Za-z]{3,9}\s+\d{4}\b|\b[A-Za-z]{3,9}\s+\d{1,2}\s+\d{4}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
)
_TIME_12 = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*([ap])\.?\s?m\b\.?", re.I)
_TIME_24 = re.compile(r"\b(\d{1,2})[.:](\d{2})\b")
_SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "at", "to", "a", "an", "with", "by", "upon", "de"}


def parse_date(value: str | None) -> str | None:
    """"Wednesday, 10th April, 2019" / "10 April 2019" / "27/02/2019" -> "2019-04-10"; None if no full date."""
    if not value:
        return None
    s = _ORDINAL.sub(r"\1", _WEEKDAY.sub(" ", value))
    s = re.sub(r"\b(?:the|of)\b", " ", s, flags=re.I).replace(",", " ")
    s = " ".join(s.split())
    if not _HAS_DAY_MONTH_YEAR.search(s):
        return None
    try:
        parsed = date_parser.parse(s, dayfirst=True, fuzzy=True, default=dt.datetime(1900, 1, 1))
    except (ValueError, OverflowError):
        return None
    if parsed.year < 1900:
        return None
    return parsed.date().isoformat()


def parse_time(value: str | None) -> str | None:
    """"10.30 am" -> "10:30", "6.00 pm" -> "18:00", "11am" -> "11:00", "2pm" -> "14:00", "10:30" -> "10:30"."""
    if not value:
        return None
    if re.search(r"\b(?:noon|midday)\b", value, re.I):
        return "12:00"
    m = _TIME_12.search(value)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not (1 <= hour <= 12 and minute < 60):
            return None
        hour = hour % 12 + (12 if m.group(3).lower() == "p" else 0)
        return f"{hour:02d}:{minute:02d}"
    m = _TIME_24.search(value)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    return None


def title_case_capitals(value: str) -> str:
    """Title-case a name printed in capitals; leave mixed-case names as printed."""
    letters = [c for c in value if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return value
    words = []
    for i, word in enumerate(value.split(" ")):
        core = word.strip("'‘’\"(),.;:")
        if len(core) <= 1:
            words.append(word)
        elif i > 0 and word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def _clean_space(value: str) -> str:
    return " ".join(value.replace("\u00a0", " ").split())


def _normalise(fld: str, raw: str, strips: list[MeetingRule]) -> str | None:
    value = raw
    for rule in strips:
        if rule.field == fld:
            value = rule.regex.sub("", value)
    value = _clean_space(value).strip(" ,;:-–—")
    if not value:
        return None
    if fld == "date":
        return parse_date(value)
    if fld == "time":
        return parse_time(value)
    if fld == "venue":
        value = re.sub(r"^the\s+", "", value).rstrip(".")
    return title_case_capitals(value) or None


# --------------------------------------------------------------------------------------------
# extraction
# --------------------------------------------------------------------------------------------


def header_regions(sections: list[dict]) -> list[tuple[int, int]]:
    return [(s["start_char"], s["end_char"]) for s in sections if s.get("parent") is None and s["kind"] == "header"]


def extract_meeting(text: str, sections: list[dict], rules: list[MeetingRule]) -> dict:
    """Meeting metadata from the header sections (and document-scope labels) of one document."""
    headers = header_regions(sections)
    strips = [r for r in rules if r.type == "strip"]
    # per field: (-priority, position, raw text, fixed value?)
    candidates: dict[str, list[tuple[int, int, str, bool]]] = {f: [] for f in FIELDS}
    for rule in rules:
        if rule.type != "extract":
            continue
        regions = headers if rule.scope == "header" else [(0, len(text))]
        for start, end in regions:
            for m in rule.regex.finditer(text, start, end):
                for fld in FIELDS:
                    if fld in rule.value:
                        candidates[fld].append((-rule.priority, m.start(), rule.value[fld], True))
                    elif fld in rule.regex.groupindex and m.group(fld):
                        candidates[fld].append((-rule.priority, m.start(fld), m.group(fld), False))
    result = {}
    for fld in FIELDS:
        value = None
        for _, _, raw, fixed in sorted(candidates[fld], key=lambda c: (c[0], c[1])):
            value = raw if fixed else _normalise(fld, raw, strips)
            if value:
                break
        result[OUTPUT_KEYS[fld]] = value
    return result


def empty_meeting() -> dict:
    return {key: None for key in OUTPUT_KEYS.values()}
