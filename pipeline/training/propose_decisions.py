"""Suggest `@decision` lines (and flag votes and interests) for an `.ann` file, for a person to review.

    python -m pipeline.training.propose_decisions annotations/written/w409_calderdale_planning-committee.ann

Prints candidate lines to stdout; it never edits a file. The suggestions come from a plain scan of the
document text: the last item number seen, decision cues (`Resolved`, `RESOLVED –`, `Agreed:`,
`Decision:`, "It was agreed that", "The Committee resolved …"), numbered parts `(1)`, `(i)`, `1.`, `a)`
and bullets after a cue, and outcome/carried words. Sentences that mention a vote or an interest are
printed as `#` comments so the reviewer writes the `@vote`/`@tally`/`@interest` lines by hand. Every
suggestion is a guess: the gold is what the reviewer keeps after checking each line against the text
(annotations/GUIDELINES.md, "Decisions, votes and interests"), and only a reviewed file gets
`@meta … decisions=annotated`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .markup import BODY_FENCE, strip_markup

ITEM_LINE = re.compile(
    r"^(?:\|\s*)?(?:\t| )*(?:Item\s+|Minute\s+|Min\.?\s*)?"
    r"(?P<item>\d{1,3}(?:/\d{2,4})?[a-z]?(?:\.\d{1,2})?)(?:\.|\s*\|)?(?:[\t ]+[A-Z\u2018\u201c'\"]|\s*$)"
)
CUE = re.compile(
    r"(?P<label>(?:^|\t)\s*(?:RESOLVED|Resolved|AGREED|Agreed|DECISION|Decision|DECISIONS?|Decided)"
    r"(?:\s*\((?:unanimously|unanimous)\))?\s*(?::|–|—|-|\s(?=that|That|to\b)|$)\s*)"
    r"|(?P<sentence>\b(?:It was (?:\w+ and )?(?:resolved|agreed|RESOLVED|AGREED)|"
    r"The (?:Committee|Board|Panel|Cabinet|Commission|Forum|Group|Sub-Committee|Council|Partnership) "
    r"(?:unanimously )?(?:resolved|agreed|RESOLVED|AGREED)|The following actions were agreed)\b)"
)
MINUTES_APPROVED = re.compile(r"^The minutes[^.\n]*\b(?:were|was) (?:agreed|approved|confirmed|signed)[^\n]*")
PART = re.compile(r"^\s*(?:\((?P<a>[0-9]{1,2}|[ivx]{1,5}|[a-h])\)|(?P<b>[0-9]{1,2}|[ivx]{1,5}|[a-h])[.)])\s+")
BULLET = re.compile(r"^\s*[·•\-–]\s+")
OUTCOMES = (
    ("refused", r"\b(?:refused|rejected|not (?:be )?supported)\b"),
    ("deferred", r"\b(?:deferred|postponed|adjourned)\b"),
    ("amended", r"\b(?:as amended|subject to the amendments?)\b"),
    ("approved", r"\b(?:approved|agreed|endorsed|supported|confirmed|adopted|granted|signed)\b"),
    ("noted", r"\b(?:noted)\b"),
)
UNANIMOUS = re.compile(r"\b(?:unanimous(?:ly)?|nem\.? con\.?|without dissent)\b", re.I)
BY_VOTE = re.compile(r"\b(?:votes? to|put to the vote|recorded vote|\d+ for\b|votes? (?:for|against))", re.I)
VOTE_OR_INTEREST = re.compile(
    r"\b(?:interests?|vote[ds]?|voting|abstain\w*|abstention\w*|dispensation|For:|Against:|motion|amendment)\b", re.I
)


def quote(text: str) -> str:
    """A value for `text="..."`: line breaks and tabs escaped, double quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def outcome_of(text: str) -> str | None:
    """The strongest outcome word in a decision's text (GUIDELINES: refused > deferred > amended > approved > noted)."""
    for outcome, pattern in OUTCOMES:
        if re.search(pattern, text, re.I):
            return outcome
    return None


def block_after(lines: list[str], start: int) -> list[int]:
    """Indices of the lines of a decision block: to a blank line after a full stop, or a new item/cue."""
    out: list[int] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            previous = lines[out[-1]].rstrip() if out else ""
            following = next((lines[k] for k in range(i + 1, min(i + 4, len(lines))) if lines[k].strip()), "")
            listed = PART.match(following) or BULLET.match(following)
            if previous.endswith((".", "!", "?")) and not listed:
                break
            if out and (PART.match(lines[out[-1]]) or BULLET.match(lines[out[-1]])) and not listed:
                break
            if not following or CUE.match(following) or following.startswith("<"):
                break
            if ITEM_LINE.match(following) and not listed:
                break
            i += 1
            continue
        if out and ((ITEM_LINE.match(line) and not PART.match(line)) or line.startswith("<") or CUE.match(line)):
            break
        out.append(i)
        i += 1
    return out


