"""`minutes_normalise`: normalised forms for every entity and attributes for every METRIC.

Writes `doc._.norms` (one dict per entity: start_char, end_char, label, norm) and `doc._.metrics`
(one dict per METRIC: value, unit, per, approximate, indicator and its offsets, period as ISO, the
compared figure). Pure functions do the work (`pipeline.normalise`, `pipeline.facts.metrics`); this
component only wires them to the Doc. It has no rules or weights, so it has nothing to save.
"""

from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc

from .. import _extensions  # noqa: F401  (registers Doc extensions)
from ..facts.metrics import find_comparisons, metric_attributes
from ..text import sentence_bounds



def _ref_date(doc: Doc) -> dt.date | None:
    meeting = doc._.meeting or {}
    try:
        return dt.date.fromisoformat(meeting.get("meeting_date") or "")
    except ValueError:
        return None


def _section_of(doc: Doc, offset: int) -> tuple[int, int] | None:
    for s in doc._.sections or []:
        if s.get("parent") is None and s["start_char"] <= offset < s["end_char"]:
            return s["start_char"], s["end_char"]
    return None


class Normaliser:
    def __init__(self, nlp: Language, name: str, context_chars: int):
        self.name = name
        self.context_chars = context_chars

    def __call__(self, doc: Doc) -> Doc:
        from ..normalise import dates, names, numbers, orgs, roles

        text = doc.text
        ref = _ref_date(doc)
        acronyms = orgs.find_acronym_definitions(text)
        ents = list(doc.ents)
        date_spans = [(e.start_char, e.end_char) for e in ents if e.label_ == "DATE"]
        metric_spans = [(e.start_char, e.end_char) for e in ents if e.label_ == "METRIC"]
        comparisons = find_comparisons(text, metric_spans)
        norms, metrics = [], []
        for ent in ents:
            label, s, e = ent.label_, ent.start_char, ent.end_char
            norm = None
            if label == "PERSON":
                norm = names.canonical_person(ent.text)
            elif label == "ROLE":
                norm = roles.normalise_role(ent.text)
            elif label == "ORG":
                norm = orgs.expand_acronym(ent.text, acronyms) or " ".join(ent.text.split())
            elif label == "DATE":
                norm = dates.normalise_date(ent.text, ref)
            elif label == "METRIC":
                before = text[max(0, s - self.context_chars) : s]
                after = text[e : e + self.context_chars]
                parsed = numbers.parse_metric(ent.text, before, after)
                sent = sentence_bounds(text, s, e)
                attrs = metric_attributes(text, (s, e), sent, date_spans, _section_of(doc, s), comparisons)
                period = dates.normalise_date(attrs.period_text, ref) if attrs.period_text else None
                if period is None and ref is not None:
                    period = ref.isoformat()
                metrics.append({
                    "start_char": s, "end_char": e,
                    "value": parsed.value if parsed else None,
                    "unit": parsed.unit if parsed else None,
                    "per": parsed.per if parsed else None,
                    "approximate": parsed.approximate if parsed else None,
                    "indicator": attrs.indicator, "indicator_start": attrs.indicator_start,
                    "indicator_end": attrs.indicator_end,
                    "period": period,
                    "compare_to": list(attrs.compare_to) if attrs.compare_to else None,
                })
                norm = f"{parsed.value:g}" if parsed else None
            norms.append({"start_char": s, "end_char": e, "label": label, "norm": norm})
        doc._.norms = norms
        doc._.metrics = metrics
        return doc


@Language.factory("minutes_normalise", default_config={"context_chars": 60})
def make_normalise(nlp: Language, name: str, context_chars: int) -> Normaliser:
    return Normaliser(nlp, name, context_chars)
