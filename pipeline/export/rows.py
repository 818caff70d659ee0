"""Doc -> table rows: the documents, sections, entities, relations, metrics and attendance of one processed Doc.

Every row carries doc_id and exact character offsets into the document text. The Doc attributes read here
are the ones the components assign (see `pipeline._extensions`); the column types are in `schema.py`.
"""

from __future__ import annotations

import bisect
import datetime as dt

from spacy.tokens import Doc

from ..facts.decisions import decision_rows, people_of_doc
from ..text import sentence_bounds
from .schema import make_doc_id


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


class SectionIndex:
    """Find the innermost section containing an offset."""

    def __init__(self, doc_id: str, sections: list[dict]):
        self.ids = [f"{doc_id}:s{section['index']}" for section in sections]
        self.sections = sections
        self.starts = [section["start_char"] for section in sections]

    def find(self, offset: int) -> str | None:
        best = None
        best_len = None
        # sections are few per document; a linear scan from the bisect point keeps it simple and exact
        hi = bisect.bisect_right(self.starts, offset)
        for position in range(hi - 1, -1, -1):
            section = self.sections[position]
            if section["start_char"] <= offset < section["end_char"]:
                length = section["end_char"] - section["start_char"]
                if best_len is None or length < best_len:
                    best, best_len = self.ids[position], length
        return best


GIVEN_FIELDS = ("council", "committee", "meeting_date")  # the values whose source the documents table records


def document_row(src, doc: Doc, pipeline_version: str, model_version: str) -> dict:
    """The documents row. Values come from `doc._.meeting` (the header, with what was given in its place);
    `doc._.given` says which were given and by what (manifest, option, folder), the rest are "text"."""
    meeting = (doc._.meeting if Doc.has_extension("meeting") else None) or {}
    given = (doc._.given if Doc.has_extension("given") else None) or {}
    doc_id = make_doc_id(src.sha256, src.part)
    row = {
        "doc_id": doc_id,
        "source_path": src.source_path,
        "source_url": given.get("source_url"),
        "part": src.part,
        "sha256": src.sha256,
        "format": src.format,
        "encoding": src.encoding,
        "council": meeting.get("council"),
        "committee": meeting.get("committee"),
        "meeting_date": _date(meeting.get("meeting_date")),
        "meeting_time": meeting.get("meeting_time"),
        "venue": meeting.get("venue"),
        "n_chars": len(src.text),
        "n_words": len(src.text.split()),
        "text": src.text,
        "pipeline_version": pipeline_version,
        "model_version": model_version,
    }
    for name in GIVEN_FIELDS:
        row[f"{name}_source"] = (given.get(f"{name}_source") or "text") if row[name] is not None else None
    return row


