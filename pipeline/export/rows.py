"""Doc -> table rows. Every row carries doc_id and exact character offsets into the document text."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from spacy.tokens import Doc

from .schema import make_doc_id

_SENT_END = re.compile(r"[.!?;](?=\s)|\n")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence or line around [start, end): minutes are full of lists, so a line break also ends one."""
    left = start
    for m in _SENT_END.finditer(text, max(0, start - 600), start):
        left = m.end()
    if left == start and start > 600:
        left = start - 600
    m = _SENT_END.search(text, end)
    right = m.end() if m and m.group() != "\n" else (m.start() if m else len(text))
    right = min(right, end + 600)
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


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
        self.ids = [f"{doc_id}:s{s['index']}" for s in sections]
        self.sections = sections
        self.starts = [s["start_char"] for s in sections]

    def find(self, offset: int) -> str | None:
        best = None
        best_len = None
        # sections are few per document; a linear scan from the bisect point keeps it simple and exact
        hi = bisect.bisect_right(self.starts, offset)
        for i in range(hi - 1, -1, -1):
            s = self.sections[i]
            if s["start_char"] <= offset < s["end_char"]:
                length = s["end_char"] - s["start_char"]
                if best_len is None or length < best_len:
                    best, best_len = self.ids[i], length
        return best


def document_row(src, doc: Doc, pipeline_version: str, model_version: str) -> dict:
    meeting = (doc._.meeting if Doc.has_extension("meeting") else None) or {}
    doc_id = make_doc_id(src.sha256, src.part)
    return {
        "doc_id": doc_id,
        "source_path": src.source_path,
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
            "section_id": index.ids[i],
            "kind": s["kind"],
            "item_number": s.get("item_number"),
            "title": s.get("title"),
            "start_char": s["start_char"],
            "end_char": s["end_char"],
            "parent_id": index.ids[s["parent"]] if s.get("parent") is not None else None,
        }
        for i, s in enumerate(sections)
    ]

    norms = {}
    if Doc.has_extension("norms") and doc._.norms:
        norms = {(n["start_char"], n["end_char"]): n.get("norm") for n in doc._.norms}
    scores = {}
    if Doc.has_extension("ent_scores") and doc._.ent_scores:
        scores = {(s["start_char"], s["end_char"]): s["score"] for s in doc._.ent_scores}
    entity_ids: dict[tuple[int, int], str] = {}
    out["entities"] = []
    for i, ent in enumerate(doc.ents):
        key = (ent.start_char, ent.end_char)
        eid = f"{doc_id}:e{i}"
        entity_ids[key] = eid
        s0, s1 = sentence_bounds(text, ent.start_char, ent.end_char)
        out["entities"].append(
            {
                "doc_id": doc_id,
                "entity_id": eid,
                "label": ent.label_,
                "text": ent.text,
                "norm": norms.get(key),
                "start_char": ent.start_char,
                "end_char": ent.end_char,
                "section_id": index.find(ent.start_char),
                "sentence": text[s0:s1],
                "score": scores.get(key),
            }
        )

    out["relations"] = []
    for i, rel in enumerate((doc._.relations if Doc.has_extension("relations") else None) or []):
        head, tail = tuple(rel["head"]), tuple(rel["tail"])
        if head not in entity_ids or tail not in entity_ids:
            continue
        out["relations"].append(
            {
                "doc_id": doc_id,
                "relation_id": f"{doc_id}:r{i}",
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
    for m in (doc._.metrics if Doc.has_extension("metrics") else None) or []:
        key = (m["start_char"], m["end_char"])
        s0, s1 = sentence_bounds(text, *key)
        cmp = m.get("compare_to")
        period = m.get("period")
        p0, _, p1 = (period or "").partition("..")
        out["metrics"].append(
            {
                "doc_id": doc_id,
                "entity_id": entity_ids.get(key),
                "text": text[key[0] : key[1]],
                "value": m.get("value"),
                "unit": m.get("unit"),
                "per": m.get("per"),
                "approximate": m.get("approximate"),
                "indicator": m.get("indicator"),
                "period": period,
                "period_start": _period_start(p0),
                "period_end": _period_end(p1 or p0),
                "compare_to": entity_ids.get(tuple(cmp)) if cmp else None,
                "start_char": key[0],
                "end_char": key[1],
                "section_id": index.find(key[0]),
                "sentence": text[s0:s1],
            }
        )

    out["attendance"] = []
    for a in (doc._.attendance if Doc.has_extension("attendance") else None) or []:
        ent = tuple(a["entity"]) if a.get("entity") else None
        out["attendance"].append(
            {
                "doc_id": doc_id,
                "person": a["person"],
                "person_id": None,  # assigned corpus-wide when the people table is built
                "status": a["status"],
                "role": a.get("role"),
                "org": a.get("org"),
                "entity_id": entity_ids.get(ent) if ent else None,
                "section_id": index.find(ent[0]) if ent else None,
                "evidence": a.get("evidence"),
            }
        )
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
        nxt = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(start.year, 12, 31)
