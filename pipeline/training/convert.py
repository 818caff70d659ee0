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
    for i, sp in enumerate(record["spans"]):
        ident = sp.get("id")
        if not ident:
            counters[sp["label"]] = counters.get(sp["label"], 0) + 1
            ident = f"{prefix[sp['label']]}x{counters[sp['label']]}"
        ids[i] = ident
    return ids


def _quote(value) -> str:
    s = str(value)
    return shlex.quote(s) if re.search(r"[\s\"'\\]", s) else s


def record_to_ann(record: dict) -> str:
    """Inline-markup `.ann` text for a record; `parse_ann` of the result gives the record back."""
    text = record["text"]
    spans = sorted(enumerate(record["spans"]), key=lambda x: (x[1]["start"], x[1]["end"]))
    ids = _assign_ids(record)
    used = {r["head_id"] for r in record.get("relations", [])} | {r["child_id"] for r in record.get("relations", [])}
    used |= {a["span_id"] for a in record.get("attendance", [])} | {m["span_id"] for m in record.get("metrics", [])}
    out, pos = [], 0
    for i, sp in spans:
        if sp["start"] < pos:
            raise ValueError(f"overlapping spans at {sp['start']}: inline markup cannot nest")
        out.append(text[pos : sp["start"]])
        ident = sp.get("id") or ids[i]
        show_id = ident in used or sp["label"] == "METRIC"
        out.append(f"{{{{{sp['label']}{'#' + ident if show_id else ''}|{text[sp['start']:sp['end']]}}}}}")
        pos = sp["end"]
    out.append(text[pos:])
    meta = record.get("meta", {})
    head = " ".join(f"{k}={_quote(meta[k])}" for k in ("kind", "source", "council", "committee", "layout") if meta.get(k))
    lines = [f"@meta {head}".rstrip(), "@@@", "".join(out), "@@@"]
    for r in record.get("relations", []):
        lines.append(f"@rel {r['head_id']} {r['label']} {r['child_id']}")
    span_text = {sp.get("id"): sp["text"] for sp in record["spans"]}
    for a in record.get("attendance", []):
        extra = ""
        if a["person"] != span_text.get(a["span_id"]):
            extra += f" name={_quote(a['person'])}"
        lines.append(f"@att {a['span_id']} {a['status']}{extra}")
    for m in record.get("metrics", []):
        parts = [f"@metric {m['span_id']} value={m['value']:g} unit={m['unit']}"]
        if m.get("per"):
            parts.append(f"per={m['per']:g}")
        if m.get("indicator"):
            parts.append(f"indicator={_quote(m['indicator'])}")
        if m.get("period"):
            parts.append(f"period={m['period']}")
        if m.get("compare_to"):
            parts.append(f"compare={m['compare_to']}")
        lines.append(" ".join(parts))
    return "\n".join(lines) + "\n"


def _check(record: dict) -> dict:
    for sp in record["spans"]:
        if sp["label"] not in ENTITY_LABELS:
            raise ValueError(f"unknown entity label {sp['label']!r}")
        sp["text"] = record["text"][sp["start"] : sp["end"]]
    for r in record["relations"]:
        if r["label"] not in RELATION_LABELS:
            raise ValueError(f"unknown relation label {r['label']!r}")
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
        for res in results:
            if res.get("type") == "labels":
                v = res["value"]
                spans.append({"start": v["start"], "end": v["end"], "label": v["labels"][0], "id": res["id"]})
        for res in results:
            if res.get("type") == "relation":
                head, child = res["from_id"], res["to_id"]
                if res.get("direction") == "left":
                    head, child = child, head
                relations.append({"head_id": head, "child_id": child, "label": (res.get("labels") or [""])[0]})
        meta = {"kind": kind, **(task["data"].get("meta") or {})}
        records.append(_check({"text": text, "spans": spans, "relations": relations, "meta": meta}))
    return records


def to_label_studio(records: list[dict], predictions: bool = False, model_version: str = "") -> list[dict]:
    """Label Studio tasks; with predictions=True the spans go in `predictions` for correction."""
    tasks = []
    for rec in records:
        ids = _assign_ids(rec)
        result = [
            {"id": sp.get("id") or ids[i], "type": "labels", "from_name": "label", "to_name": "text",
             "value": {"start": sp["start"], "end": sp["end"], "text": rec["text"][sp["start"]:sp["end"]], "labels": [sp["label"]]}}
            for i, sp in enumerate(rec["spans"])
        ]
        result += [{"type": "relation", "from_id": r["head_id"], "to_id": r["child_id"], "direction": "right", "labels": [r["label"]]}
                   for r in rec.get("relations", [])]
        task = {"data": {"text": rec["text"], "meta": rec.get("meta", {})}}
        if predictions:
            task["predictions"] = [{"model_version": model_version, "result": result}]
        else:
            task["annotations"] = [{"result": result}]
        tasks.append(task)
    return tasks


# ---------------------------------------------------------------------------- doccano


