"""Office titles before names become ROLE mentions: the checked re-annotation of the gold (issue 13).

Until issue 13 an office title directly before a name was left unmarked (`County Councillor {{PERSON|Ann
Hale}}`). The guideline now makes it a ROLE joined to the person by HAS_ROLE, and a plural title before
several names one ROLE joined to each of them (annotations/GUIDELINES.md, ROLE). This module rewrites
`.ann` files to that convention:

    python -m pipeline.training.titles annotations/*/*.ann           # show every change, write nothing
    python -m pipeline.training.titles --write annotations/*/*.ann   # apply them

Only an unmarked title from `pipeline/patterns/office_titles.jsonl`, at a word boundary, followed by
spaces and a PERSON mark, is changed; names after a plural title are followed through `,`, `and`, `&`
and a bracket after a name (`(Chair)`, `(Lab)`), and the walk stops at anything else. New ids are `t<n>`
for the titles and `pt<n>` for people who had none; the relations go below a comment after the last
`@rel` line. Each rewritten file is parsed by the markup checker before it is written, and a second run
changes nothing. A title preceded by another capitalised word (`Executive Councillor`) is flagged in the
listing for a person to review.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..facts.titles import OfficeTitle, between_names, load_office_titles
from ..paths import REPO
from .markup import BODY_FENCE, INLINE_RE, MarkupError, parse_ann

RELATIONS_COMMENT = "# office titles before names are ROLEs (pipeline/training/titles.py)"
# the walk over names after a plural title, on marked text: a bracket may hold marks ("({{ROLE|Chair}})")
_BETWEEN_NAMES = between_names(r"[^()\n{}]|\{\{[^{}]*\}\}")
_PERSON_MARK = re.compile(r"\{\{PERSON(?:#([A-Za-z0-9_]+))?\|(.*?)\}\}", re.S)


def title_regex(titles: list[OfficeTitle]) -> tuple[re.Pattern, set[str]]:
    """One pattern for every title form (longest first) directly before a PERSON mark, and the plural forms."""
    forms = sorted({form for title in titles for form in title.forms + title.plural_forms}, key=len, reverse=True)
    plurals = {form for title in titles for form in title.plural_forms}
    alternation = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?<![\w.'’-])({alternation})(?![\w])[ \t\u00a0]+(?=\{{\{{PERSON[#|])"), plurals


@dataclass
class Change:
    title_start: int
    title_end: int
    title: str
    people: list[tuple[int, int, str | None, str]]  # mark start, end, id, text
    flagged: bool


def find_changes(body: str, titles: list[OfficeTitle]) -> list[Change]:
    """The unmarked titles before PERSON marks in an .ann body, each with the people it governs."""
    pattern, plurals = title_regex(titles)
    marks = [(m.start(), m.end()) for m in INLINE_RE.finditer(body)]
    changes = []
    for match in pattern.finditer(body):
        start = match.start(1)
        if any(a <= start < b for a, b in marks):
            continue  # inside a mark already (a ROLE or an ORG)
        first = _PERSON_MARK.match(body, match.end())
        people = [(first.start(), first.end(), first.group(1), first.group(2))]
        if match.group(1) in plurals:
            pos = first.end()
            while True:
                sep = _BETWEEN_NAMES.match(body, pos)
                nxt = _PERSON_MARK.match(body, sep.end()) if sep else None
                if not nxt:
                    break
                people.append((nxt.start(), nxt.end(), nxt.group(1), nxt.group(2)))
                pos = nxt.end()
        before = body[max(0, start - 40) : start].rstrip(" \t\u00a0")
        previous_word = re.search(r"([A-Z][\w'-]*)$", before)
        flagged = bool(previous_word) and previous_word.group(1) not in ("The", "THE") and not before.endswith("}}")
        changes.append(Change(start, match.end(1), match.group(1), people, flagged))
    return changes


def _ids_in(text: str) -> set[str]:
    return {m.group(2) for m in INLINE_RE.finditer(text) if m.group(2)}


def _fresh(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    taken.add(f"{prefix}{n}")
    return f"{prefix}{n}"


def rewrite(source: str, titles: list[OfficeTitle]) -> tuple[str, list[Change], list[str]]:
    """The file with every title marked and joined; the changes and the relation lines added."""
    lines = source.split("\n")
    fences = [i for i, line in enumerate(lines) if line.strip() == BODY_FENCE]
    if len(fences) < 2:
        raise MarkupError("expected a body between two @@@ lines")
    head, trailer = lines[: fences[0] + 1], lines[fences[1] :]
    body = "\n".join(lines[fences[0] + 1 : fences[1]])
    changes = find_changes(body, titles)
    if not changes:
        return source, [], []
    taken = _ids_in(body)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in body offsets
    relations = []
    for change in changes:
        role_id = _fresh("t", taken)
        edits.append((change.title_start, change.title_end, f"{{{{ROLE#{role_id}|{change.title}}}}}"))
        for start, end, person_id, text in change.people:
            if person_id is None:
                person_id = _fresh("pt", taken)
                edits.append((start, end, f"{{{{PERSON#{person_id}|{text}}}}}"))
            relations.append(f"@rel {person_id} HAS_ROLE {role_id}")
    for start, end, replacement in sorted(edits, reverse=True):
        body = body[:start] + replacement + body[end:]
    last_rel = max((i for i, line in enumerate(trailer) if line.startswith("@rel ")), default=0)
    trailer = trailer[: last_rel + 1] + [RELATIONS_COMMENT, *relations] + trailer[last_rel + 1 :]
    return "\n".join(head + [body] + trailer), changes, relations


def _line_of(body_offset_source: str, offset: int) -> int:
    return body_offset_source.count("\n", 0, offset) + 1


def main(argv: list[str] | None = None) -> int:
    """List (or with --write apply) the changes; exit 1 if a rewritten file would not parse."""
    argv = sys.argv[1:] if argv is None else argv
    write = "--write" in argv
    titles = load_office_titles()
    failed, total_titles, total_people, flagged = 0, 0, 0, 0
    for arg in (a for a in argv if a != "--write"):
        path = Path(arg)
        source = path.read_text(encoding="utf-8")
        new, changes, relations = rewrite(source, titles)
        if not changes:
            continue
        try:
            name = path.resolve().relative_to(REPO / "annotations")
        except ValueError:
            name = path
        try:
            parse_ann(new, str(name), REPO)
        except MarkupError as exc:
            print(f"ERROR {path}: the rewritten file does not parse: {exc}")
            failed += 1
            continue
        body_start = source.index(BODY_FENCE) + len(BODY_FENCE) + 1
        for change in changes:
            names = ", ".join(text for *_, text in change.people)
            mark = "REVIEW " if change.flagged else ""
            line = _line_of(source, body_start + change.title_start)
            context = source[body_start + max(0, change.title_start - 25) : body_start + change.title_start]
            print(
                f"{mark}{path}:{line}: …{context.splitlines()[-1] if context.strip() else ''}[{change.title}] → {names}"
            )
        total_titles += len(changes)
        total_people += len(relations)
        flagged += sum(change.flagged for change in changes)
        if write:
            path.write_text(new, encoding="utf-8")
    verb = "marked" if write else "would mark"
    print(f"{verb} {total_titles} titles joined to {total_people} people ({flagged} flagged REVIEW); {failed} errors")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
