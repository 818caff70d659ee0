r"""`minutes_sections`: rule-based section splitter and meeting-metadata extractor for committee minutes.

Usage::

    nlp = spacy.blank("en")
    nlp.add_pipe("minutes_sections")
    nlp.initialize()                 # loads pipeline/patterns/sections.jsonl and meeting.jsonl
    doc = nlp(text)
    doc._.sections, doc._.meeting, doc.spans["sections"]

Output
------
``doc._.sections`` -- plain JSON-serialisable dicts in document order (parents before children; the
list position equals ``index``)::

    {"index": 3, "kind": "item", "start_char": 812, "end_char": 1402,
     "item_number": "2", "title": "Disclosure of Pecuniary and Non-Pecuniary Interests", "parent": None}

The character offsets are the source of truth. ``doc.spans["sections"]`` (key set by ``spans_key``)
holds the same sections as spaCy Spans labelled with the kind, aligned to tokens with
``alignment_mode="expand"`` (a section whose offsets cover no token has no Span).
``doc._.meeting`` -- ``{"council", "committee", "meeting_date", "meeting_time", "venue"}``, None where
unknown; see :mod:`pipeline.components.meeting`.

Kinds
-----
Top-level sections (``parent`` None) tile the text: they cover ``[0, len(text))`` with no gap or overlap,
trailing whitespace included.

- ``header``: council, committee, "Minutes of the Meeting held on ...", page title, ``Venue:`` /
  ``Contact:`` lines. A header interrupted by a boilerplate block (web page) continues as a second
  ``header`` section after it; metadata is read from all of them.
- ``attendance``: ``Present:`` / ``Members Present`` / ``Attendance Details`` / ``PRESENT:`` ... up to the
  first item; ``ALSO PRESENT:``, ``In attendance:``, ``OFFICERS IN ATTENDANCE:`` join the block already
  open. Also an unlabelled block before the items whose text is about attendance (substitutions
  "A replaced B", "X attended on behalf of Y").
- ``apologies``: a standalone ``Apologies:`` block before the items (briefing notes), or an unlabelled
  "Apologies were received from ..." block before the items.
- ``item``: every agenda item; ``item_number`` as printed without its trailing dot ("1", "45/19",
  "CAB 23/21") or None for unnumbered headings; ``title`` the heading text, trimmed, link residue removed.
- ``glossary``: an acronym glossary after a ``Glossary:`` heading.
- ``boilerplate``: webcast/public-access notice, ``Items`` / ``No. Item`` and table-header residue,
  stray page numbers at the end.
- ``other``: any remaining unlabelled text (e.g. "Appendix A" above a header).

Nested sections have ``parent`` = the index of the enclosing top-level section (one level of nesting:
a ``resolution`` inside a ``minutes`` section still has the item as parent, and nested sections of one
parent may overlap). Their leading and trailing whitespace is trimmed.

- in ``item``: ``resolution`` (``Resolved:``, ``Resolved -``, ``RESOLVED –``, ``Agreed:``, ``Decision:``,
  ``It was agreed that:``, "The following actions were agreed ...:") up to the next resolution,
  sub-heading, action, field, recommendation or boilerplate, else the item end; ``minutes`` (web
  pages: from ``Minutes:`` to the item end); ``recommendation`` (item pages: ``Recommended -``);
  ``action`` (``Action: <role>``); ``field`` (decision notices: one per label, title = the label);
  ``subheading`` (plain-line sub-headings inside an item, e.g. "Care Leavers Christmas Gifts" under
  "Any Other Business"; same conservative test as briefing-note headings below); ``boilerplate``
  (``... view the full minutes text for item 4.``, ``Additional documents:``, ``Media``, page numbers,
  repeated running headers); ``glossary`` (three or more unheaded ``ACRONYM – Expansion`` lines).
- in ``attendance``: ``attendance_group`` per sub-heading (``Members``, ``Committee Members:``,
  ``Co-opted members``, ``Officers``, ``Other Attendees``, ``Also present:`` ...), title = the sub-heading
  without its colon, up to the next sub-heading; ``boilerplate`` page numbers.
- in ``header``: ``boilerplate`` (``Media``).  In ``glossary`` / ``apologies`` / ``other``: page numbers.

Why nest these: resolutions and minutes let the relation step and analysts separate what was decided
from what was discussed; attendance groups give the attendance table its status (member, co-optee,
officer); sub-headings are topic context for metrics (which indicator a figure belongs to); field and
boilerplate sections let later steps skip labels and link residue.

Layouts and choices
-------------------
- ModernGov ``<AIn>`` markers: the item is the whole ``<AIn>`` ... ``</AIn>`` block. An ``<AIn>`` block
  with no number (seed 000's substitution sentence before item 1) is not an agenda item: it starts an
  ``other`` section that the classify rules turn into ``attendance`` when it reports substitutions or
  attendance (so the attendance step finds substitutes where it looks for attendance), ``apologies``
  for apologies, and leaves ``other`` otherwise. Seed 003 has the same sentence, unmarked, before
  item 1 and gets the same kind.
- One item layout per document: the item rules carry a ``layout``; the layout of the highest-priority
  item rule that matches wins (``ai_markers`` > ``pipe_table`` / ``item_page`` / ``decision_notice`` >
  ``plain``), so e.g. the numbered resolution lists inside ``<AIn>`` minutes are never read as items.
  ``plain`` covers printed minutes (``1.``, ``45/19``, ``Minute 12``, ``CAB 23/21``), the web page (number
  alone on a line, title on the next), AKS (``3<TAB>Title``) and unnumbered capitalised headings.
  Numbered ``plain`` items must have increasing numbers: the longest increasing run is kept, so a
  ``1.`` that restarts inside a resolution list is not an item. Titles ending in ``.``/``:`` are not
  headings.
- Capitalised headings (``APOLOGIES FOR ABSENCE``) count only after the first attendance/item
  start, so a capitalised header block is not read as items.
- Briefing notes (no numbered items at all): plain lines are item headings when conservative: the
  line starts at column 0 with a capital letter, has at most ``max_heading_words`` (12) words, no colon,
  no final punctuation; a blank line before and after it; the previous non-blank line does not end
  with ``:`` (a list follows a colon) nor contain the line (a link caption such as "Child Health
  Profile June 2015" after "See below link to the Child Health Profile June 2015."); and the next
  non-blank line is a sentence: starts with a letter, has at least ``min_body_words`` (6) words and
  ends with ``.``, ``:``, ``?`` or ``!``. Before the first heading, header lines are skipped.
- Item pages: ``Agenda item`` then the title line; item_number None unless printed after "Agenda item".
- Decision notices: one ``item`` (title = the line before ``Decision Maker:``, number None) whose labelled
  fields are nested ``field`` sections; ``Decision:`` is a nested ``resolution``.
- A file holding several documents is split before this component (ingest).

Rule schema (``pipeline/patterns/sections.jsonl``, one JSON object per line)
----------------------------------------------------------------------------
``{"id": "item_ai_marker", "kind": "item", "pattern": "^...(?P<number>...)...(?P<title>...)",
"layout": "ai_markers", "priority": 100}``

=================  ===========  ==============================================================
key                default      meaning
=================  ===========  ==============================================================
``pattern``        (required)   Python regex; ``MULTILINE`` is always on. Named groups
                                ``number`` and ``title`` give item_number / title.
``kind``           (required*)  section kind (lowercase identifier); not for ``title_strip``.
``type``           ``section``  ``section`` (top level), ``nested``, ``classify`` (re-kinds an
                                ``other`` section whose text matches), ``title_strip`` (regex
                                removed from titles).
``id``             kind_<n>     unique name, used in errors and ``parent_rules``.
``flags``          ``[]``       ``IGNORECASE``, ``DOTALL``, ``VERBOSE``, ``ASCII``.
``priority``       0            on overlapping matches the higher wins; picks the layout; for
                                classify rules the first matching by priority wins.
``extent``         until_next   ``until_next``: the section runs to the next start;
                                ``match``: the section is the match (blocks; top-level blocks
                                also take the blank lines after them, and text after them up to
                                the next start becomes ``other``).
``scope``          ``any``      section rules: ``preamble`` (before the first attendance /
                                apologies / item start), ``before_items`` (before the first
                                item), ``body`` (after the first attendance/apologies/item start).
``layout``         null         item layout name (see above); rules of other layouts are off.
``sequential``     false        item numbers of these rules must increase through the document.
``merge``          false        a match does not start a new section when the open top-level
                                section already has this kind.
``start_group``    null         the section starts at this named group instead of the match.
``title``          null         fixed title when the pattern has no ``title`` group.
``parents``        ``["item"]`` nested: kinds of top-level sections it applies in.
``parent_rules``   ``[]``       nested: only in sections started by these rule ids.
``until``          ``[kind]``   nested: the section ends at the next nested start of these kinds
                                (else at the parent's end).
``comment``        null         free text.
=================  ===========  ==============================================================

Rule authors: write ``[^\S\n]`` for "space on this line" (it includes tabs and NBSP), start
line-anchored patterns with ``^[^\S\n]*+`` (possessive: no backtracking on long blank lines), and
bound line-shaped patterns that scan a line twice (``^(?=[^\n]{0,160}$)``).

Rules are validated when added (unknown keys, wrong types, bad values, invalid regexes, missing
named groups): :class:`RuleError` names the file and line (or the ``add_rule`` call) and the rule id.

Lifecycle (medspaCy Sectionizer style): the component is created with no rules; ``initialize()``
loads ``patterns_path`` (argument, else config, else the packaged file) -- with no path it keeps
rules already added and loads the packaged file only when there are none. ``add_rule`` /
``add_rules`` add rules one at a time. Calling the component with no rules raises
:class:`SectionsNotInitializedError`. ``to_disk`` / ``from_disk`` (and bytes) carry the rules, so a
saved pipeline loads with ``spacy.load(path)`` via the ``spacy_factories`` entry point. Meeting rules
are loaded from the packaged ``meeting.jsonl`` (or ``meeting_patterns_path``) at construction.
"""

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from .. import _extensions  # noqa: F401  (registers Doc extensions)
from .meeting import (
    _MISSING,
    PATTERNS_DIR,
    MeetingRule,
    RuleError,
    check_keys,
    compile_pattern,
    empty_meeting,
    extract_meeting,
    load_meeting_rules,
    read_jsonl,
    rule_label,
    validate_meeting_rule,
)

