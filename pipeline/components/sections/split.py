r"""The splitting algorithm of `minutes_sections`: text and rules in, section dicts out (no spaCy).

:func:`split_sections` finds the start candidates of every section rule, keeps one item layout, drops
item numbers that restart, resolves overlaps by priority, tiles the text with top-level sections, gives
unlabelled ones a kind with the classify rules, and finds the nested sections inside each top-level
one. The output is described in :mod:`pipeline.components.sections`; the rule keys in docs/RULES.md.

Layouts and choices
-------------------
- ModernGov ``<AIn>`` markers: the item is the whole ``<AIn>`` ... ``</AIn>`` block. An ``<AIn>`` block
  with no number (a substitution sentence before item 1) is not an agenda item: it starts an
  ``other`` section that the classify rules turn into ``attendance`` when it reports substitutions or
  attendance (so the attendance step finds substitutes where it looks for attendance), ``apologies``
  for apologies, and leaves ``other`` otherwise. The same sentence, unmarked, before item 1 gets the
  same kind.
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
- Item pages: ``Agenda item`` then the title line; item_number None unless printed after "Agenda item".
- Decision notices: one ``item`` (title = the line before ``Decision Maker:``, number None) whose labelled
  fields are nested ``field`` sections; ``Decision:`` is a nested ``resolution``.
- A file holding several documents is split before this component (ingest).
- Plain-line headings (briefing notes, sub-headings inside items): :mod:`.headings`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .headings import Lines, SplitSettings, plain_headings
from .rules import STRUCTURAL_KINDS, SectionRule

__all__ = ["SplitSettings", "split_sections"]


def _builtin(rule_id: str, kind: str, priority: int, until: tuple[str, ...] = ()) -> SectionRule:
    return SectionRule(
        id=rule_id,
        type="section" if kind == "item" else "nested",
        kind=kind,
        priority=priority,
        scope="any",
        extent="until_next",
        layout=None,
        sequential=False,
        merge=False,
        start_group=None,
        title=None,
        parents=("item",),
        parent_rules=(),
        until=until or (kind,),
        regex=re.compile(""),
        source={},
    )


# the heading heuristics act as if they were rules (they have no pattern)
PLAIN_HEADING_RULE = _builtin("plain_heading", "item", 5)
SUBHEADING_RULE = _builtin("plain_subheading", "subheading", 10)


@dataclass
class Candidate:
    start: int
    end: int
    rule: SectionRule
    number: str | None = None
    title: str | None = None


@dataclass
class TopSection:
    kind: str
    start: int
    end: int
    body_start: int
    rule: SectionRule | None = None
    number: str | None = None
    title: str | None = None
    bounded: bool = False


def _matches(rule: SectionRule, text: str) -> list[Candidate]:
    out = []
    groups = rule.regex.groupindex
    for m in rule.regex.finditer(text):
        start = m.start()
        if rule.start_group and m.group(rule.start_group) is not None:
            start = m.start(rule.start_group)
        number = m.group("number") if "number" in groups else None
        title = m.group("title") if "title" in groups else None
        out.append(Candidate(start, m.end(), rule, number.strip() if number else None, title))
    return out


def _span(c: Candidate) -> tuple[int, int]:
    return c.start, max(c.end, c.start + 1)


def _resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the higher-priority candidate where matches overlap (then the earlier, then the longer)."""
    accepted: list[Candidate] = []
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
    return int(m.group()), number[m.end() :].strip(" ./").lower()


def _negate(suffix: str) -> tuple[int, ...]:
    """Order-reversing key for an item-number suffix ("", "a", "b" ...)."""
    return tuple(-ord(ch) for ch in suffix) + (1,)


def _sequential_filter(cands: list[Candidate]) -> list[Candidate]:
    """Numbered items must increase: keep the longest increasing run of numbers (drop list restarts)."""
    seq = sorted((c for c in cands if c.rule.sequential), key=lambda c: (c.start, -c.rule.priority))
    dedup: list[Candidate] = []
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


def _choose_layout(cands: list[Candidate]) -> str | None:
    items = [c for c in cands if c.rule.kind == "item" and c.rule.layout is not None]
    if not items:
        return None
    return max(items, key=lambda c: (c.rule.priority, -c.start)).rule.layout


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


def _in_scope(c: Candidate, structural_start: int | None, first_item: int | None) -> bool:
    scope = c.rule.scope
    if scope == "preamble":
        limit = structural_start if structural_start is not None else first_item
        return limit is None or c.start < limit
    if scope == "before_items":
        return first_item is None or c.start < first_item
    if scope == "body":
        return structural_start is not None and c.start >= structural_start
    return True


