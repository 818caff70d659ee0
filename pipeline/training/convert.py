"""Converters between our gold records and annotation tools.

Gold record (what `markup.parse_ann` returns, one per document): text, spans [{start, end, label, text, id}],
relations [{head_id, child_id, label}], attendance, metrics, meta.

- import: Label Studio JSON export, doccano JSONL (both the entities/relations format and the older
  `label: [[start, end, LABEL]]` one), Prodigy JSONL -> records -> `.ann` files (`record_to_ann`);
- export: the pipeline's predictions (the extracted tables) -> Prodigy JSONL or Label Studio tasks with
  `predictions`, so a maintainer corrects predictions instead of annotating from scratch.
Raw exports are kept unedited under annotations/raw/; converted `.ann` files are what training reads.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from .markup import ENTITY_LABELS, RELATION_LABELS

# ---------------------------------------------------------------------------- records <-> .ann


def _assign_ids(record: dict) -> dict[int, str]:
    """Ids for spans that relations/attendance/metrics refer to (p1, r1, o1, d1, m1 by label)."""
    prefix = {"PERSON": "p", "ROLE": "r", "ORG": "o", "DATE": "d", "METRIC": "m"}
    counters: dict[str, int] = {}
    ids = {}
    for i, span in enumerate(record["spans"]):
        ident = span.get("id")
        if not ident:
            counters[span["label"]] = counters.get(span["label"], 0) + 1
            ident = f"{prefix[span['label']]}x{counters[span['label']]}"
        ids[i] = ident
    return ids


def _quote(value) -> str:
    """The value as a markup attribute: shell-quoted when it holds spaces, quotes or backslashes."""
    text = str(value)
    return shlex.quote(text) if re.search(r"[\s\"'\\]", text) else text


def record_to_ann(record: dict) -> str:
    """Inline-markup `.ann` text for a record; `parse_ann` of the result gives the record back."""
    text = record["text"]
    spans = sorted(enumerate(record["spans"]), key=lambda numbered: (numbered[1]["start"], numbered[1]["end"]))
    ids = _assign_ids(record)
    relations = record.get("relations", [])
    used = {rel["head_id"] for rel in relations} | {rel["child_id"] for rel in relations}
    used |= {row["span_id"] for row in record.get("attendance", []) + record.get("metrics", [])}
    out, pos = [], 0
    for i, span in spans:
        if span["start"] < pos:
            raise ValueError(f"overlapping spans at {span['start']}: inline markup cannot nest")
        out.append(text[pos : span["start"]])
        ident = span.get("id") or ids[i]
        show_id = ident in used or span["label"] == "METRIC"
        out.append(f"{{{{{span['label']}{'#' + ident if show_id else ''}|{text[span['start'] : span['end']]}}}}}")
        pos = span["end"]
    out.append(text[pos:])
    meta = record.get("meta", {})
    head = " ".join(
        f"{key}={_quote(meta[key])}" for key in ("kind", "source", "council", "committee", "layout") if meta.get(key)
    )
    lines = [f"@meta {head}".rstrip(), "@@@", "".join(out), "@@@"]
    for rel in relations:
        lines.append(f"@rel {rel['head_id']} {rel['label']} {rel['child_id']}")
    span_text = {span.get("id"): span["text"] for span in record["spans"]}
    for row in record.get("attendance", []):
        extra = ""
        if row["person"] != span_text.get(row["span_id"]):
            extra += f" name={_quote(row['person'])}"
        lines.append(f"@att {row['span_id']} {row['status']}{extra}")
    for metric in record.get("metrics", []):
        parts = [f"@metric {metric['span_id']} value={metric['value']:g} unit={metric['unit']}"]
        if metric.get("per"):
            parts.append(f"per={metric['per']:g}")
        if metric.get("indicator"):
            parts.append(f"indicator={_quote(metric['indicator'])}")
        if metric.get("period"):
            parts.append(f"period={metric['period']}")
        if metric.get("compare_to"):
            parts.append(f"compare={metric['compare_to']}")
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"


def _check(record: dict) -> dict:
    """Reject unknown labels, fill each span's text and the optional record fields."""
    for span in record["spans"]:
        if span["label"] not in ENTITY_LABELS:
            raise ValueError(f"unknown entity label {span['label']!r}")
        span["text"] = record["text"][span["start"] : span["end"]]
    for rel in record["relations"]:
        if rel["label"] not in RELATION_LABELS:
            raise ValueError(f"unknown relation label {rel['label']!r}")
    record.setdefault("attendance", [])
    record.setdefault("metrics", [])
    record.setdefault("meta", {})
    return record