__all__ = [
    "DEFAULT_PATTERNS",
    "RuleError",
    "SectionRule",
    "SectionSplitter",
    "SectionsNotInitializedError",
    "load_rules",
    "make_sections",
    "split_sections",
    "validate_rule",
]

DEFAULT_PATTERNS = PATTERNS_DIR / "sections.jsonl"



class SectionsNotInitializedError(ValueError):
    """The component was called before it had any rules."""


RULE_TYPES = ("section", "nested", "classify", "title_strip")
SCOPES = ("any", "preamble", "before_items", "body")
EXTENTS = ("until_next", "match")
STRUCTURAL_KINDS = ("attendance", "apologies", "item")
_KIND_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_GROUPS = ("number", "title")

_RULE_SPEC: dict[str, tuple] = {
    "id": ((str,), None),
    "kind": ((str,), None),
    "type": ((str,), "section"),
    "pattern": ((str,), _MISSING),
    "flags": ((list,), []),
    "priority": ((int,), 0),
    "scope": ((str,), "any"),
    "extent": ((str,), "until_next"),
    "layout": ((str, type(None)), None),
    "sequential": ((bool,), False),
    "merge": ((bool,), False),
    "start_group": ((str, type(None)), None),
    "title": ((str, type(None)), None),
    "parents": ((list,), None),
    "parent_rules": ((list,), None),
    "until": ((list,), None),
    "comment": ((str,), None),
}
# keys that only make sense for some rule types (value must stay at its default otherwise)
_ONLY_FOR = {
    "scope": ("section",),
    "layout": ("section",),
    "sequential": ("section",),
    "merge": ("section",),
    "start_group": ("section",),
    "extent": ("section", "nested"),
    "title": ("section", "nested"),
    "parents": ("nested",),
    "parent_rules": ("nested",),
    "until": ("nested",),
}