def from_doccano(lines: list[dict], kind: str = "written_for_training") -> list[dict]:
    records = []
    for row in lines:
        text = row["text"]
        spans, relations = [], []
        if "entities" in row:
            for e in row["entities"]:
                spans.append({"start": e["start_offset"], "end": e["end_offset"], "label": e["label"], "id": f"e{e['id']}"})
            for r in row.get("relations", []):
                relations.append({"head_id": f"e{r['from_id']}", "child_id": f"e{r['to_id']}", "label": r["type"]})
        else:  # older doccano: "label": [[start, end, "LABEL"], ...]
            for i, (s, e, lab) in enumerate(row.get("label", [])):
                spans.append({"start": s, "end": e, "label": lab, "id": f"e{i}"})
        meta = {"kind": kind, **(row.get("meta") or {})}
        records.append(_check({"text": text, "spans": spans, "relations": relations, "meta": meta}))
    return records


def to_doccano(records: list[dict]) -> list[dict]:
    out = []
    for rec in records:
        ids = _assign_ids(rec)
        num = {ids[i]: i + 1 for i in range(len(rec["spans"]))}
        num.update({sp.get("id"): i + 1 for i, sp in enumerate(rec["spans"]) if sp.get("id")})
        out.append({
            "text": rec["text"],
            "entities": [{"id": i + 1, "label": sp["label"], "start_offset": sp["start"], "end_offset": sp["end"]}
                         for i, sp in enumerate(rec["spans"])],
            "relations": [{"id": k + 1, "from_id": num[r["head_id"]], "to_id": num[r["child_id"]], "type": r["label"]}
                          for k, r in enumerate(rec.get("relations", []))],
            "meta": rec.get("meta", {}),
        })
    return out


# ---------------------------------------------------------------------------- Prodigy


def from_prodigy(lines: list[dict], kind: str = "written_for_training") -> list[dict]:
    """Prodigy JSONL (ner / rel recipes): spans by offsets, relations by their head_span/child_span."""
    records = []
    for row in lines:
        if row.get("answer", "accept") != "accept":
            continue
        spans = [{"start": s["start"], "end": s["end"], "label": s["label"], "id": s.get("id") or f"s{i}"}
                 for i, s in enumerate(row.get("spans", []))]
        by_offsets = {(s["start"], s["end"]): s["id"] for s in spans}
        relations = [{"head_id": by_offsets[(r["head_span"]["start"], r["head_span"]["end"])],
                      "child_id": by_offsets[(r["child_span"]["start"], r["child_span"]["end"])], "label": r["label"]}
                     for r in row.get("relations", [])]
        meta = {"kind": kind, **(row.get("meta") or {})}
        records.append(_check({"text": row["text"], "spans": spans, "relations": relations, "meta": meta,
                               "attendance": row.get("attendance", []), "metrics": row.get("metrics", [])}))
    return records


def to_prodigy(records: list[dict], nlp=None) -> list[dict]:
    from ..tokenizer import blank_nlp
    from .build import add_tokens

    nlp = nlp or blank_nlp()
    out = []
    for rec in records:
        rec = json.loads(json.dumps(rec))
        ids = _assign_ids(rec)
        for i, sp in enumerate(rec["spans"]):
            sp.setdefault("id", ids[i])
            sp["id"] = sp["id"] or ids[i]
        out.append(add_tokens(nlp, rec) | {"answer": "accept"})
    return out


# ---------------------------------------------------------------------------- predictions


def predictions_from_tables(out_dir: str | Path, doc_ids: list[str] | None = None) -> list[dict]:
    """The pipeline's predictions, read back from the extracted tables, as records."""
    from ..analysis import connect

    con = connect(out_dir)
    docs = con.execute("select doc_id, source_path, council, committee, text from documents order by doc_id").df()
    ents = con.execute("select doc_id, entity_id, label, start_char, end_char from entities").df()
    rels = con.execute("select doc_id, label, head_id, tail_id from relations").df()
    records = []
    for d in docs.itertuples():
        if doc_ids and d.doc_id not in doc_ids:
            continue
        e = ents[ents.doc_id == d.doc_id].sort_values("start_char")
        spans = [{"start": int(r.start_char), "end": int(r.end_char), "label": r.label, "id": r.entity_id.split(":")[-1]}
                 for r in e.itertuples()]
        r = rels[rels.doc_id == d.doc_id]
        relations = [{"head_id": x.head_id.split(":")[-1], "child_id": x.tail_id.split(":")[-1], "label": x.label} for x in r.itertuples()]
        meta = {"kind": "real", "source": d.source_path, "council": d.council, "committee": d.committee, "doc_id": d.doc_id}
        records.append(_check({"text": d.text, "spans": spans, "relations": relations, "meta": meta}))
    return records


def read_json_or_jsonl(path: Path):
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


IMPORTERS = {"labelstudio": from_label_studio, "doccano": from_doccano, "prodigy": from_prodigy}
