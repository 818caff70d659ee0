"""Split a file's text into documents at the header of a second (third, …) set of minutes.

A header is a cue line (rules in pipeline/patterns/document_starts.json, kind "start") that is heading-like:
at the start of a line, short, not a sentence (kind "reject" rules). A cue with needs_block must have a
council/committee line just above it ("Lancashire County Council" / "Cabinet" / "Minutes of the Meeting held
on …"), which is what separates a new set of minutes from an item titled "Minutes of the Meeting held on 11
October 2013". The document starts at the top of that header block (kind "block" lines above the cue, blank
lines allowed between). The first header in a file never splits: whatever precedes it (a cover page, an
"Appendix A" label) belongs to the first document. A header identical to the previous one is a running
page header, not a new meeting, and does not split either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..rules import DOCUMENT_START_KINDS, DOCUMENT_START_RULES, RuleError, load_rule_file, rule_label

PATTERNS_FILE = DOCUMENT_START_RULES.path
KINDS = DOCUMENT_START_KINDS
MAX_HEADING_CHARS = 300  # a header line with a long venue is ~150 characters; paragraphs are longer
MAX_BLOCK_LINES = 4  # council, committee, an "Appendix A" or "Minutes" label
MAX_BLANK_GAP = 3  # blank lines allowed between header lines


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    regex: re.Pattern
    needs_block: bool = False
    org: bool = False


def validate_rule(record: Any, where: str, index: int = 0) -> Rule:
    """One document-start rule, checked against the schema in pipeline/rules.py and compiled."""
    values = DOCUMENT_START_RULES.check(record, where)
    label = rule_label(where, values["id"])
    regex = DOCUMENT_START_RULES.compile(values["pattern"], (), label)
    return Rule(values["id"], values["kind"], regex, values["needs_block"], values["org"])


def load_rules(path: str | Path = PATTERNS_FILE) -> tuple[Rule, ...]:
    """Read and validate the rules; a bad rule file fails loudly here (RuleError), not as silently missed splits."""
    rules = load_rule_file(DOCUMENT_START_RULES, validate_rule, path)
    if not any(r.kind == "start" for r in rules):
        raise RuleError(f"{path}: no rule of kind 'start'")
    return tuple(rules)


@lru_cache(maxsize=1)
def _default_rules() -> tuple[Rule, ...]:
    return load_rules()


def _header_block(lines: list[str], i: int, blocks: list[Rule]) -> tuple[int, bool]:
    """Walk up from cue line i over header-block lines.

    Returns (first line of the block, has a council/committee line)."""
    first, has_org, taken, gap = i, False, 0, 0
    j = i - 1
    while j >= 0 and taken < MAX_BLOCK_LINES:
        line = lines[j]
        if not line.strip():
            gap += 1
            if gap > MAX_BLANK_GAP:
                break
            j -= 1
            continue
        rule = next((r for r in blocks if len(line) <= MAX_HEADING_CHARS and r.regex.match(line)), None)
        if rule is None:
            break
        first, taken, gap = j, taken + 1, 0
        has_org = has_org or rule.org
        j -= 1
    return first, has_org


def split_documents(text: str, rules: tuple[Rule, ...] | None = None) -> list[tuple[int, int]]:
    """(start, end) character ranges, one per document, tiling the text
    (the first starts at 0, the last ends at len)."""
    rules = rules or _default_rules()
    starts_rules = [r for r in rules if r.kind == "start"]
    blocks = [r for r in rules if r.kind == "block"]
    rejects = [r for r in rules if r.kind == "reject"]
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    cuts: list[int] = []
    previous_key: str | None = None
    for i, line in enumerate(lines):
        if len(line.strip()) > MAX_HEADING_CHARS or not line.strip():
            continue
        cue = next((r for r in starts_rules if r.regex.match(line)), None)
        if cue is None or any(r.regex.search(line) for r in rejects):
            continue
        first, has_org = _header_block(lines, i, blocks)
        if cue.needs_block and not has_org:
            continue  # e.g. an agenda item titled "Minutes of the Meeting held on …"
        key = " ".join(line.split()).casefold()
        if previous_key is None:
            previous_key = key  # the file's first header: its document starts at 0
            continue
        if key == previous_key:
            continue  # the same header again is a running page header
        previous_key = key
        cut = offsets[first]
        if cut > (cuts[-1] if cuts else 0):
            cuts.append(cut)
    bounds = [0, *cuts, len(text)]
    return list(zip(bounds[:-1], bounds[1:]))