@dataclass(frozen=True)
class SectionRule:
    id: str
    type: str
    kind: str | None
    priority: int
    scope: str
    extent: str
    layout: str | None
    sequential: bool
    merge: bool
    start_group: str | None
    title: str | None
    parents: tuple[str, ...]
    parent_rules: tuple[str, ...]
    until: tuple[str, ...]
    regex: re.Pattern = field(compare=False)
    source: dict = field(compare=False, repr=False)


def validate_rule(obj: Any, where: str = "rule", index: int = 0) -> SectionRule:
    """Check one rule object and compile it. Raises RuleError naming `where` and the rule id."""
    d = check_keys(obj, _RULE_SPEC, where)
    label = rule_label(where, d["id"])
    rtype = d["type"]
    if rtype not in RULE_TYPES:
        raise RuleError(f"{label}: 'type' must be one of {', '.join(RULE_TYPES)}; got {rtype!r}")
    for key, types in _ONLY_FOR.items():
        if key in obj and rtype not in types:
            raise RuleError(f"{label}: key {key!r} does not apply to {rtype!r} rules (only {', '.join(types)})")
    kind = d["kind"]
    if rtype == "title_strip":
        if kind is not None:
            raise RuleError(f"{label}: 'title_strip' rules have no 'kind'")
    elif kind is None:
        raise RuleError(f"{label}: missing required key 'kind'")
    elif not _KIND_RE.match(kind):
        raise RuleError(f"{label}: 'kind' must be a lowercase identifier like 'item' or 'attendance_group', got {kind!r}")
    if d["scope"] not in SCOPES:
        raise RuleError(f"{label}: 'scope' must be one of {', '.join(SCOPES)}; got {d['scope']!r}")
    if d["extent"] not in EXTENTS:
        raise RuleError(f"{label}: 'extent' must be one of {', '.join(EXTENTS)}; got {d['extent']!r}")
    regex = compile_pattern(d["pattern"], d["flags"], label)
    groups = set(regex.groupindex)
    if d["start_group"] is not None and d["start_group"] not in groups:
        raise RuleError(f"{label}: 'start_group' {d['start_group']!r} is not a named group of the pattern")
    unknown_groups = groups - set(_GROUPS) - {d["start_group"]}
    if unknown_groups and rtype in ("section", "nested"):
        raise RuleError(f"{label}: unknown named group(s) {sorted(unknown_groups)}; use 'number' and 'title'")
    if d["sequential"] and ("number" not in groups or kind != "item"):
        raise RuleError(f"{label}: 'sequential' needs an item rule with a named group 'number'")
    for key in ("parents", "parent_rules", "until"):
        if d[key] is not None and any(not v for v in d[key]):
            raise RuleError(f"{label}: {key!r} must hold non-empty strings")
    return SectionRule(
        id=d["id"] or f"{kind or rtype}_{index}",
        type=rtype,
        kind=kind,
        priority=d["priority"],
        scope=d["scope"],
        extent=d["extent"],
        layout=d["layout"],
        sequential=d["sequential"],
        merge=d["merge"],
        start_group=d["start_group"],
        title=d["title"],
        parents=tuple(d["parents"] if d["parents"] is not None else ["item"]),
        parent_rules=tuple(d["parent_rules"] or ()),
        until=tuple(d["until"] if d["until"] is not None else [kind]),
        regex=regex,
        source=dict(obj),
    )