def doc_rows(src, doc: Doc, pipeline_version: str, model_version: str) -> dict[str, list[dict]]:
    """All per-document rows for one processed Doc."""
    # src.text is what spaCy tokenized (doc.text equals it); doc.text would be rebuilt from the tokens each time
    text = src.text
    doc_id = make_doc_id(src.sha256, src.part)
    sections = (doc._.sections if Doc.has_extension("sections") else None) or []
    index = SectionIndex(doc_id, sections)
    out: dict[str, list[dict]] = {"documents": [document_row(src, doc, pipeline_version, model_version)]}

    out["sections"] = [
        {
            "doc_id": doc_id,
            "section_id": index.ids[position],
            "kind": section["kind"],
            "item_number": section.get("item_number"),
            "title": section.get("title"),
            "start_char": section["start_char"],
            "end_char": section["end_char"],
            "parent_id": index.ids[section["parent"]] if section.get("parent") is not None else None,
        }
        for position, section in enumerate(sections)
    ]

    norms = {}
    if Doc.has_extension("norms") and doc._.norms:
        norms = {(norm["start_char"], norm["end_char"]): norm.get("norm") for norm in doc._.norms}
    scores = {}
    if Doc.has_extension("ent_scores") and doc._.ent_scores:
        scores = {(score["start_char"], score["end_char"]): score["score"] for score in doc._.ent_scores}
    entity_ids: dict[tuple[int, int], str] = {}
    out["entities"] = []
    for position, ent in enumerate(doc.ents):
        key = (ent.start_char, ent.end_char)
        entity_id = f"{doc_id}:e{position}"
        entity_ids[key] = entity_id
        sentence_start, sentence_end = sentence_bounds(text, ent.start_char, ent.end_char)
        out["entities"].append(
            {
                "doc_id": doc_id,
                "entity_id": entity_id,
                "label": ent.label_,
                "text": ent.text,
                "norm": norms.get(key),
                "start_char": ent.start_char,
                "end_char": ent.end_char,
                "section_id": index.find(ent.start_char),
                "sentence": text[sentence_start:sentence_end],
                "score": scores.get(key),
            }
        )

    out["relations"] = []
    for position, rel in enumerate((doc._.relations if Doc.has_extension("relations") else None) or []):
        head, tail = tuple(rel["head"]), tuple(rel["tail"])
        if head not in entity_ids or tail not in entity_ids:
            continue
        out["relations"].append(
            {
                "doc_id": doc_id,
                "relation_id": f"{doc_id}:r{position}",
                "label": rel["label"],
                "head_id": entity_ids[head],
                "tail_id": entity_ids[tail],
                "head_text": text[head[0] : head[1]],
                "tail_text": text[tail[0] : tail[1]],
                "score": rel.get("score"),
                "evidence": rel.get("evidence"),
                "section_id": index.find(head[0]),
            }
        )

    out["metrics"] = []
    for metric in (doc._.metrics if Doc.has_extension("metrics") else None) or []:
        key = (metric["start_char"], metric["end_char"])
        sentence_start, sentence_end = sentence_bounds(text, *key)
        compared = metric.get("compare_to")
        period = metric.get("period")
        period_first, _, period_last = (period or "").partition("..")
        out["metrics"].append(
            {
                "doc_id": doc_id,
                "entity_id": entity_ids.get(key),
                "text": text[key[0] : key[1]],
                "value": metric.get("value"),
                "unit": metric.get("unit"),
                "per": metric.get("per"),
                "approximate": metric.get("approximate"),
                "indicator": metric.get("indicator"),
                "period": period,
                "period_start": _period_start(period_first),
                "period_end": _period_end(period_last or period_first),
                "compare_to": entity_ids.get(tuple(compared)) if compared else None,
                "start_char": key[0],
                "end_char": key[1],
                "section_id": index.find(key[0]),
                "sentence": text[sentence_start:sentence_end],
            }
        )

    out["attendance"] = []
    for row in (doc._.attendance if Doc.has_extension("attendance") else None) or []:
        ent = tuple(row["entity"]) if row.get("entity") else None
        out["attendance"].append(
            {
                "doc_id": doc_id,
                "person": row["person"],
                "person_id": None,  # assigned corpus-wide when the people table is built
                "status": row["status"],
                "role": row.get("role"),
                "org": row.get("org"),
                "entity_id": entity_ids.get(ent) if ent else None,
                "section_id": index.find(ent[0]) if ent else None,
                "evidence": row.get("evidence"),
                "score": row.get("score"),
            }
        )

    out.update(decision_rows(doc_id, text, sections, people_of_doc(doc, entity_ids, norms), index.find))
    return out


def _period_start(value: str) -> dt.date | None:
    if not value:
        return None
    parts = value.split("-")
    try:
        return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _period_end(value: str) -> dt.date | None:
    start = _period_start(value)
    if start is None:
        return None
    parts = value.split("-")
    if len(parts) == 3:
        return start
    if len(parts) == 2:
        next_month = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)
    return dt.date(start.year, 12, 31)