# ---------------------------------------------------------------------------- Label Studio


def from_label_studio(tasks: list[dict], kind: str = "written_for_training") -> list[dict]:
    """Label Studio JSON export (one task per document; the last annotation of each task counts)."""
    records = []
    for task in tasks:
        text = task["data"]["text"]
        results = (task.get("annotations") or [{}])[-1].get("result", [])
        spans, relations = [], []
        for result in results:
            if result.get("type") == "labels":
                value = result["value"]
                spans.append(
                    {"start": value["start"], "end": value["end"], "label": value["labels"][0], "id": result["id"]}
                )
        for result in results:
            if result.get("type") == "relation":
                head, child = result["from_id"], result["to_id"]
                if result.get("direction") == "left":
                    head, child = child, head
                relations.append({"head_id": head, "child_id": child, "label": (result.get("labels") or [""])[0]})
        meta = {"kind": kind, **(task["data"].get("meta") or {})}
        records.append(_check({"text": text, "spans": spans, "relations": relations, "meta": meta}))
    return records


def to_label_studio(records: list[dict], predictions: bool = False, model_version: str = "") -> list[dict]:
    """Label Studio tasks; with predictions=True the spans go in `predictions` for correction."""
    tasks = []
    for record in records:
        ids = _assign_ids(record)
        text = record["text"]
        result = [
            {
                "id": span.get("id") or ids[i],
                "type": "labels",
                "from_name": "label",
                "to_name": "text",
                "value": {
                    "start": span["start"],
                    "end": span["end"],
                    "text": text[span["start"] : span["end"]],
                    "labels": [span["label"]],
                },
            }
            for i, span in enumerate(record["spans"])
        ]
        result += [
            {
                "type": "relation",
                "from_id": rel["head_id"],
                "to_id": rel["child_id"],
                "direction": "right",
                "labels": [rel["label"]],
            }
            for rel in record.get("relations", [])
        ]
        task = {"data": {"text": text, "meta": record.get("meta", {})}}
        if predictions:
            task["predictions"] = [{"model_version": model_version, "result": result}]
        else:
            task["annotations"] = [{"result": result}]
        tasks.append(task)
    return tasks


# ---------------------------------------------------------------------------- doccano


def from_doccano(lines: list[dict], kind: str = "written_for_training") -> list[dict]:
    """doccano JSONL rows (entities/relations, or the older `label` list) -> records."""
    records = []
    for row in lines:
        text = row["text"]
        spans, relations = [], []
        if "entities" in row:
            for entity in row["entities"]:
                spans.append(
                    {
                        "start": entity["start_offset"],
                        "end": entity["end_offset"],
                        "label": entity["label"],
                        "id": f"e{entity['id']}",
                    }
                )
            for rel in row.get("relations", []):
                relations.append(
                    {"head_id": f"e{rel['from_id']}", "child_id": f"e{rel['to_id']}", "label": rel["type"]}
                )
        else:  # older doccano: "label": [[start, end, "LABEL"], ...]
            for i, (start, end, label) in enumerate(row.get("label", [])):
                spans.append({"start": start, "end": end, "label": label, "id": f"e{i}"})
        meta = {"kind": kind, **(row.get("meta") or {})}
        records.append(_check({"text": text, "spans": spans, "relations": relations, "meta": meta}))
    return records


