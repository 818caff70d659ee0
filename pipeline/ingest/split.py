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

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATTERNS_FILE = Path(__file__).resolve().parent.parent / "patterns" / "document_starts.json"
KINDS = ("start", "block", "reject")
MAX_HEADING_CHARS = 300  # a header line with a long venue is ~150 characters; paragraphs are longer
MAX_BLOCK_LINES = 4  # council, committee, an "Appendix A" or "Minutes" label
MAX_BLANK_GAP = 3  # blank lines allowed between header lines


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    regex: re.Pattern
    needs_block: bool = False
    org: bool = False


def load_rules(path: str | Path = PATTERNS_FILE) -> tuple[Rule, ...]:
    """Read and validate the rules; a bad rule file fails loudly here, not as silently missed splits."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read document-start rules ({exc})") from exc
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{path}: expected a non-empty JSON list of {{'name', 'regex'}} objects")
    rules = []
    for i, item in enumerate(raw):
        where = f"{path}: rule {i}"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: expected an object, got {type(item).__name__}")
        for key in ("name", "regex"):
            if not isinstance(item.get(key), str) or not item[key]:
                raise ValueError(f"{where}: missing or empty string {key!r}")
        kind = item.get("kind", "start")
        if kind not in KINDS:
            raise ValueError(f"{where} ({item['name']}): kind must be one of {KINDS}, not {kind!r}")
        for flag in ("needs_block", "org"):
            if not isinstance(item.get(flag, False), bool):
                raise ValueError(f"{where} ({item['name']}): {flag!r} must be true or false")
        try:
            compiled = re.compile(item["regex"])
        except re.error as exc:
            raise ValueError(f"{where} ({item['name']}): regex does not compile: {exc}") from exc
        rules.append(Rule(item["name"], kind, compiled, bool(item.get("needs_block", False)), bool(item.get("org", False))))
    if not any(r.kind == "start" for r in rules):
        raise ValueError(f"{path}: no rule of kind 'start'")
    return tuple(rules)


@lru_cache(maxsize=1)
def _default_rules() -> tuple[Rule, ...]:
    return load_rules()


def _header_block(lines: list[str], i: int, blocks: list[Rule]) -> tuple[int, bool]:
    """Walk up from cue line i over header-block lines. Returns (first line of the block, has a council/committee line)."""
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
    """(start, end) character ranges, one per document, tiling the text (the first starts at 0, the last ends at len)."""
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