def load_rules(path: str | Path | None = None) -> list[SectionRule]:
    """Validated rules of a JSONL file (default: the packaged sections.jsonl)."""
    rules = [validate_rule(obj, where, i) for i, (where, obj) in enumerate(read_jsonl(path or DEFAULT_PATTERNS))]
    _check_unique(rules)
    return rules


def _check_unique(rules: list[SectionRule]) -> None:
    seen = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)


# --------------------------------------------------------------------------------------------
# the splitter
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SplitSettings:
    plain_headings: bool = True
    subheadings: bool = True
    max_heading_words: int = 12
    min_body_words: int = 6


def _builtin(rule_id: str, kind: str, priority: int, until: tuple[str, ...] = ()) -> SectionRule:
    return SectionRule(
        id=rule_id, type="section" if kind == "item" else "nested", kind=kind, priority=priority,
        scope="any", extent="until_next", layout=None, sequential=False, merge=False, start_group=None,
        title=None, parents=("item",), parent_rules=(), until=until or (kind,), regex=re.compile(""), source={},
    )


# the heading heuristics act as if they were rules (they have no pattern)
PLAIN_HEADING_RULE = _builtin("plain_heading", "item", 5)
SUBHEADING_RULE = _builtin("plain_subheading", "subheading", 10)


@dataclass
class _Cand:
    start: int
    end: int
    rule: SectionRule
    number: str | None = None
    title: str | None = None


@dataclass
class _Top:
    kind: str
    start: int
    end: int
    body_start: int
    rule: SectionRule | None = None
    number: str | None = None
    title: str | None = None
    bounded: bool = False


def _matches(rule: SectionRule, text: str) -> list[_Cand]:
    out = []
    groups = rule.regex.groupindex
    for m in rule.regex.finditer(text):
        start = m.start()
        if rule.start_group and m.group(rule.start_group) is not None:
            start = m.start(rule.start_group)
        number = m.group("number") if "number" in groups else None
        title = m.group("title") if "title" in groups else None
        out.append(_Cand(start, m.end(), rule, number.strip() if number else None, title))
    return out


def _span(c: _Cand) -> tuple[int, int]:
    return c.start, max(c.end, c.start + 1)