def to_doccano(records: list[dict]) -> list[dict]:
    """Records -> doccano JSONL rows (entities numbered from 1, relations by those numbers)."""
    out = []
    for record in records:
        ids = _assign_ids(record)
        number = {ids[i]: i + 1 for i in range(len(record["spans"]))}
        number.update({span.get("id"): i + 1 for i, span in enumerate(record["spans"]) if span.get("id")})
        out.append(
            {
                "text": record["text"],
                "entities": [
                    {"id": i + 1, "label": span["label"], "start_offset": span["start"], "end_offset": span["end"]}
                    for i, span in enumerate(record["spans"])
                ],
                "relations": [
                    {
                        "id": k + 1,
                        "from_id": number[rel["head_id"]],
                        "to_id": number[rel["child_id"]],
                        "type": rel["label"],
                    }
                    for k, rel in enumerate(record.get("relations", []))
                ],
                "meta": record.get("meta", {}),
            }
        )
    return out


# ---------------------------------------------------------------------------- Prodigy


def from_prodigy(lines: list[dict], kind: str = "written_for_training") -> list[dict]:
    """Prodigy JSONL (ner / rel recipes): spans by offsets, relations by their head_span/child_span."""
    records = []
    for row in lines:
        if row.get("answer", "accept") != "accept":
            continue
        spans = [
            {"start": span["start"], "end": span["end"], "label": span["label"], "id": span.get("id") or f"s{i}"}
            for i, span in enumerate(row.get("spans", []))
        ]
        by_offsets = {(span["start"], span["end"]): span["id"] for span in spans}
        relations = [
            {
                "head_id": by_offsets[(rel["head_span"]["start"], rel["head_span"]["end"])],
                "child_id": by_offsets[(rel["child_span"]["start"], rel["child_span"]["end"])],
                "label": rel["label"],
            }
            for rel in row.get("relations", [])
        ]
        meta = {"kind": kind, **(row.get("meta") or {})}
        records.append(
            _check(
                {
                    "text": row["text"],
                    "spans": spans,
                    "relations": relations,
                    "meta": meta,
                    "attendance": row.get("attendance", []),
                    "metrics": row.get("metrics", []),
                }
            )
        )
    return records


def to_prodigy(records: list[dict], nlp=None) -> list[dict]:
    """Records -> Prodigy JSONL tasks (tokens and token offsets added, every span with an id)."""
    from ..tokenizer import blank_nlp
    from .build import add_tokens

    nlp = nlp or blank_nlp()
    out = []
    for record in records:
        record = json.loads(json.dumps(record))
        ids = _assign_ids(record)
        for i, span in enumerate(record["spans"]):
            span.setdefault("id", ids[i])
            span["id"] = span["id"] or ids[i]
        out.append(add_tokens(nlp, record) | {"answer": "accept"})
    return out


# ---------------------------------------------------------------------------- predictions


def predictions_from_tables(out_dir: str | Path, doc_ids: list[str] | None = None) -> list[dict]:
    """The pipeline's predictions, read back from the extracted tables, as records."""
    from ..analysis import connect

    con = connect(out_dir)
    documents = con.execute("select doc_id, source_path, council, committee, text from documents order by doc_id").df()
    entities = con.execute("select doc_id, entity_id, label, start_char, end_char from entities").df()
    relation_rows = con.execute("select doc_id, label, head_id, tail_id from relations").df()
    records = []
    for document in documents.itertuples():
        if doc_ids and document.doc_id not in doc_ids:
            continue
        doc_entities = entities[entities.doc_id == document.doc_id].sort_values("start_char")
        spans = [
            {
                "start": int(entity.start_char),
                "end": int(entity.end_char),
                "label": entity.label,
                "id": entity.entity_id.split(":")[-1],
            }
            for entity in doc_entities.itertuples()
        ]
        doc_relations = relation_rows[relation_rows.doc_id == document.doc_id]
        relations = [
            {"head_id": rel.head_id.split(":")[-1], "child_id": rel.tail_id.split(":")[-1], "label": rel.label}
            for rel in doc_relations.itertuples()
        ]
        meta = {
            "kind": "real",
            "source": document.source_path,
            "council": document.council,
            "committee": document.committee,
            "doc_id": document.doc_id,
        }
        records.append(_check({"text": document.text, "spans": spans, "relations": relations, "meta": meta}))
    return records


def read_json_or_jsonl(path: Path):
    """A JSON list (Label Studio) or one JSON object per line (doccano, Prodigy)."""
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


IMPORTERS = {"labelstudio": from_label_studio, "doccano": from_doccano, "prodigy": from_prodigy}