def _top_candidates(text: str, rules: list[SectionRule], settings: SplitSettings, lines: Lines) -> list[Candidate]:
    cands = [c for r in rules if r.type == "section" for c in _matches(r, text)]
    layout = _choose_layout(cands)
    cands = [c for c in cands if c.rule.layout is None or c.rule.layout == layout]
    cands = _sequential_filter(cands)
    structural_start = min(
        (c.start for c in cands if c.rule.kind in STRUCTURAL_KINDS and c.rule.scope != "body"), default=None
    )
    items = [
        c
        for c in cands
        if c.rule.kind == "item"
        and (c.rule.scope != "body" or (structural_start is not None and c.start >= structural_start))
    ]
    if not items and settings.plain_headings:
        header_starts = [c.start for c in cands if c.rule.kind == "header"]
        for s, e, title in plain_headings(text, structural_start or 0, len(text), settings, header_starts, lines):
            items.append(Candidate(s, e, PLAIN_HEADING_RULE, None, title))
        cands += items
    first_item = min((c.start for c in items), default=None)
    cands = [c for c in cands if _in_scope(c, structural_start, first_item)]
    return sorted(_resolve_overlaps(cands), key=lambda c: c.start)


def _build_top(text: str, cands: list[Candidate]) -> list[TopSection]:
    """Top-level sections tiling the text from the accepted start candidates."""
    tops: list[TopSection] = []

    def close_gap(upto: int) -> None:
        """Close the last section at `upto`; text after a block becomes `other` unless blank."""
        last = tops[-1]
        if last.bounded:
            if text[last.end : upto].strip():
                tops.append(TopSection("other", last.end, upto, last.end))
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
            if text[: c.start].strip():
                tops.append(TopSection("other", 0, c.start, 0))
            else:
                start = 0
        else:
            close_gap(c.start)
            start = c.start
        title = c.title if c.title is not None else c.rule.title
        if c.rule.extent == "match":
            end = _block_end(text, c.end)
            tops.append(TopSection(c.rule.kind, start, end, start, c.rule, c.number, title, bounded=True))
        else:
            tops.append(TopSection(c.rule.kind, start, None, c.end, c.rule, c.number, title))
    if not tops:
        return [TopSection("other", 0, len(text), 0)] if text else []
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
    lines = Lines(text)
    tops = _build_top(text, _top_candidates(text, rules, settings, lines))
    _number_unnumbered_items(text, tops, [r for r in rules if r.type == "item_number"])

    classify = sorted((r for r in rules if r.type == "classify"), key=lambda r: -r.priority)
    for top in tops:
        if top.kind == "other":
            segment = text[top.start : top.end]
            for rule in classify:
                if rule.regex.search(segment):
                    top.kind = rule.kind
                    break

    strip_rules = [r for r in rules if r.type == "title_strip"]
    nested_rules = [r for r in rules if r.type == "nested"]
    nested_all = sorted((c for r in nested_rules for c in _matches(r, text)), key=lambda c: c.start)
    nested_starts = [c.start for c in nested_all]

    entries: list[tuple[tuple, dict, int | None]] = []  # (sort key, section, top position or None)
    for top_position, top in enumerate(tops):
        top_section = _section(top.kind, top.start, top.end, top.number, _clean_title(top.title, strip_rules))
        entries.append(((top.start, 0, -top.end), top_section, None))
        rule_id = top.rule.id if top.rule else None
        lo = bisect.bisect_left(nested_starts, top.body_start)
        hi = bisect.bisect_left(nested_starts, top.end)
        cands = [
            c
            for c in nested_all[lo:hi]
            if c.end <= top.end
            and top.kind in c.rule.parents
            and (not c.rule.parent_rules or rule_id in c.rule.parent_rules)
        ]
        if top.kind == "item" and settings.subheadings:
            headings = plain_headings(text, top.body_start, top.end, settings, lines=lines)
            cands += [Candidate(s, e, SUBHEADING_RULE, None, title) for s, e, title in headings]
        cands = sorted(_resolve_overlaps(cands), key=lambda c: c.start)
        for i, c in enumerate(cands):
            end = c.end
            if c.rule.extent == "until_next":
                end = next((d.start for d in cands[i + 1 :] if d.rule.kind in c.rule.until), top.end)
            start, end = _strip_bounds(text, c.start, end)
            if end <= start:
                continue
            title = c.title if c.title is not None else c.rule.title
            nested = _section(c.rule.kind, start, end, c.number, _clean_title(title, strip_rules))
            entries.append(((start, 1, -end), nested, top_position))

    entries.sort(key=lambda e: e[0])
    top_index: dict[int, int] = {}
    sections = []
    top_position = -1
    for _key, section, parent_top in entries:
        section["index"] = len(sections)
        if parent_top is None:
            top_position += 1
            top_index[top_position] = section["index"]
        else:
            section["parent"] = top_index[parent_top]
        sections.append(section)
    return sections


ITEM_NUMBER_REACH = 600  # characters after an unnumbered item's heading searched for its number


def _number_unnumbered_items(text: str, tops: list[TopSection], rules: list[SectionRule]) -> None:
    """An item whose heading printed no number takes the one an `item_number` rule finds just after it."""
    for top in tops:
        if top.kind != "item" or top.number:
            continue
        window_end = min(top.end or len(text), top.body_start + ITEM_NUMBER_REACH)
        for rule in rules:
            found = rule.regex.search(text, top.body_start, window_end)
            if found:
                top.number = found.group("number")
                break


def _section(kind: str, start: int, end: int, number: str | None, title: str | None) -> dict:
    return {
        "index": -1,
        "kind": kind,
        "start_char": start,
        "end_char": end,
        "item_number": number,
        "title": title,
        "parent": None,
    }
