"""Meeting metadata from the header of a set of minutes: council, committee, date, time, venue.

`extract_meeting(text, sections, rules)` returns the dict stored on ``doc._.meeting``::

    {"council": str|None, "committee": str|None,
     "meeting_date": "2019-04-10"|None, "meeting_time": "10:30"|None, "venue": str|None}

Rules are data (``pipeline/patterns/meeting.jsonl``, one JSON object per line):

    {"id": "held_on_date_at_time_in_venue", "pattern": "...(?P<date>...)...(?P<time>...)...(?P<venue>...)",
     "scope": "header", "priority": 60}

The keys are declared in :data:`pipeline.rules.MEETING_RULES` (documented in docs/RULES.md).

- extract rules read fields from the named groups ``council``, ``committee``, ``date``, ``time``,
  ``venue`` of each match, or set fixed values with ``"value": {"venue": "virtual meeting"}``.
  ``scope`` ``"header"`` (default) searches only the top-level ``header`` sections found by the
  section splitter (and short sections just before the first, a council line set apart); with
  ``"lead": true`` also a header-less document's lead (an item page's "Meeting: <date> - <body>");
  ``"document"`` searches the whole text (only for unambiguous shapes such as ``Decision Maker:`` or a
  page's running title). For each field the candidate of the highest ``priority`` wins, then the
  earliest in the text (the latest for ``"pick": "last"``: the sub-body under its parent body's line);
  a candidate that does not normalise (an unparseable date) is skipped.
- strip rules (``"field": "venue"``) delete residue from an extracted value before it is
  normalised (``View directions`` after a web-page venue, `` - Briefing Session`` after a committee).

Normalisation: dates and times are read by :mod:`pipeline.normalise.dates` (``normalise_day``: only
when day, month and year are all printed, so "October 2019" is not a meeting date; ``normalise_time``:
24-hour ``HH:MM``, "6.00 pm" -> "18:00", "11am" -> "11:00", "noon" -> "12:00"); names printed in
capitals are title-cased ("SOUTHBY BOROUGH COUNCIL" -> "Southby Borough Council"); a leading "the " is
dropped from venues.

Choices where the brief was silent (see also the section splitter's docstring):

- council: the header line naming the council; when there is none, a contact e-mail domain listed
  in the rules (``@lancashire.gov.uk`` -> Lancashire County Council). Unknown domains give
  None: the council is never guessed from a domain's spelling.
- committee: a ``<Committee> - <suffix>`` line keeps the committee when the suffix names no body,
  so "Children's Services Scrutiny Committee - Briefing Session" -> "Children's Services Scrutiny
  Committee" (the body that met; the meeting type is not part of its name, and grouping by committee
  across the archive then works).
- venue: when the header says the meeting was virtual ("Teams Virtual Meeting - Teams", "held
  remotely", "via Zoom") the venue is "virtual meeting", so analysts can group remote meetings.
- meeting_date of a decision notice: the date of the decision (not the publication date).

The section splitter calls :func:`extract_meeting` after splitting (the header sections are its input),
so the metadata is part of the `minutes_sections` component, not a component of its own. What the engine
knew before the text was read (``doc._.given``: a manifest, --council, the council's folder) replaces the
header's council, committee and meeting date (:func:`with_given`), so a given date also dates the figures.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...normalise.dates import normalise_day, normalise_time
from ...rules import MEETING_FIELDS, MEETING_RULES, RuleError, load_rule_file, rule_label

DEFAULT_MEETING_PATTERNS = MEETING_RULES.path

FIELDS = MEETING_FIELDS
OUTPUT_KEYS = {
    "council": "council",
    "committee": "committee",
    "date": "meeting_date",
    "time": "meeting_time",
    "venue": "venue",
}


# --------------------------------------------------------------------------------------------
# meeting rules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRule:
    id: str
    type: str
    scope: str
    priority: int
    pick: str
    lead: bool
    value: dict
    field: str | None
    regex: re.Pattern = field(compare=False)
    source: dict = field(compare=False, repr=False)


def validate_meeting_rule(record: Any, where: str = "meeting rule", index: int = 0) -> MeetingRule:
    """Check one meeting rule record and compile it. Raises RuleError naming `where` and the rule id."""
    values = MEETING_RULES.check(record, where)
    label = rule_label(where, values["id"])
    regex = MEETING_RULES.compile(values["pattern"], values["flags"], label)
    fixed = values["value"] or {}
    for key, text in fixed.items():
        if key not in FIELDS or not isinstance(text, str):
            raise RuleError(f"{label}: 'value' maps fields {FIELDS} to strings, got {json.dumps(fixed)}")
    if values["type"] == "strip":
        if values["field"] is None:
            raise RuleError(f"{label}: a strip rule needs 'field', one of {FIELDS}")
    elif not fixed and not set(regex.groupindex) & set(FIELDS):
        raise RuleError(f"{label}: an extract rule needs a named group ({', '.join(FIELDS)}) or a 'value'")
    return MeetingRule(
        id=values["id"] or f"meeting_{index}",
        type=values["type"],
        scope=values["scope"],
        priority=values["priority"],
        pick=values["pick"],
        lead=values["lead"],
        value=fixed,
        field=values["field"],
        regex=regex,
        source=dict(record),
    )


def load_meeting_rules(path: str | Path | None = None) -> list[MeetingRule]:
    """Validated rules of a JSONL file (default: the packaged meeting.jsonl)."""
    return load_rule_file(MEETING_RULES, validate_meeting_rule, path)


# --------------------------------------------------------------------------------------------
# normalisers
# --------------------------------------------------------------------------------------------

_SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "at", "to", "a", "an", "with", "by", "upon", "de"}


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


def _normalise(field_name: str, raw: str, strips: list[MeetingRule]) -> str | None:
    value = raw
    for rule in strips:
        if rule.field == field_name:
            value = rule.regex.sub("", value)
    value = _clean_space(value).strip(" ,;:-–—")
    if not value:
        return None
    if field_name == "date":
        return normalise_day(value)
    if field_name == "time":
        return normalise_time(value)
    if field_name == "venue":
        value = re.sub(r"^the\s+", "", value).rstrip(".")
    return title_case_capitals(value) or None


# --------------------------------------------------------------------------------------------
# extraction
# --------------------------------------------------------------------------------------------


LEADING_LINE_MAX = 400  # a short section before the header ("LONDON BOROUGH OF X" above "MINUTES OF ...")
LEAD_MAX = 800  # how far into a header-less document its lead reaches


def header_regions(sections: list[dict]) -> list[tuple[int, int]]:
    """The top-level header sections, and short sections before the first of them (a council line set apart)."""
    top = [s for s in sections if s.get("parent") is None]
    headers = [(s["start_char"], s["end_char"]) for s in top if s["kind"] == "header"]
    if not headers:
        return []
    leading = [
        (s["start_char"], s["end_char"])
        for s in top
        if s["end_char"] <= headers[0][0] and s["end_char"] - s["start_char"] <= LEADING_LINE_MAX
    ]
    return leading + headers


def lead_region(sections: list[dict]) -> list[tuple[int, int]]:
    """A header-less document's lead: its first section up to the first section inside it ("Agenda item",
    the item's title, "Meeting: 22/01/2014 - Cabinet (Item 47)", then "Recommended -")."""
    top = [s for s in sections if s.get("parent") is None]
    if not top or any(s["kind"] == "header" for s in top):
        return []
    first = min(top, key=lambda s: s["start_char"])
    inner = [s["start_char"] for s in sections if s.get("parent") is not None and s["start_char"] > first["start_char"]]
    end = min([first["end_char"], first["start_char"] + LEAD_MAX, *inner])
    return [(first["start_char"], end)]


