"""Attendance cues and their scope: which cue governs each name in a sentence.

A cue (`pipeline/patterns/attendance_cues.jsonl`, schema `pipeline.rules.ATTENDANCE_CUE_RULES`) says what the
names it covers did at this meeting. Several cues can share a sentence ("All were welcomed … and apologies
were received from A, B and C"), so the governing cue of each name is found, not the first or strongest:

1. **a cue right next to the name** ("A (Chair)", "Apologies: A", "A – B Sub");
2. **the parse** (prose only, not table rows): walking up the dependency heads from the name, the first token
   inside a cue is its governor ("C" → "from" → "received": the apologies cue, not "welcomed" at the root);
3. **the layout and order**, when the parse links the name to no cue (no parser, or a list the parser cannot
   read): the nearest cue on its line (before it, or after it across a clause boundary; not a bracket that
   follows another name), else a cue on an earlier line that introduces the list the name is in.

Names before the cue take its `before` effect, names after it its `after` effect; `defer` passes the name on
to the next candidate (an enclosing cue, then the layout and the classifier in `attendance`). Pure Python: the
parse arrives as, per name, the character spans of its ancestors (computed by the spaCy component).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..rules import ATTENDANCE_CUE_RULES, RuleError, load_rule_file, rule_label

_CLAUSE_BREAK = re.compile(r";|,\s+and\b|,\s+while\b|,\s+whilst\b|\.\s")
_ADJACENT = re.compile(r"[ \t\u00a0,]{0,3}")  # only spaces or a comma between a name and its cue


@dataclass(frozen=True)
class CueRule:
    id: str
    regex: re.Pattern
    before: str
    after: str
    before_alone: str | None
    before_non_members: str | None
    requires: re.Pattern | None
    unless: re.Pattern | None
    priority: int
    line_only: bool
    name_only: bool  # governs only the name right next to it: "A, B and C (Chair)" makes C the chair, not A

    def applies_to(self, sentence: str) -> bool:
        if self.requires is not None and not self.requires.search(sentence):
            return False
        return self.unless is None or not self.unless.search(sentence)


@dataclass(frozen=True)
class CueMatch:
    rule: CueRule
    start: int  # character offsets in the document
    end: int


@dataclass(frozen=True)
class Governed:
    """What one name's governing cue says about it."""

    effect: str  # an attendance status or "none"
    cue: str  # the rule id
    how: str  # "parse" or "order"


def build_cue_rule(record: dict, where: str, index: int) -> CueRule:
    """A checked cue; RuleError when a key is wrong or the cue does not apply to its own example."""
    values = ATTENDANCE_CUE_RULES.check(record, where)
    label = rule_label(where, values["id"])
    regex = ATTENDANCE_CUE_RULES.compile(values["pattern"], (), label)
    extra = {
        key: ATTENDANCE_CUE_RULES.compile(values[key], (), f"{label} '{key}'") if values[key] else None
        for key in ("requires", "unless")
    }
    rule = CueRule(
        values["id"],
        regex,
        values["before"],
        values["after"],
        values["before_alone"],
        values["before_non_members"],
        extra["requires"],
        extra["unless"],
        values["priority"],
        values["scope"] == "line",
        values["scope"] == "name",
    )
    if rule.before == rule.after == "defer":
        raise RuleError(f"{label}: a cue whose 'before' and 'after' are both 'defer' says nothing")
    example = values["example"]
    if not (regex.search(example) and rule.applies_to(example)):
        raise RuleError(f"{label}: the cue does not apply to its own example {example!r}")
    return rule


def load_cue_rules(path: str | Path | None = None) -> list[CueRule]:
    return load_rule_file(ATTENDANCE_CUE_RULES, build_cue_rule, path)


