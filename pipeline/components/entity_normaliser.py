"""`minutes_normalise`: normalised forms for every entity and attributes for every METRIC.

Reads `doc.ents`, the dependency parse when the pipeline has one (what a figure in prose measures),
`doc._.meeting` (the meeting date dates relative periods) and `doc._.sections` (a metric's indicator and
period are looked for within its top-level section). A figure the parse links to nothing ("compared with
1,377 at 31 March 2022") measures what the figure before it in its sentence measures. Writes `doc._.norms` (one dict per
entity: start_char, end_char, label, norm) and `doc._.metrics` (one dict per METRIC: value, unit, per,
approximate, indicator and its offsets, period as ISO, the compared figure). Pure functions do the work
(`pipeline.normalise`, `pipeline.facts.metrics`); this component only wires them to the Doc. It has no
rules or weights, so it has nothing to initialise or save.
"""

from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc

from .. import _extensions  # noqa: F401  (registers Doc extensions)
from ..facts.indicators import parse_indicator
from ..facts.metrics import find_comparisons, metric_attributes, own_dates, share_indicators
from ..normalise import dates, names, numbers, orgs, roles
from ..text import cell_bounds, doc_text, sentence_bounds


def meeting_date(doc: Doc) -> dt.date | None:
    """The meeting's date from `doc._.meeting`, the reference for relative dates; None when unknown."""
    meeting = doc._.meeting or {}
    try:
        return dt.date.fromisoformat(meeting.get("meeting_date") or "")
    except ValueError:
        return None


def top_section_bounds(doc: Doc, offset: int) -> tuple[int, int] | None:
    """(start, end) of the top-level section containing `offset`, or None outside every section."""
    for section in doc._.sections or []:
        if section.get("parent") is None and section["start_char"] <= offset < section["end_char"]:
            return section["start_char"], section["end_char"]
    return None


def stated_before(text: str, date_spans: list[tuple[int, int]], position: int) -> dt.date | None:
    """The latest day that a DATE stating its year before `position` reaches (the report's period, not an
    earlier year it is compared with)."""
    ends = [dates.period_bounds(text[s:e]) for s, e in date_spans if e <= position]
    return max((bounds[1] for bounds in ends if bounds), default=None)


def parsed_indicators(doc: Doc, metrics: list) -> dict[tuple[int, int], tuple[int, int]]:
    """What each METRIC measures by the parse; a figure the parse links to nothing takes its sentence's previous one."""
    if not doc.has_annotation("DEP"):
        return {}
    out: dict[tuple[int, int], tuple[int, int]] = {}
    text = doc_text(doc)
    # (sentence start, cell) -> the last indicator found there: a parsed sentence may run over several lines
    previous: dict[tuple[int, tuple[int, int]], tuple[int, int]] = {}
    for ent in metrics:
        sentence = (ent.sent.start, cell_bounds(text, ent.start_char, ent.end_char))
        span = parse_indicator(ent) or previous.get(sentence)
        if span:
            out[(ent.start_char, ent.end_char)] = span
            previous[sentence] = span
    return out


class EntityNormaliser:
    """The `minutes_normalise` component (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, context_chars: int):
        self.name = name
        self.context_chars = context_chars

    def metric_row(
        self, doc: Doc, ent, reference: dt.date | None, date_spans, comparisons, parsed_indicator=None, metric_dates=()
    ) -> tuple[dict, str | None]:
        """The `doc._.metrics` dict for one METRIC entity, and its norm (the value as text, or None)."""
        text, start, end = doc_text(doc), ent.start_char, ent.end_char
        before = text[max(0, start - self.context_chars) : start]
        after = text[end : end + self.context_chars]
        parsed = numbers.parse_metric(ent.text, before, after)
        sentence = sentence_bounds(text, start, end)
        attributes = metric_attributes(
            text,
            (start, end),
            sentence,
            date_spans,
            top_section_bounds(doc, start),
            comparisons,
            parsed_indicator,
            metric_dates,
        )
        # without a meeting date, the latest date stated before the figure places a month without a year
        year_reference = reference or stated_before(text, date_spans, start)
        period = dates.normalise_period(attributes.period_text, year_reference) if attributes.period_text else None
        if period is None and reference is not None:
            period = reference.isoformat()
        row = {
            "start_char": start,
            "end_char": end,
            "value": parsed.value if parsed else None,
            "unit": parsed.unit if parsed else None,
            "per": parsed.per if parsed else None,
            "approximate": parsed.approximate if parsed else None,
            "indicator": attributes.indicator,
            "indicator_start": attributes.indicator_start,
            "indicator_end": attributes.indicator_end,
            "period": period,
            "compare_to": list(attributes.compare_to) if attributes.compare_to else None,
        }
        return row, (f"{parsed.value:g}" if parsed else None)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        reference = meeting_date(doc)
        acronyms = orgs.find_acronym_definitions(text)
        ents = list(doc.ents)
        date_spans = [(ent.start_char, ent.end_char) for ent in ents if ent.label_ == "DATE"]
        metric_spans = [(ent.start_char, ent.end_char) for ent in ents if ent.label_ == "METRIC"]
        comparisons = find_comparisons(text, metric_spans)
        metric_dates = own_dates(text, metric_spans, date_spans)  # once per document: every figure reads them
        parsed = parsed_indicators(doc, [ent for ent in ents if ent.label_ == "METRIC"])
        norms, metrics = [], []
        for ent in ents:
            label = ent.label_
            norm = None
            if label == "PERSON":
                norm = names.canonical_person(ent.text)
            elif label == "ROLE":
                norm = roles.normalise_role(ent.text)
            elif label == "ORG":
                norm = orgs.expand_acronym(ent.text, acronyms) or " ".join(ent.text.split())
            elif label == "DATE":
                norm = dates.normalise_date(ent.text, reference)
            elif label == "METRIC":
                row, norm = self.metric_row(
                    doc,
                    ent,
                    reference,
                    date_spans,
                    comparisons,
                    parsed.get((ent.start_char, ent.end_char)),
                    metric_dates,
                )
                if row["value"] is not None:  # a METRIC mention that states no figure is an entity, not a metrics row
                    metrics.append(row)
            norms.append({"start_char": ent.start_char, "end_char": ent.end_char, "label": label, "norm": norm})
        doc._.norms = norms
        doc._.metrics = share_indicators(text, metrics, comparisons)
        return doc


@Language.factory(
    "minutes_normalise",
    default_config={"context_chars": 60},
    requires=["doc.ents", "doc._.meeting", "doc._.sections"],
    assigns=["doc._.norms", "doc._.metrics"],
)
def make_normalise(nlp: Language, name: str, context_chars: int) -> EntityNormaliser:
    return EntityNormaliser(nlp, name, context_chars)
