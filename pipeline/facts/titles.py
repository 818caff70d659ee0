"""Office titles before names (`County Councillor Ann Hale`, `Councillors A, B and C`): which person each governs.

The titles are data (`pipeline/patterns/office_titles.jsonl`, schema `pipeline.rules.OFFICE_TITLE_RULES`).
A ROLE mention whose text is a title form and which is followed, across spaces only, by a PERSON is that
person's title; a plural form governs the following names too, through `,`, `and`, `&`, post-nominals
(`JP`), a bracket after a name (`(Chair)`, `(Lab)`) and an honorific before the next name
(`Councillors A, Mrs B JP and C`). The relation step joins each such pair by HAS_ROLE (evidence
`rule:title_before_name`); the gold re-annotation (`pipeline/training/titles.py`) uses the same walk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..rules import OFFICE_TITLE_RULES, RuleError, load_rule_file, rule_label

# after a name: post-nominals (JP, MBE) and a bracket ("(Chair)", "(Lab)"); then ",", "and", "&"; then an
# honorific before the next name. `BRACKET` is the bracket's content as plain text or with marks inside.
POST_NOMINALS = r"(?:[ \t]+[A-Z]{2,4}\b)*"
SEPARATOR = r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|and[ \t]+|&[ \t]*)"
HONORIFIC_WORDS = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Revd|Rev)"
HONORIFIC = rf"(?:{HONORIFIC_WORDS}\.?[ \t]+)?"


def between_names(bracket: str) -> re.Pattern:
    return re.compile(POST_NOMINALS + rf"(?:[ \t]*\((?:{bracket})*\))?" + SEPARATOR + HONORIFIC)


BETWEEN_NAMES = between_names(r"[^()\n]")


@dataclass(frozen=True)
class OfficeTitle:
    id: str
    forms: tuple[str, ...]  # as written before one name
    plural_forms: tuple[str, ...]  # as written before several names


def build_title(record: dict, where: str, index: int) -> OfficeTitle:
    values = OFFICE_TITLE_RULES.check(record, where)
    singular, plural = values["title"], values["plural"]
    forms = [singular] + ([singular.upper()] if values["upper"] else [])
    plurals = ([plural] + ([plural.upper()] if values["upper"] else [])) if plural else []
    if any(not form.strip() or form != form.strip() for form in forms + plurals):
        raise RuleError(f"{rule_label(where, values['id'])}: titles must be non-empty, without outer spaces")
    return OfficeTitle(values["id"], tuple(forms), tuple(plurals))


def load_office_titles(path: str | Path | None = None) -> list[OfficeTitle]:
    return load_rule_file(OFFICE_TITLE_RULES, build_title, path)


@lru_cache(maxsize=1)
def title_forms() -> tuple[frozenset[str], frozenset[str]]:
    """(every title form, the plural forms) of the packaged rule file."""
    titles = load_office_titles()
    every = frozenset(form for title in titles for form in title.forms + title.plural_forms)
    return every, frozenset(form for title in titles for form in title.plural_forms)


def title_pairs(text: str, ents: list) -> list[tuple[object, object]]:
    """(person, title) for every office-title ROLE and each PERSON it governs; `ents` sorted, with
    `start`, `end`, `label` attributes (character offsets into `text`)."""
    forms, plurals = title_forms()
    pairs = []
    for index, title in enumerate(ents):
        if title.label != "ROLE" or text[title.start : title.end] not in forms:
            continue
        if index + 1 >= len(ents):
            continue
        person = ents[index + 1]
        gap = text[title.end : person.start]
        if person.label != "PERSON" or not gap or gap.strip(" \t\u00a0"):
            continue
        pairs.append((person, title))
        if text[title.start : title.end] not in plurals:
            continue
        position = index + 1
        while True:
            following = next((j for j in range(position + 1, len(ents)) if ents[j].label == "PERSON"), None)
            if following is None:
                break
            previous, candidate = ents[position], ents[following]
            between = text[previous.end : candidate.start]
            match = BETWEEN_NAMES.fullmatch(between)
            if not match:
                break
            # entities between the two names may only sit inside the bracket ("(Chair)")
            inside = [ents[j] for j in range(position + 1, following)]
            bracket_start, bracket_end = between.find("("), between.rfind(")")
            if inside and not all(
                previous.end + bracket_start < e.start and e.end <= previous.end + bracket_end for e in inside
            ):
                break
            pairs.append((candidate, title))
            position = following
    return pairs


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    label: str


def titled_persons(text: str, persons: list) -> set[tuple[int, int]]:
    """(start, end) of the PERSON mentions an office title governs, finding the titles in the text itself
    (for callers without ROLE mentions); `persons` have `start`, `end`, `label` attributes."""
    forms, _ = title_forms()
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")\b")
    roles = [_Span(m.start(), m.end(), "ROLE") for m in pattern.finditer(text)]
    people = [p for p in persons if p.label == "PERSON"]
    ents = sorted(
        [*people, *(r for r in roles if not any(p.start < r.end and r.start < p.end for p in people))],
        key=lambda e: (e.start, e.end),
    )
    return {(person.start, person.end) for person, _ in title_pairs(text, ents)}
