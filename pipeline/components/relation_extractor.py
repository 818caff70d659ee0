"""`minutes_relations`: relations between entity mentions, then attendance per person.

Reads `doc.ents`, `doc._.norms` (a person's role and organisation are shown normalised) and
`doc._.sections` (attendance lists), and the dependency parse when the pipeline has one (the scope of
attendance cues). Writes `doc._.relations` (dicts: label, head [start, end],
tail [start, end], score, evidence) and `doc._.attendance` (dicts: person, status, role, org,
entity [start, end], evidence). Layout rules decide where they fire; a trained pair classifier
decides the other candidate pairs (see `pipeline.facts.relations`).

Lifecycle: with `use_model` the component must be initialised before use: `initialize(records=...)`
trains the classifier from gold records, `initialize()` without records leaves it untrained on purpose
(layout rules only, as in the rules-only pipeline), and `from_disk` / `from_bytes` restore saved weights.
Used before any of these it raises `RelationsNotInitializedError` instead of quietly running rules only.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from .. import _extensions  # noqa: F401  (registers Doc extensions)
from ..facts.attendance import Mention, attendance_rows, gold_attendance_samples
from ..facts.attendance_model import AttendanceClassifier
from ..facts.relations import (
    MAX_PAIR_CHARS,
    Ent,
    PairClassifier,
    candidate_pairs,
    gold_pair_samples,
    hash_features,
    pair_features,
    rule_relation,
)
from ..facts.titles import title_pairs
from ..normalise.names import canonical_person
from ..text import doc_text

WEIGHTS_FILE = "classifier.npz"
RULE_SCORE = 0.99  # the score of a relation a layout rule decided
TITLE_RULE = "title_before_name"


def person_ancestors(doc: Doc) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Per PERSON mention, the character spans of its dependency ancestors, nearest first (the cue scope)."""
    out = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        path, token = [], ent.root
        while token.head.i != token.i and len(path) < 40:
            token = token.head
            if not (ent.start <= token.i < ent.end):
                path.append((token.idx, token.idx + len(token)))
        out[(ent.start_char, ent.end_char)] = path
    return out


class RelationsNotInitializedError(RuntimeError):
    """`minutes_relations` with `use_model` was used before `initialize()` or `from_disk()`."""


NOT_INITIALIZED_MESSAGE = (
    "The 'minutes_relations' component has no pair classifier yet (use_model is true). Call "
    "nlp.initialize() or initialize(records=...) to train it, load a saved pipeline with spacy.load(), "
    "or add the component with config={'use_model': False} for layout rules only."
)