def find_cues(text: str, start: int, end: int, rules: list[CueRule]) -> list[CueMatch]:
    """The cues of the sentence text[start:end], overlaps resolved by priority then length, in text order."""
    sentence = text[start:end]
    found = [
        CueMatch(rule, start + m.start(), start + m.end())
        for rule in rules
        if rule.applies_to(sentence)
        for m in rule.regex.finditer(sentence)
        if m.group().strip()
    ]
    found.sort(key=lambda c: (-c.rule.priority, -(c.end - c.start), c.start))
    kept: list[CueMatch] = []
    for cue in found:
        if all(cue.end <= k.start or k.end <= cue.start for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


# between a cue and the name it takes as object only titles may stand ("on behalf of Detective Chief Inspector A",
# "replaced the Cabinet Member, Councillor B"); "on behalf of Anyshire CCG and C attended ..." has no person object
_OBJECT_GAP = re.compile(r"[\s,]*(?:the\s+)?(?:[A-Z][\w.'’-]*[\s,]+){0,5}")


def _effect(cue: CueMatch, name: tuple[int, int], names: list[tuple[int, int]], members: set, text: str = "") -> str:
    if name[0] >= cue.end:
        return cue.rule.after
    after = [span for span in names if span[0] >= cue.end]
    if text and after:  # a name after the cue counts only when it is the cue's object, not another clause's subject
        first = min(after)
        if not _OBJECT_GAP.fullmatch(text[cue.end : first[0]]):
            after = []
    if not after and cue.rule.before_alone:
        return cue.rule.before_alone
    if cue.rule.before_non_members and not any(span in members for span in [name, *after]):
        return cue.rule.before_non_members
    return cue.rule.before


def govern(
    text: str,
    name: tuple[int, int],
    cues: list[CueMatch],
    names: list[tuple[int, int]],
    ancestors: list[tuple[int, int]] | None = None,
    members: set[tuple[int, int]] = frozenset(),
) -> Governed | None:
    """The effect of the cue that governs `name` (a (start, end) span among `names`), or None when no cue does.

    `ancestors`: the character spans of the name's dependency ancestors, nearest first (None without a parse);
    `members`: the names that carry an elected member's office title ("Councillor A").
    """
    start, end = name
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    cues = [c for c in cues if not c.rule.line_only or (line_start <= c.start and c.end <= line_end)]
    ordered = _by_order(text, start, end, cues, line_start, line_end, names)
    adjacent = [(cue, how) for cue, how in ordered if how == "adjacent"]
    candidates: list[tuple[CueMatch, str]] = list(adjacent)
    cues = [c for c in cues if not c.rule.name_only]  # past the adjacent ones, a name-only cue governs nothing
    ordered = [(cue, how) for cue, how in ordered if not cue.rule.name_only]
    # the parse reads prose: a table row or a tab-separated line is read by its layout alone
    prose = not any(mark in text[line_start:line_end] for mark in ("|", "\t"))
    for token_start, token_end in ancestors or () if prose else ():
        for cue in cues:
            if cue.start <= token_start and token_end <= cue.end and all(cue is not seen for seen, _ in candidates):
                candidates.append((cue, "parse"))
    for cue, how in ordered:
        if all(cue is not seen for seen, _ in candidates):
            candidates.append((cue, how))
    for cue, how in candidates:
        if how == "order" and cue.start >= end and _bracketed_for_another(text, name, cue, names):
            continue  # "A, B and C (as substitute for D)": the bracket speaks of C alone
        effect = _effect(cue, name, names, members, text)
        if effect != "defer":
            if cue.rule.name_only and effect == "chair":
                # "Apologies were received from Councillor A (Chair)": the chair sent apologies
                sent = _apologies_among(text, name, names, members, candidates)
                if sent:
                    return sent
            return Governed(effect, cue.rule.id, how)
    return None


def _apologies_among(text, name, names, members, candidates) -> Governed | None:
    for cue, how in candidates:
        if not cue.rule.name_only and _effect(cue, name, names, members, text) == "apologies":
            return Governed("apologies", cue.rule.id, how)
    return None


def _bracketed_for_another(text: str, name: tuple[int, int], cue: CueMatch, names: list[tuple[int, int]]) -> bool:
    """The cue sits in a bracket that follows another name, nearer to it than `name`."""
    gap = text[name[1] : cue.start]
    return "(" in gap and any(name[1] <= s and e <= cue.start for s, e in names if (s, e) != name)


def _name_after_on_its_line(text: str, cue: CueMatch, names: list[tuple[int, int]]) -> bool:
    line_end = text.find("\n", cue.end)
    line_end = len(text) if line_end == -1 else line_end
    return any(cue.end <= s and e <= line_end for s, e in names)


def _by_order(
    text: str,
    start: int,
    end: int,
    cues: list[CueMatch],
    line_start: int,
    line_end: int,
    names: list[tuple[int, int]] = (),
) -> list[tuple[CueMatch, str]]:
    """Cues by the layout of the sentence, most likely governor first.

    A cue right next to the name ("A (Chair)", "Apologies: A") comes first; then cues on the name's own line,
    the nearest before it (or the nearest after it when a clause boundary separates the one before); then
    cues on earlier lines that introduce what follows ("The following were welcomed:" above a list).
    """
    adjacent = [
        c
        for c in cues
        if (c.start >= end and _ADJACENT.fullmatch(text[end : c.start]))
        or (c.end <= start and _ADJACENT.fullmatch(text[c.end : start]))
    ]
    same_line = [c for c in cues if line_start <= c.start and c.end <= line_end]
    before = sorted((c for c in same_line if c.end <= start), key=lambda c: -c.end)
    after = sorted((c for c in same_line if c.start >= end), key=lambda c: c.start)
    if before and after and _CLAUSE_BREAK.search(text, before[0].end, start) and after[0].rule.before != "defer":
        before, after = after[:1], before + after[1:]  # "…, and C and D replaced E": C's verb is after C
    # a cue on an earlier line governs this one only when it introduces what follows: no name after it on its line
    earlier = sorted(
        (c for c in cues if c.end <= line_start and not _name_after_on_its_line(text, c, names)),
        key=lambda c: -c.end,
    )
    seen: list[tuple[CueMatch, str]] = []
    for cue, how in [*((c, "adjacent") for c in adjacent), *((c, "order") for c in [*before, *after, *earlier])]:
        if all(cue is not other for other, _ in seen):
            seen.append((cue, how))
    return seen
