"""The `minutes_sections` spaCy component: splits a minutes Doc into sections and reads its meeting metadata.

It sets ``doc._.sections`` (:func:`.split.split_sections`), ``doc._.meeting`` (:func:`.meeting.extract_meeting`,
read from the header sections just found, with ``doc._.given`` in place of what the header says where the
engine was told more, :func:`.meeting.with_given`) and ``doc.spans[spans_key]``. Lifecycle (medspaCy Sectionizer
style): the component is created with no section rules; ``initialize()`` loads ``patterns_path``
(argument, else config, else the packaged file) -- with no path it keeps rules already added and loads
the packaged file only when there are none. ``add_rule`` / ``add_rules`` add rules one at a time.
Calling the component with no rules raises :class:`SectionsNotInitializedError`. ``to_disk`` /
``from_disk`` (and bytes) carry the rules, so a saved pipeline loads with ``spacy.load(path)`` via the
``spacy_factories`` entry point. Meeting rules are loaded from the packaged ``meeting.jsonl`` (or
``meeting_patterns_path``) at construction.
"""

# no `from __future__ import annotations`: spaCy validates initialize()'s arguments from live annotations
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from ... import _extensions  # noqa: F401  (registers doc._.sections and doc._.meeting)
from ...text import doc_text
from .headings import SplitSettings
from .meeting import (
    MeetingRule,
    empty_meeting,
    extract_meeting,
    load_meeting_rules,
    validate_meeting_rule,
    with_given,
)
from .rules import SectionRule, check_unique, load_rules, validate_rule
from .split import split_sections

DEFAULT_SPANS_KEY = "sections"
# the factory's config, declared once: the splitter settings' defaults come from SplitSettings
DEFAULT_CONFIG = {
    "patterns_path": None,
    "meeting_patterns_path": None,
    "spans_key": DEFAULT_SPANS_KEY,
    **asdict(SplitSettings()),
}

NOT_INITIALIZED = (
    "The 'minutes_sections' component has no section rules yet. Call nlp.initialize() (loads "
    "pipeline/patterns/sections.jsonl or the 'patterns_path' you give), or add rules with "
    "add_rule()/add_rules(), before processing documents."
)


class SectionsNotInitializedError(ValueError):
    """The component was called before it had any rules."""


class SectionSplitter:
    """Splits a minutes Doc into sections and reads the meeting metadata; rules are data."""

    def __init__(
        self,
        nlp: Language | None = None,
        name: str = "minutes_sections",
        *,
        patterns_path: str | None = None,
        meeting_patterns_path: str | None = None,
        spans_key: str = DEFAULT_SPANS_KEY,
        settings: SplitSettings | None = None,
    ):
        self.name = name
        self.patterns_path = patterns_path
        self.meeting_patterns_path = meeting_patterns_path
        self.spans_key = spans_key
        self.settings = settings or SplitSettings()
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
        for record in rules:
            new.append(validate_rule(record, f"add_rule (rule #{len(new) + 1})", len(new)))
        check_unique(new, "add_rule")
        self._rules = new

    def clear_rules(self) -> None:
        self._rules = []

    def set_meeting_rules(self, rules: Iterable[dict]) -> None:
        self._meeting_rules = [
            validate_meeting_rule(record, f"meeting rule #{i + 1}", i) for i, record in enumerate(rules)
        ]

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
        sections = self.split(doc_text(doc))
        doc._.sections = sections
        meeting_rules = self._meeting_rules
        meeting = extract_meeting(doc_text(doc), sections, meeting_rules) if meeting_rules else empty_meeting()
        doc._.meeting = with_given(meeting, doc._.given)
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
        rules = [validate_rule(record, f"serialised rule #{i + 1}", i) for i, record in enumerate(msg.get("rules", []))]
        check_unique(rules, "serialised")
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


@Language.factory("minutes_sections", default_config=DEFAULT_CONFIG, assigns=["doc._.sections", "doc._.meeting"])
def make_sections(
    nlp: Language,
    name: str,
    patterns_path: str | None,
    meeting_patterns_path: str | None,
    spans_key: str,
    plain_headings: bool,
    subheadings: bool,
    max_heading_words: int,
    min_body_words: int,
) -> SectionSplitter:
    settings = SplitSettings(plain_headings, subheadings, max_heading_words, min_body_words)
    return SectionSplitter(
        nlp,
        name,
        patterns_path=patterns_path,
        meeting_patterns_path=meeting_patterns_path,
        spans_key=spans_key,
        settings=settings,
    )