def _resolve_overlaps(cands: list[_Cand]) -> list[_Cand]:
    """Keep the higher-priority candidate where matches overlap (then the earlier, then the longer)."""
    accepted: list[_Cand] = []
    starts: list[int] = []
    for c in sorted(cands, key=lambda c: (-c.rule.priority, c.start, -c.end)):
        s, e = _span(c)
        i = bisect.bisect_left(starts, s)
        clash = (i > 0 and _span(accepted[i - 1])[1] > s) or (i < len(accepted) and accepted[i].start < e)
        if not clash:
            accepted.insert(i, c)
            starts.insert(i, s)
    return accepted


def _number_key(number: str) -> tuple[int, str] | None:
    m = re.search(r"\d+", number or "")
    if not m:
        return None
    return int(m.group()), number[m.end():].strip(" ./").lower()


def _negate(suffix: str) -> tuple[int, ...]:
    """Order-reversing key for an item-number suffix ("", "a", "b" ...)."""
    return tuple(-ord(ch) for ch in suffix) + (1,)


def _sequential_filter(cands: list[_Cand]) -> list[_Cand]:
    """Numbered items must increase: keep the longest increasing run of numbers (drop list restarts)."""
    seq = sorted((c for c in cands if c.rule.sequential), key=lambda c: (c.start, -c.rule.priority))
    dedup: list[_Cand] = []
    for c in seq:
        if dedup and dedup[-1].start == c.start:
            continue
        dedup.append(c)
    keys = [_number_key(c.number) for c in dedup]
    # longest strictly increasing run, O(n log n): patience sorting over the reversed sequence (as a
    # decreasing run), so that among runs of equal length the earliest numbers win -- real items
    # before a later "1. 2." restart inside a resolution.
    tails: list[tuple[int, str]] = []  # negated keys, increasing
    tail_index: list[int] = []
    nxt = [-1] * len(dedup)
    for i in range(len(dedup) - 1, -1, -1):
        if keys[i] is None:
            continue
        key = (-keys[i][0], _negate(keys[i][1]))
        pos = bisect.bisect_left(tails, key)
        nxt[i] = tail_index[pos - 1] if pos > 0 else -1
        if pos == len(tails):
            tails.append(key)
            tail_index.append(i)
        else:
            tails[pos] = key
            tail_index[pos] = i
    keep = set()
    i = tail_index[-1] if tail_index else -1
    while i != -1:
        keep.add(id(dedup[i]))
        i = nxt[i]
    return [c for c in cands if not c.rule.sequential or id(c) in keep]


def _choose_layout(cands: list[_Cand]) -> str | None:
    items = [c for c in cands if c.rule.kind == "item" and c.rule.layout is not None]
    if not items:
        return None
    return max(items, key=lambda c: (c.rule.priority, -c.start)).rule.layout


