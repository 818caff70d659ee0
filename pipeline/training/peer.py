"""The off-the-shelf peer: spaCy's en_core_web_sm NER, as it ships, scored on our gold.

Its OntoNotes labels are mapped onto ours (PERSON, ORG, DATE; PERCENT, CARDINAL, MONEY and QUANTITY as
METRIC); it has no ROLE, and its other labels (GPE, NORP, TIME, ORDINAL, …) are dropped. The row shows what
a user gets without our training, on the same documents as our models.
"""

from __future__ import annotations

from spacy.tokens import Span

from ..base_model import base_pipeline

PEER_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "DATE": "DATE",
    "PERCENT": "METRIC",
    "CARDINAL": "METRIC",
    "MONEY": "METRIC",
    "QUANTITY": "METRIC",
}


class PeerPipeline:
    """Callable like a pipeline for scoring: `pipe(texts)` yields Docs whose ents carry our labels."""

    def __init__(self):
        self.nlp = base_pipeline()

    def pipe(self, texts, batch_size: int = 8):
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            doc.ents = [
                Span(doc, ent.start, ent.end, label=PEER_LABELS[ent.label_])
                for ent in doc.ents
                if ent.label_ in PEER_LABELS
            ]
            yield doc