def extract_meeting(text: str, sections: list[dict], rules: list[MeetingRule]) -> dict:
    """Meeting metadata from the header sections (and document-scope labels) of one document."""
    headers = header_regions(sections)
    lead = lead_region(sections)
    strips = [r for r in rules if r.type == "strip"]
    # per field: (-priority, order in the text (negated for `pick: last`), raw text, fixed value?)
    candidates: dict[str, list[tuple[int, int, str, bool]]] = {f: [] for f in FIELDS}
    for rule in rules:
        if rule.type != "extract":
            continue
        if rule.scope == "document":
            regions = [(0, len(text))]
        else:
            regions = headers + (lead if rule.lead else [])
        sign = -1 if rule.pick == "last" else 1
        for start, end in regions:
            for m in rule.regex.finditer(text, start, end):
                for field_name in FIELDS:
                    if field_name in rule.value:
                        candidates[field_name].append((-rule.priority, sign * m.start(), rule.value[field_name], True))
                    elif field_name in rule.regex.groupindex and m.group(field_name):
                        position = sign * m.start(field_name)
                        candidates[field_name].append((-rule.priority, position, m.group(field_name), False))
    result = {}
    for field_name in FIELDS:
        value = None
        for _, _, raw, fixed in sorted(candidates[field_name], key=lambda c: (c[0], c[1])):
            value = raw if fixed else _normalise(field_name, raw, strips)
            if value:
                break
        result[OUTPUT_KEYS[field_name]] = value
    return result


def empty_meeting() -> dict:
    return {key: None for key in OUTPUT_KEYS.values()}


def with_given(meeting: dict, given: dict | None) -> dict:
    """The meeting metadata with what was known before the text was read (``doc._.given``: a manifest row,
    --council, the council's folder) in place of what the header says; fields not given keep the header's.
    Only keys of the meeting dict are taken (council, committee, meeting_date are the ones given)."""
    if not given:
        return meeting
    return {**meeting, **{key: value for key, value in given.items() if key in meeting and value}}