def propose(text: str) -> list[str]:
    """Candidate directive lines (and `#` notes) for one document's plain text."""
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    found: list[tuple[str | None, str | None, int, int, str]] = []  # item, part, start, end, carried source
    notes: list[str] = []
    item: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if match := ITEM_LINE.match(line):
            item = match.group("item")
        if VOTE_OR_INTEREST.search(line):
            notes.append(f"# line {i + 1} (item {item}): {line.strip()[:150]}")
        if minutes := MINUTES_APPROVED.match(line.strip()):
            start = offsets[i] + line.index(minutes.group(0))
            found.append((item, None, start, start + len(minutes.group(0).rstrip()), minutes.group(0)))
            i += 1
            continue
        cue = CUE.search(line)
        if not cue or (cue.group("label") is None and cue.start() > 0 and not line[: cue.start()].strip() == ""):
            if cue and cue.group("sentence"):
                sentence_start = max(line.rfind(". ", 0, cue.start()) + 2, 0) if ". " in line[: cue.start()] else 0
                block = block_after(lines, i)
                chunk = "\n".join(lines[k] for k in block)
                begin = offsets[i] + sentence_start
                found.append((item, None, begin, offsets[block[0]] + len(chunk.rstrip()), chunk))
                i = block[-1] + 1
                continue
            i += 1
            continue
        block = block_after(lines, i)
        first_text_at = cue.end() if cue.group("label") else cue.start()
        head = lines[i][first_text_at:]
        parts_at = [k for k in block[1:] if PART.match(lines[k]) or BULLET.match(lines[k])]
        if head.strip() and head.strip().rstrip(":;").strip().lower() not in ("that", "that the committee", ""):
            if not parts_at or not head.rstrip().endswith((":", ";")):
                last = parts_at[0] - 1 if parts_at else block[-1]
                last = max(k for k in block if k <= last)
                chunk = text[offsets[i] + first_text_at : offsets[last] + len(lines[last].rstrip())]
                lead = len(chunk) - len(chunk.lstrip())
                found.append(
                    (item, None, offsets[i] + first_text_at + lead, offsets[last] + len(lines[last].rstrip()), chunk)
                )
        elif not parts_at and len(block) > 1:
            nxt = block[1]
            found.append((item, None, offsets[nxt], offsets[block[-1]] + len(lines[block[-1]].rstrip()), ""))
        for n, k in enumerate(parts_at):
            label = PART.match(lines[k])
            glyph = label or BULLET.match(lines[k])
            end_line = (parts_at[n + 1] - 1) if n + 1 < len(parts_at) else block[-1]
            end_line = max(j for j in block if j <= end_line)
            start = offsets[k] + glyph.end()
            found.append(
                (
                    item,
                    (label.group("a") or label.group("b")) if label else None,
                    start,
                    offsets[end_line] + len(lines[end_line].rstrip()),
                    lines[i],
                )
            )
        i = block[-1] + 1 if block else i + 1
    out = []
    for item_no, part, start, end, context in found:
        decision = text[start:end].strip()
        if not decision:
            continue
        start = text.index(decision, start)
        hits = [m.start() for m in re.finditer(re.escape(decision), text)]
        fields = [f"item={item_no}"] if item_no else []
        if part:
            fields.append(f"part={part}")
        fields.append(f"text={quote(decision)}")
        if len(hits) > 1:
            fields.append(f"nth={hits.index(start) + 1}")
        if outcome := outcome_of(decision):
            fields.append(f"outcome={outcome}")
        around = context + " " + decision
        if UNANIMOUS.search(around):
            fields.append("carried=unanimous")
        elif BY_VOTE.search(around):
            fields.append("carried=vote")
        out.append("@decision " + " ".join(fields))
    return out + notes


def body_text(path: Path) -> str:
    """The plain document text of an `.ann` file (marks removed)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = lines.index(BODY_FENCE)
    last = len(lines) - 1 - lines[::-1].index(BODY_FENCE)
    return strip_markup("\n".join(lines[first + 1 : last]), str(path))[0]


def main(argv: list[str] | None = None) -> int:
    """Print suggestions for each file named."""
    for arg in sys.argv[1:] if argv is None else argv:
        print(f"# --- {arg}: suggestions to review, not gold")
        for line in propose(body_text(Path(arg))):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