class RelationExtractor:
    """The `minutes_relations` component (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, threshold: float, max_chars: int, use_model: bool):
        self.name = name
        self.threshold = threshold
        self.max_chars = max_chars
        self.use_model = use_model
        self.classifier = PairClassifier()
        self.attendance = AttendanceClassifier()
        self.nlp = nlp
        self.is_initialized = False

    # --- training -------------------------------------------------------------
    def initialize(self, get_examples=None, nlp=None, records: list[dict] | None = None) -> None:
        """Train the pair classifier from gold records (dicts with text, spans, relations).

        Without records the classifier is left untrained on purpose: the component then runs its layout rules only.
        """
        if records:
            self.classifier = PairClassifier()
            self.classifier.fit(gold_pair_samples(records))
            self.attendance = AttendanceClassifier()
            self.attendance.fit(gold_attendance_samples(records, self._sections_of, canonical_person))
        self.is_initialized = True

    def _sections_of(self, text: str) -> list[dict]:
        """Sections of a training text, by the pipeline's own splitter (none when it has no splitter)."""
        if "minutes_sections" not in self.nlp.pipe_names:
            return []
        return self.nlp.get_pipe("minutes_sections").split(text)

    def check_initialized(self) -> None:
        """Raise `RelationsNotInitializedError` when the classifier is wanted but was never initialised or loaded."""
        if self.use_model and not self.is_initialized:
            raise RelationsNotInitializedError(NOT_INITIALIZED_MESSAGE)

    # --- inference ------------------------------------------------------------
    def relations_for(self, text: str, ents: list[Ent]) -> list[dict]:
        """Relation dicts for the entities of `text`: layout rules first, then the classifier, one head per mention."""
        self.check_initialized()
        best: dict[tuple, dict] = {}
        use_classifier = self.use_model and self.classifier.is_trained
        # an office title before names is each name's role ("Councillors A and B"): one title, several heads
        titled = title_pairs(text, ents)
        title_spans = {(title.start, title.end) for _, title in titled}
        for person, title in titled:
            best[(person.start, person.end, title.start, title.end, "HAS_ROLE")] = {
                "label": "HAS_ROLE",
                "head": [person.start, person.end],
                "tail": [title.start, title.end],
                "score": RULE_SCORE,
                "evidence": f"rule:{TITLE_RULE}",
            }
        for head, tail, label, n_between in candidate_pairs(text, ents, self.max_chars):
            if (head.start, head.end) in title_spans or (tail.start, tail.end) in title_spans:
                continue  # a title is joined only to the names it stands before
            rule = rule_relation(text, head, tail, n_between)
            if rule:
                score, evidence = RULE_SCORE, f"rule:{rule}"
            elif use_classifier:
                score = self.classifier.prob(hash_features(pair_features(text, head, tail, n_between)))
                if score < self.threshold:
                    continue
                evidence = "model"
            else:
                continue
            # each role/org mention takes one head per label: the rule's, else the most probable
            if label != "AFFILIATED_WITH":
                key = (tail.start, tail.end, label)
            else:
                key = (head.start, head.end, tail.start, tail.end, label)
            current = best.get(key)
            replaces = current is None or (
                current["evidence"] == "model" and (evidence != "model" or score > current["score"])
            )
            if replaces:
                best[key] = {
                    "label": label,
                    "head": [head.start, head.end],
                    "tail": [tail.start, tail.end],
                    "score": round(float(score), 4),
                    "evidence": evidence,
                }
        # a person's HAS_ROLE from the model is dropped when a rule already gave that person a role
        ruled_heads = {
            tuple(rel["head"])
            for rel in best.values()
            if rel["label"] == "HAS_ROLE" and rel["evidence"] not in ("model", f"rule:{TITLE_RULE}")
        }
        # "Name, Role, Org": the person is affiliated with the organisation their role is in
        role_org = {tuple(rel["head"]): rel for rel in best.values() if rel["label"] == "ROLE_IN_ORG"}
        for rel in list(best.values()):
            link = role_org.get(tuple(rel["tail"])) if rel["label"] == "HAS_ROLE" else None
            key = (*rel["head"], *link["tail"], "AFFILIATED_WITH") if link else None
            if link and key not in best:
                both_ruled = rel["evidence"] != "model" and link["evidence"] != "model"
                best[key] = {
                    "label": "AFFILIATED_WITH",
                    "head": rel["head"],
                    "tail": link["tail"],
                    "score": round(min(rel["score"], link["score"]), 4),
                    "evidence": "rule:chain" if both_ruled else "model",
                }
        kept = (
            rel
            for rel in best.values()
            if not (rel["evidence"] == "model" and rel["label"] == "HAS_ROLE" and tuple(rel["head"]) in ruled_heads)
        )
        return sorted(kept, key=lambda rel: (rel["head"], rel["tail"]))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        ents = [Ent(ent.start_char, ent.end_char, ent.label_, position) for position, ent in enumerate(doc.ents)]
        relations = self.relations_for(text, ents)
        doc._.relations = relations
        norms = {(norm["start_char"], norm["end_char"]): norm.get("norm") for norm in (doc._.norms or [])}

        def shown(span):
            return norms.get(span) or text[span[0] : span[1]]

        by_person: dict[tuple[int, int], dict] = {}
        for rel in relations:
            head, tail = tuple(rel["head"]), tuple(rel["tail"])
            if rel["label"] == "HAS_ROLE" and rel["evidence"] != f"rule:{TITLE_RULE}":
                # the attendance role is the post held (Chair, Director), never the office title alone
                by_person.setdefault(head, {}).setdefault("role", shown(tail))
            elif rel["label"] == "AFFILIATED_WITH":
                by_person.setdefault(head, {}).setdefault("org", shown(tail))
        mentions = [Mention(ent.start_char, ent.end_char, ent.label_, ent.text) for ent in doc.ents]
        ancestors = person_ancestors(doc) if doc.has_annotation("DEP") else None
        members = {tuple(rel["head"]) for rel in relations if rel["evidence"] == f"rule:{TITLE_RULE}"}
        doc._.attendance = attendance_rows(
            text,
            mentions,
            doc._.sections or [],
            by_person,
            canonical_person,
            ancestors,
            members,
            self.attendance if self.use_model else None,
        )
        return doc

    # --- serialisation ----------------------------------------------------------
    def _weights_bytes(self) -> bytes:
        buffer = io.BytesIO()
        arrays = {"w": self.classifier.weights, "b": np.array([self.classifier.bias])}
        arrays["attends_w"], arrays["attends_b"] = (
            self.attendance.attends.weights,
            np.array([self.attendance.attends.bias]),
        )
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    def _load_weights(self, data: bytes) -> None:
        arrays = np.load(io.BytesIO(data), allow_pickle=False)  # never unpickle
        self.classifier = PairClassifier(arrays["w"].astype(np.float32), float(arrays["b"][0]))
        if "attends_w" in arrays:  # pipelines saved before the attendance classifier have only the pair weights
            self.attendance = AttendanceClassifier(
                PairClassifier(arrays["attends_w"].astype(np.float32), float(arrays["attends_b"][0]))
            )
        self.is_initialized = True

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"weights": self._weights_bytes()})

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        self._load_weights(srsly.msgpack_loads(data)["weights"])
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / WEIGHTS_FILE).write_bytes(self._weights_bytes())

    def from_disk(self, path, *, exclude=tuple()):
        path = Path(path) / WEIGHTS_FILE
        if path.exists():
            self._load_weights(path.read_bytes())
        return self


@Language.factory(
    "minutes_relations",
    default_config={"threshold": 0.5, "max_chars": MAX_PAIR_CHARS, "use_model": True},
    requires=["doc.ents", "doc._.norms", "doc._.sections"],
    assigns=["doc._.relations", "doc._.attendance"],
)
def make_relations(nlp: Language, name: str, threshold: float, max_chars: int, use_model: bool) -> RelationExtractor:
    return RelationExtractor(nlp, name, threshold, max_chars, use_model)
