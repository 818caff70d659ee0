"""Converters between our gold records and annotation tools.

Gold record (what `markup.parse_ann` returns, one per document): text, spans [{start, end, label, text, id}],
relations [{head_id, child_id, label}], attendance, metrics, meta.

Gold records and the .ann writer live in `gold_records`, Label Studio in `convert_labelstudio`.

- import: Label Studio JSON export, doccano JSONL (both the entities/relations format and the older
  `label: [[start, end, LABEL]]` one), Prodigy JSONL -> records -> `.ann` files (`record_to_ann`);
- export: the pipeline's predictions (the extracted tables) -> Prodigy JSONL or Label Studio tasks with
  `predictions`, so a maintainer corrects predictions instead of annotating from scratch.
Raw exports are kept unedited under annotations/raw/; converted `.ann` files are what training reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from .convert_labelstudio import LABEL_CONFIG, from_label_studio, to_label_studio
from .gold_records import assign_ids, check, missing, record_to_ann, with_attributes

__all__ = ["LABEL_CONFIG", "from_label_studio", "record_to_ann", "to_label_studio"]

# ---------------------------------------------------------------------------- doccano


def _kind(meta: dict | None, kind: str | None) -> dict:
    """The exported meta with the kind set: the one asked for, else the meta's, else written_for_training."""
    meta = dict(meta or {})
    meta["kind"] = kind or meta.get("kind") or "written_for_training"
    return meta


def from_doccano(lines: list[dict], kind: str | None = None) -> list[dict]:
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
        records.append(
            check({"text": text, "spans": spans, "relations": relations, "meta": _kind(row.get("meta"), kind)})
        )
    return records


def to_doccano(records: list[dict]) -> list[dict]:
    """Records -> doccano JSONL rows (entities numbered from 1, relations by those numbers)."""
    out = []
    for record in records:
        ids = assign_ids(record)
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


def _prodigy_span_id(row: dict, spans: list[dict], by_offsets: dict) -> str | None:
    """The span an attendance/metric row refers to: its span_id if that span is still there, else its offsets."""
    if row.get("span_id") in {span["id"] for span in spans}:
        return row["span_id"]
    return by_offsets.get((row.get("start"), row.get("end")))


def from_prodigy(lines: list[dict], kind: str | None = None) -> list[dict]:
    """Prodigy JSONL (ner / rel recipes) -> gold records.

    Spans by offsets, relations by their head_span/child_span; attendance and metrics are the task's own
    `attendance` / `metrics` lists (as `to_prodigy` writes them), tied to spans by id or, when an edit
    dropped the id, by the offsets the rows carry.
    """
    from .gold_records import attendance_attributes, metric_attributes

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
        record = check(
            {"text": row["text"], "spans": spans, "relations": relations, "meta": _kind(row.get("meta"), kind)}
        )
        attendance, metrics = {}, {}
        for person in row.get("attendance", []):
            ident = _prodigy_span_id(person, spans, by_offsets)
            if ident:
                attendance[ident] = (person["status"], attendance_attributes(dict(person, span_id=ident), record))
        for metric in row.get("metrics", []):
            ident = _prodigy_span_id(metric, spans, by_offsets)
            if ident:
                metrics[ident] = metric_attributes(metric)
        records.append(with_attributes(record, attendance, metrics))
    return records


