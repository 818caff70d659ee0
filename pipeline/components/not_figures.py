"""`minutes_not_figures`: numbers that are never DATE or METRIC, whatever the NER says.

A trained NER tags telephone numbers as DATE ("01632 960123") and file sizes or item numbers as METRIC
now and then; no amount of training data makes that impossible, and one such row in a figures table is
a wrong fact. This component runs right after the NER: the rules in `pipeline/patterns/not_figures.jsonl`
(checked by `pipeline.rules.NOT_FIGURE_RULES`) find telephone numbers, extensions, file sizes, item and
minute numbers, e-mail addresses and postcodes in the text, and every entity of a rule's labels that
overlaps a match is removed from `doc.ents`. Reads and writes `doc.ents`; it has no weights, and the
rules are read when the component is created (a custom file can be passed as `rules_path`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..rules import NOT_FIGURE_RULES, RuleError, load_rule_file, rule_label
from ..text import doc_text

DEFAULT_LABELS = ("DATE", "METRIC")


@dataclass(frozen=True)
class NotFigureRule:
    id: str
    regex: re.Pattern
    labels: frozenset[str]
    example: str


def build_rule(record: dict, where: str, index: int) -> NotFigureRule:
    """A checked rule; RuleError when a key is wrong or the rule does not match its own example."""
    values = NOT_FIGURE_RULES.check(record, where)
    label = rule_label(where, values["id"])
    regex = NOT_FIGURE_RULES.compile(values["pattern"], values["flags"], label)
    labels = values["labels"] if values["labels"] is not None else list(DEFAULT_LABELS)
    if not labels or not all(isinstance(name, str) and name.isupper() for name in labels):
        raise RuleError(f"{label}: key 'labels' must be a non-empty list of entity labels, got {labels!r}")
    if not regex.search(values["example"]):
        raise RuleError(f"{label}: the pattern does not match its own example {values['example']!r}")
    return NotFigureRule(values["id"], regex, frozenset(labels), values["example"])


def load_not_figure_rules(path: str | Path | None = None) -> list[NotFigureRule]:
    return load_rule_file(NOT_FIGURE_RULES, build_rule, path)


def not_figure_spans(text: str, rules: list[NotFigureRule]) -> list[tuple[int, int, frozenset[str], str]]:
    """(start, end, labels it removes, rule id) for every rule match in `text`."""
    return [
        (m.start(), m.end(), rule.labels, rule.id) for rule in rules for m in rule.regex.finditer(text) if m.group()
    ]


def _removes(span: tuple, ent) -> bool:
    start, end, labels, _ = span
    return ent.label_ in labels and ent.start_char < end and start < ent.end_char


class NotFigures:
    """The `minutes_not_figures` component (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, rules_path: str | None):
        self.name = name
        self.rules = load_not_figure_rules(rules_path)

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        spans = not_figure_spans(doc_text(doc), self.rules)
        if not spans:
            return doc
        kept = [
            ent
            for ent in doc.ents
            if not any(
                ent.label_ in labels and ent.start_char < end and start < ent.end_char
                for start, end, labels, _ in spans
            )
        ]
        if len(kept) != len(doc.ents):
            doc.ents = kept
        return doc


@Language.factory(
    "minutes_not_figures",
    default_config={"rules_path": None},
    requires=["doc.ents"],
    assigns=["doc.ents"],
)
def make_not_figures(nlp: Language, name: str, rules_path: str | None) -> NotFigures:
    return NotFigures(nlp, name, rules_path)
