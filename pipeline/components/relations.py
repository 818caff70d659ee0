"""`minutes_relations`: relations between entity mentions, then attendance per person.

Writes `doc._.relations` (dicts: label, head [start, end], tail [start, end], score, evidence) and
`doc._.attendance` (dicts: person, status, role, org, entity [start, end], evidence). Layout rules
decide where they fire; a trained pair classifier decides the other candidate pairs (see
`pipeline.facts.relations`). The classifier's weights are saved by `to_disk` and restored by
`from_disk`; `initialize(records=...)` trains it from gold records.
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
from ..facts.attendance import Mention, attendance_rows
from ..facts.relations import Ent, PairClassifier, candidate_pairs, gold_pair_samples, hash_features, pair_features, rule_relation



class RelationExtractor:
    def __init__(self, nlp: Language, name: str, threshold: float, max_chars: int, use_model: bool):
        self.name = name
        self.threshold = threshold
        self.max_chars = max_chars
        self.use_model = use_model
        self.classifier = PairClassifier()

    # --- training -------------------------------------------------------------
    def initialize(self, get_examples=None, nlp=None, records: list[dict] | None = None) -> None:
        """Train the pair classifier from gold records (dicts with text, spans, relations)."""
        if records:
            self.classifier = PairClassifier()
            self.classifier.fit(gold_pair_samples(records))

    # --- inference ------------------------------------------------------------
    def relations_for(self, text: str, ents: list[Ent]) -> list[dict]:
        best: dict[tuple, dict] = {}
        for head, tail, label, n_between in candidate_pairs(text, ents, self.max_chars):
            rule = rule_relation(text, head, tail, n_between)
            if rule:
                score, evidence = 0.99, f"rule:{rule}"
            elif self.use_model and self.classifier.is_trained:
                score = self.classifier.prob(hash_features(pair_features(text, head, tail, n_between)))
                if score < self.threshold:
                    continue
                evidence = "model"
            else:
                continue
            # each role/org mention takes one head per label: the rule's, else the most probable
            key = (tail.start, tail.end, label) if label != "AFFILIATED_WITH" else (head.start, head.end, tail.start, tail.end, label)
            cur = best.get(key)
            if cur is None or (cur["evidence"] == "model" and (evidence != "model" or score > cur["score"])):
                best[key] = {"label": label, "head": [head.start, head.end], "tail": [tail.start, tail.end],
                             "score": round(float(score), 4), "evidence": evidence}
        # a person's HAS_ROLE from the model is dropped when a rule already gave that person a role
        ruled_heads = {tuple(r["head"]) for r in best.values() if r["label"] == "HAS_ROLE" and r["evidence"] != "model"}
        # "Name, Role, Org": the person is affiliated with the organisation their role is in
        role_org = {tuple(r["head"]): r for r in best.values() if r["label"] == "ROLE_IN_ORG"}
        for r in list(best.values()):
            link = role_org.get(tuple(r["tail"])) if r["label"] == "HAS_ROLE" else None
            key = (*r["head"], *link["tail"], "AFFILIATED_WITH") if link else None
            if link and key not in best:
                best[key] = {"label": "AFFILIATED_WITH", "head": r["head"], "tail": link["tail"],
                             "score": round(min(r["score"], link["score"]), 4),
                             "evidence": "rule:chain" if r["evidence"] != "model" and link["evidence"] != "model" else "model"}
        return sorted(
            (r for r in best.values() if not (r["evidence"] == "model" and r["label"] == "HAS_ROLE" and tuple(r["head"]) in ruled_heads)),
            key=lambda r: (r["head"], r["tail"]),
        )

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        ents = [Ent(e.start_char, e.end_char, e.label_, i) for i, e in enumerate(doc.ents)]
        rels = self.relations_for(text, ents)
        doc._.relations = rels
        norms = {(n["start_char"], n["end_char"]): n.get("norm") for n in (doc._.norms or [])}

        def shown(span):
            return norms.get(span) or text[span[0] : span[1]]

        by_person: dict[tuple[int, int], dict] = {}
        for r in rels:
            head, tail = tuple(r["head"]), tuple(r["tail"])
            if r["label"] == "HAS_ROLE":
                by_person.setdefault(head, {}).setdefault("role", shown(tail))
            elif r["label"] == "AFFILIATED_WITH":
                by_person.setdefault(head, {}).setdefault("org", shown(tail))
        from ..normalise.names import canonical_person

        mentions = [Mention(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
        doc._.attendance = attendance_rows(text, mentions, doc._.sections or [], by_person, canonical_person)
        return doc

    # --- serialisation ----------------------------------------------------------
    def _weights_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(buf, w=self.classifier.w, b=np.array([self.classifier.b]))
        return buf.getvalue()

    def _load_weights(self, data: bytes) -> None:
        arrays = np.load(io.BytesIO(data), allow_pickle=False)  # never unpickle
        self.classifier = PairClassifier(arrays["w"].astype(np.float32), float(arrays["b"][0]))

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps({"weights": self._weights_bytes()})

    def from_bytes(self, data: bytes, *, exclude=tuple()):
        self._load_weights(srsly.msgpack_loads(data)["weights"])
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "classifier.npz").write_bytes(self._weights_bytes())

    def from_disk(self, path, *, exclude=tuple()):
        path = Path(path) / "classifier.npz"
        if path.exists():
            self._load_weights(path.read_bytes())
        return self


@Language.factory(
    "minutes_relations",
    default_config={"threshold": 0.5, "max_chars": 250, "use_model": True},
    requires=["doc.ents"],
)
def make_relations(nlp: Language, name: str, threshold: float, max_chars: int, use_model: bool) -> RelationExtractor:
    return RelationExtractor(nlp, name, threshold, max_chars, use_model)