def to_prodigy(records: list[dict], nlp=None) -> list[dict]:
    """Records -> Prodigy JSONL tasks (tokens and token offsets added, every span with an id)."""
    from ..tokenizer import blank_nlp
    from .build import add_tokens

    nlp = nlp or blank_nlp()
    out = []
    for record in records:
        record = json.loads(json.dumps(record))
        ids = assign_ids(record)
        for i, span in enumerate(record["spans"]):
            span.setdefault("id", ids[i])
            span["id"] = span["id"] or ids[i]
        offsets = {span["id"]: (span["start"], span["end"]) for span in record["spans"]}
        for row in record.get("attendance", []):  # offsets let the import find the span if an edit drops its id
            row["start"], row["end"] = offsets[row["span_id"]]
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
    attendance_rows = con.execute("select doc_id, person, status, role, org, entity_id from attendance").df()
    metric_rows = con.execute(
        "select doc_id, entity_id, value, unit, per, indicator, period, compare_to from metrics"
    ).df()
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
        # a predicted METRIC that states no figure has no metrics row; gold needs a value, so it is left out
        with_figure = {e.split(":")[-1] for e in metric_rows[metric_rows.doc_id == document.doc_id].entity_id}
        spans = [span for span in spans if span["label"] != "METRIC" or span["id"] in with_figure]
        kept = {span["id"] for span in spans}
        doc_relations = relation_rows[relation_rows.doc_id == document.doc_id]
        relations = [
            {"head_id": rel.head_id.split(":")[-1], "child_id": rel.tail_id.split(":")[-1], "label": rel.label}
            for rel in doc_relations.itertuples()
            if rel.head_id.split(":")[-1] in kept and rel.tail_id.split(":")[-1] in kept
        ]
        meta = {
            "kind": "real",
            "source": document.source_path,
            "council": document.council,
            "committee": document.committee,
            "doc_id": document.doc_id,
        }
        meta = {key: (None if missing(value) else value) for key, value in meta.items()}
        record = check({"text": document.text, "spans": spans, "relations": relations, "meta": meta})
        record["attendance"] = _attendance_from_table(attendance_rows[attendance_rows.doc_id == document.doc_id])
        record["metrics"] = _metrics_from_table(metric_rows[metric_rows.doc_id == document.doc_id], record)
        records.append(record)
    return records


def _local_id(entity_id) -> str | None:
    """`<doc_id>:e12` -> `e12` (None where the table has no id)."""
    return None if missing(entity_id) or not entity_id else str(entity_id).split(":")[-1]


def _attendance_from_table(rows) -> list[dict]:
    """Attendance table rows -> record rows (one status per person, the first row counts)."""
    out, seen = [], set()
    for row in rows.itertuples():
        ident = _local_id(row.entity_id)
        if not ident or row.person in seen:
            continue
        seen.add(row.person)
        entry = {"span_id": ident, "person": row.person, "status": row.status}
        for key in ("role", "org"):
            if not missing(getattr(row, key)) and getattr(row, key):
                entry[key] = getattr(row, key)
        out.append(entry)
    return out


def _metrics_from_table(rows, record: dict) -> list[dict]:
    """Metrics table rows -> record rows (span offsets from the record; NaN becomes None)."""
    spans = {span["id"]: span for span in record["spans"]}
    out = []
    for row in rows.itertuples():
        span = spans.get(_local_id(row.entity_id))
        if span is None:
            continue
        indicator = None if missing(row.indicator) or not row.indicator else row.indicator
        out.append(
            {
                "span_id": span["id"],
                "start": span["start"],
                "end": span["end"],
                "text": span["text"],
                "value": None if missing(row.value) else float(row.value),
                "unit": row.unit,
                "per": None if missing(row.per) else float(row.per),
                "period": None if missing(row.period) or not row.period else row.period,
                "indicator": indicator if indicator and indicator in record["text"] else None,
                "compare_to": _local_id(row.compare_to),
            }
        )
    return out


def resolve_source(record: dict, corpus: Path | None, repo: Path) -> None:
    """Make a record's meta source= a path the markup checker resolves: relative to the repo, else absolute.

    An exported source is relative to the folder `minutes extract` read (`corpus`); without one, a path
    that exists under the repo or its corpus/ folder is taken. A real document whose source cannot be
    found is a ValueError (the markup checks its text against that file).
    """
    meta = record["meta"]
    source = meta.get("source")
    if not source or str(source).startswith("annotations/"):
        return
    candidates = [Path(corpus) / source] if corpus else [repo / source, repo / "corpus" / source]
    found = next((path.resolve() for path in candidates if path.is_file()), None)
    if found is None:
        if meta.get("kind") == "real":
            where = f"under {corpus}" if corpus else "in the repo (give --corpus)"
            raise ValueError(f"source {source!r} of a real document not found {where}")
        return
    meta["source"] = str(found.relative_to(repo.resolve())) if found.is_relative_to(repo.resolve()) else str(found)


def read_json_or_jsonl(path: Path):
    """A JSON list (Label Studio) or one JSON object per line (doccano, Prodigy)."""
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


IMPORTERS = {"labelstudio": from_label_studio, "doccano": from_doccano, "prodigy": from_prodigy}