class _Lines:
    """Line offsets of a text, for the heading heuristics."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __len__(self) -> int:
        return len(self.starts)

    def bounds(self, i: int) -> tuple[int, int]:
        s = self.starts[i]
        e = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
        return s, e

    def line(self, i: int) -> str:
        s, e = self.bounds(i)
        return self.text[s:e]

    def index_at(self, pos: int) -> int:
        """Index of the first line starting at or after pos."""
        return bisect.bisect_left(self.starts, pos)

    def blank(self, i: int) -> bool:
        return not (0 <= i < len(self.starts)) or not self.line(i).strip()

    def prev_nonblank_index(self, i: int) -> int | None:
        for j in range(i - 1, -1, -1):
            if self.line(j).strip():
                return j
        return None

    def next_nonblank(self, i: int) -> str | None:
        for j in range(i + 1, len(self.starts)):
            if self.line(j).strip():
                return self.line(j).strip()
        return None


_HEADING_BAD_END = tuple(".,;:!?-–—")
_SENTENCE_END = tuple(".:?!")


def _heading_text_ok(t: str, settings: SplitSettings) -> bool:
    return (
        bool(t)
        and t[0].isupper()
        and len(t) <= 100
        and len(t.split()) <= settings.max_heading_words
        and ":" not in t
        and not t.endswith(_HEADING_BAD_END)
    )


def _sentence_ok(t: str | None, settings: SplitSettings) -> bool:
    if not t or not (t[0].isalpha() or t[0] in "'\"‘“"):
        return False
    return len(t.split()) >= settings.min_body_words and t.rstrip("'\"’”)").endswith(_SENTENCE_END)


def plain_headings(
    text: str, start: int, end: int, settings: SplitSettings, skip_until_first: Iterable[int] = (), lines: _Lines | None = None
) -> list[tuple[int, int, str]]:
    """Plain-line headings (start, end, title) of lines starting in [start, end); see the module docstring.

    Lines starting at an offset in `skip_until_first` (header lines) are passed over until a first
    heading has been accepted.
    """
    lines = lines or _Lines(text)
    skip = set(skip_until_first)
    out: list[tuple[int, int, str]] = []
    for i in range(lines.index_at(start), len(lines)):
        s, e = lines.bounds(i)
        if s >= end:
            break
        raw = text[s:e]
        if not raw or raw[0].isspace():
            continue
        t = raw.strip()
        if not _heading_text_ok(t, settings):
            continue
        if not out and s in skip:
            continue
        if not lines.blank(i - 1) or i + 1 >= len(lines) or not lines.blank(i + 1):
            continue
        j = lines.prev_nonblank_index(i)
        if j is not None:
            prev = lines.line(j).strip()
            if prev.endswith(":") or t.lower() in prev.lower():
                continue  # a list item after "...:" or a link caption announced by the paragraph above
            if lines.blank(j - 1) and lines.blank(j + 1) and _heading_text_ok(prev, settings) and j >= lines.index_at(start):
                continue  # right under another isolated short line: a data line ("Caseloads" / "Average caseload – 17")
        if not _sentence_ok(lines.next_nonblank(i), settings):
            continue
        out.append((s, s + len(raw.rstrip()), t))
    return out


def _block_end(text: str, pos: int) -> int:
    """End of a block match extended over the blank lines after it (up to the next non-blank line's start)."""
    j = pos
    last_nl = None
    while j < len(text) and text[j].isspace():
        if text[j] == "\n":
            last_nl = j
        j += 1
    if j == len(text):
        return j
    return last_nl + 1 if last_nl is not None else pos


def _in_scope(c: _Cand, structural_start: int | None, first_item: int | None) -> bool:
    scope = c.rule.scope
    if scope == "preamble":
        limit = structural_start if structural_start is not None else first_item
        return limit is None or c.start < limit
    if scope == "before_items":
        return first_item is None or c.start < first_item
    if scope == "body":
        return structural_start is not None and c.start >= structural_start
    return True


def _top_candidates(text: str, rules: list[SectionRule], settings: SplitSettings, lines: _Lines) -> list[_Cand]:
    cands = [c for r in rules if r.type == "section" for c in _matches(r, text)]
    layout = _choose_layout(cands)
    cands = [c for c in cands if c.rule.layout is None or c.rule.layout == layout]
    cands = _sequential_filter(cands)
    structural_start = min((c.start for c in cands if c.rule.kind in STRUCTURAL_KINDS and c.rule.scope != "body"), default=None)
    items = [
        c for c in cands
        if c.rule.kind == "item" and (c.rule.scope != "body" or (structural_start is not None and c.start >= structural_start))
    ]
    if not items and settings.plain_headings:
        header_starts = [c.start for c in cands if c.rule.kind == "header"]
        for s, e, t in plain_headings(text, structural_start or 0, len(text), settings, header_starts, lines):
            items.append(_Cand(s, e, PLAIN_HEADING_RULE, None, t))
        cands += items
    first_item = min((c.start for c in items), default=None)
    cands = [c for c in cands if _in_scope(c, structural_start, first_item)]
    return sorted(_resolve_overlaps(cands), key=lambda c: c.start)


def _build_top(text: str, cands: list[_Cand]) -> list[_Top]:
    """Top-level sections tiling the text from the accepted start candidates."""
    tops: list[_Top] = []

    def close_gap(upto: int) -> None:
        """Close the last section at `upto`; text after a block becomes `other` unless blank."""
        last = tops[-1]
        if last.bounded:
            if text[last.end:upto].strip():
                tops.append(_Top("other", last.end, upto, last.end))
            else:
                last.end = upto
        else:
            last.end = upto

    for c in cands:
        if tops and tops[-1].end is not None and c.start < tops[-1].end:
            continue  # inside a block already placed
        if tops and not tops[-1].bounded and c.rule.merge and tops[-1].kind == c.rule.kind:
            continue
        if not tops:
            start = c.start
            if text[:c.start].strip():
                tops.append(_Top("other", 0, c.start, 0))
            else:
                start = 0
        else:
            close_gap(c.start)
            start = c.start
        title = c.title if c.title is not None else c.rule.title
        if c.rule.extent == "match":
            tops.append(_Top(c.rule.kind, start, _block_end(text, c.end), start, c.rule, c.number, title, bounded=True))
        else:
            tops.append(_Top(c.rule.kind, start, None, c.end, c.rule, c.number, title))
    if not tops:
        return [_Top("other", 0, len(text), 0)] if text else []
    close_gap(len(text))
    return tops


def _clean_title(title: str | None, strip_rules: list[SectionRule]) -> str | None:
    if title is None:
        return None
    for rule in strip_rules:
        title = rule.regex.sub("", title)
    title = " ".join(title.replace("\u00a0", " ").split()).strip(" |")
    return title.rstrip(":").rstrip() or None


def _strip_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sections(text: str, rules: list[SectionRule], settings: SplitSettings = SplitSettings()) -> list[dict]:
    """Sections of one document as plain dicts (see the module docstring)."""
    lines = _Lines(text)
    tops = _build_top(text, _top_candidates(text, rules, settings, lines))

    classify = sorted((r for r in rules if r.type == "classify"), key=lambda r: -r.priority)
    for top in tops:
        if top.kind == "other":
            segment = text[top.start:top.end]
            for rule in classify:
                if rule.regex.search(segment):
                    top.kind = rule.kind
                    break

    strip_rules = [r for r in rules if r.type == "title_strip"]
    nested_rules = [r for r in rules if r.type == "nested"]
    nested_all = sorted((c for r in nested_rules for c in _matches(r, text)), key=lambda c: c.start)
    nested_starts = [c.start for c in nested_all]

    entries: list[tuple[tuple, dict, int | None]] = []  # (sort key, section, top position or None)
    for ti, top in enumerate(tops):
        entries.append(((top.start, 0, -top.end), _section(top.kind, top.start, top.end, top.number, _clean_title(top.title, strip_rules)), None))
        rule_id = top.rule.id if top.rule else None
        lo = bisect.bisect_left(nested_starts, top.body_start)
        hi = bisect.bisect_left(nested_starts, top.end)
        cands = [
            c for c in nested_all[lo:hi]
            if c.end <= top.end and top.kind in c.rule.parents and (not c.rule.parent_rules or rule_id in c.rule.parent_rules)
        ]
        if top.kind == "item" and settings.subheadings:
            cands += [_Cand(s, e, SUBHEADING_RULE, None, t) for s, e, t in plain_headings(text, top.body_start, top.end, settings, lines=lines)]
        cands = sorted(_resolve_overlaps(cands), key=lambda c: c.start)
        for i, c in enumerate(cands):
            end = c.end
            if c.rule.extent == "until_next":
                end = next((d.start for d in cands[i + 1:] if d.rule.kind in c.rule.until), top.end)
            start, end = _strip_bounds(text, c.start, end)
            if end <= start:
                continue
            title = c.title if c.title is not None else c.rule.title
            entries.append(((start, 1, -end), _section(c.rule.kind, start, end, c.number, _clean_title(title, strip_rules)), ti))

    entries.sort(key=lambda e: e[0])
    top_index: dict[int, int] = {}
    sections = []
    ti = -1
    for key, section, parent_top in entries:
        section["index"] = len(sections)
        if parent_top is None:
            ti += 1
            top_index[ti] = section["index"]
        else:
            section["parent"] = top_index[parent_top]
        sections.append(section)
    return sections


def _section(kind: str, start: int, end: int, number: str | None, title: str | None) -> dict:
    return {"index": -1, "kind": kind, "start_char": start, "end_char": end, "item_number": number, "title": title, "parent": None}


# --------------------------------------------------------------------------------------------
# the spaCy component
# --------------------------------------------------------------------------------------------

NOT_INITIALIZED = (
    "The 'minutes_sections' component has no section rules yet. Call nlp.initialize() (loads "
    "pipeline/patterns/sections.jsonl or the 'patterns_path' you give), or add rules with "
    "add_rule()/add_rules(), before processing documents."
)


class SectionSplitter:
    """Splits a minutes Doc into sections and reads the meeting metadata; rules are data."""

    def __init__(
        self,
        nlp: Language | None = None,
        name: str = "minutes_sections",
        *,
        patterns_path: Optional[str] = None,
        meeting_patterns_path: Optional[str] = None,
        spans_key: str = "sections",
        plain_headings: bool = True,
        subheadings: bool = True,
        max_heading_words: int = 12,
        min_body_words: int = 6,
    ):
        self.name = name
        self.patterns_path = patterns_path
        self.meeting_patterns_path = meeting_patterns_path
        self.spans_key = spans_key
        self.settings = SplitSettings(plain_headings, subheadings, max_heading_words, min_body_words)
        self._rules: list[SectionRule] = []
        self._meeting_rules: list[MeetingRule] = load_meeting_rules(meeting_patterns_path)

    # ---- rules -------------------------------------------------------------------------------

    @property
    def rules(self) -> list[dict]:
        """The section rules as the dicts they were given as."""
        return [dict(r.source) for r in self._rules]

    @property
    def meeting_rules(self) -> list[dict]:
        return [dict(r.source) for r in self._meeting_rules]

    def add_rule(self, rule: dict) -> None:
        self.add_rules([rule])

    def add_rules(self, rules: Iterable[dict]) -> None:
        """Validate and append rules (all or none are added)."""
        new = list(self._rules)
        for obj in rules:
            where = f"add_rule (rule #{len(new) + 1})"
            new.append(validate_rule(obj, where, len(new)))
        _check_unique(new)
        self._rules = new

    def clear_rules(self) -> None:
        self._rules = []

    def set_meeting_rules(self, rules: Iterable[dict]) -> None:
        self._meeting_rules = [validate_meeting_rule(obj, f"meeting rule #{i + 1}", i) for i, obj in enumerate(rules)]

    def initialize(
        self,
        get_examples=None,
        *,
        nlp: Language | None = None,
        patterns_path: str | Path | None = None,
        meeting_patterns_path: str | Path | None = None,
    ) -> None:
        """Load the rules: `patterns_path` (else the configured one) replaces the rules; with neither,
        the packaged sections.jsonl is loaded when the component has no rules yet."""
        path = patterns_path or self.patterns_path
        if path is not None or not self._rules:
            self._rules = load_rules(path)
        meeting_path = meeting_patterns_path or self.meeting_patterns_path
        if meeting_path is not None:
            self._meeting_rules = load_meeting_rules(meeting_path)

    # ---- processing --------------------------------------------------------------------------

    def split(self, text: str) -> list[dict]:
        if not self._rules:
            raise SectionsNotInitializedError(NOT_INITIALIZED)
        return split_sections(text, self._rules, self.settings)

    def __call__(self, doc: Doc) -> Doc:
        sections = self.split(doc.text)
        doc._.sections = sections
        doc._.meeting = extract_meeting(doc.text, sections, self._meeting_rules) if self._meeting_rules else empty_meeting()
        spans = []
        for s in sections:
            span = doc.char_span(s["start_char"], s["end_char"], label=s["kind"], alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc

    # ---- serialisation -----------------------------------------------------------------------

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        return srsly.msgpack_dumps({"rules": self.rules, "meeting_rules": self.meeting_rules})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "SectionSplitter":
        msg = srsly.msgpack_loads(data)
        rules = [validate_rule(obj, f"serialised rule #{i + 1}", i) for i, obj in enumerate(msg.get("rules", []))]
        _check_unique(rules)
        self._rules = rules
        if msg.get("meeting_rules"):
            self.set_meeting_rules(msg["meeting_rules"])
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "rules.jsonl", self.rules)
        srsly.write_jsonl(path / "meeting_rules.jsonl", self.meeting_rules)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> "SectionSplitter":
        path = Path(path)
        rules_file = path / "rules.jsonl"
        if rules_file.exists():
            self._rules = load_rules(rules_file)
        meeting_file = path / "meeting_rules.jsonl"
        if meeting_file.exists():
            self._meeting_rules = load_meeting_rules(meeting_file)
        return self


@Language.factory(
    "minutes_sections",
    default_config={
        "patterns_path": None,
        "meeting_patterns_path": None,
        "spans_key": "sections",
        "plain_headings": True,
        "subheadings": True,
        "max_heading_words": 12,
        "min_body_words": 6,
    },
    assigns=["doc._.sections", "doc._.meeting"],
)
def make_sections(
    nlp: Language,
    name: str,
    patterns_path: Optional[str],
    meeting_patterns_path: Optional[str],
    spans_key: str,
    plain_headings: bool,
    subheadings: bool,
    max_heading_words: int,
    min_body_words: int,
) -> SectionSplitter:
    return SectionSplitter(
        nlp,
        name,
        patterns_path=patterns_path,
        meeting_patterns_path=meeting_patterns_path,
        spans_key=spans_key,
        plain_headings=plain_headings,
        subheadings=subheadings,
        max_heading_words=max_heading_words,
        min_body_words=min_body_words,
    )
