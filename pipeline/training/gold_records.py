"""Gold records and the `.ann` markup they are written as; shared by the annotation-tool converters.

A gold record is what `markup.parse_ann` returns for one document: text, spans [{start, end, label, text, id}],
relations [{head_id, child_id, label}], attendance [{span_id, person, status, role?, org?}], metrics
[{span_id, start, end, text, value, unit, per, period, indicator, indicator_start, indicator_end, compare_to?}]
and meta. Attendance extras and metric attributes travel through the tools as `key=value` text, the same
syntax as the `@att` and `@metric` directives, so a maintainer edits them as they would in an `.ann` file.
"""

from __future__ import annotations

import math
import re
import shlex

from .markup import ENTITY_LABELS, RELATION_LABELS, parse_ann

ID_PREFIX = {"PERSON": "p", "ROLE": "r", "ORG": "o", "DATE": "d", "METRIC": "m"}


def assign_ids(record: dict) -> dict[int, str]:
    """Ids for spans that relations/attendance/metrics refer to (p1, r1, o1, d1, m1 by label)."""
    counters: dict[str, int] = {}
    ids = {}
    for i, span in enumerate(record["spans"]):
        ident = span.get("id")
        if not ident:
            counters[span["label"]] = counters.get(span["label"], 0) + 1
            ident = f"{ID_PREFIX[span['label']]}x{counters[span['label']]}"
        ids[i] = ident
    return ids


def quote(value) -> str:
    """The value as a markup attribute: shell-quoted when it holds spaces, quotes or backslashes."""
    text = str(value)
    return shlex.quote(text) if re.search(r"[\s\"'\\]", text) else text


def missing(value) -> bool:
    """True for None, NaN and pandas' missing markers (tables give NaN where a value is absent)."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def number(value: float) -> str:
    """A number as markup text, exact: 1548 not 1548.0, 1234567 not 1.23457e+06."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def metric_attributes(metric: dict) -> str:
    """A metric row's attributes as `key=value` text (the `@metric` directive without its span id)."""
    parts = [f"value={number(metric['value'])}" if not missing(metric.get("value")) else "value="]
    parts.append(f"unit={metric.get('unit') or ''}")
    for key, field in (("per", "per"), ("indicator", "indicator"), ("period", "period"), ("compare", "compare_to")):
        value = metric.get(field)
        if not missing(value) and value != "":
            parts.append(f"{key}={number(value) if key == 'per' else quote(value)}")
    return " ".join(parts)


def attendance_attributes(row: dict, record: dict) -> str:
    """An attendance row's extras as `key=value` text: name= when it differs from the span, role=/org= ids."""
    spans = {span.get("id"): span for span in record["spans"]}
    parts = []
    if row["person"] != spans.get(row["span_id"], {}).get("text"):
        parts.append(f"name={quote(row['person'])}")
    for key, label in (("role", "ROLE"), ("org", "ORG")):
        ident = linked_span_id(record, row, key, label)
        if ident:
            parts.append(f"{key}={ident}")
    return " ".join(parts)


def linked_span_id(record: dict, row: dict, key: str, label: str) -> str | None:
    """The id of the ROLE/ORG span an attendance row names by text (the closest one to the person)."""
    if missing(row.get(key)) or not row.get(key):
        return None
    person = next((span for span in record["spans"] if span.get("id") == row["span_id"]), None)
    near = person["start"] if person else 0
    candidates = [span for span in record["spans"] if span["label"] == label and span["text"] == row[key]]
    candidates = [span for span in candidates if span.get("id")]
    return min(candidates, key=lambda span: abs(span["start"] - near))["id"] if candidates else None


def record_to_ann(record: dict, all_ids: bool = False) -> str:
    """Inline-markup `.ann` text for a record; `parse_ann` of the result gives the record back.

    Span ids are shown where something refers to them (and on every METRIC); all_ids=True shows every one.
    """
    text = record["text"]
    spans = sorted(enumerate(record["spans"]), key=lambda numbered: (numbered[1]["start"], numbered[1]["end"]))
    ids = assign_ids(record)
    relations = record.get("relations", [])
    attendance_lines = [(row, attendance_attributes(row, record)) for row in record.get("attendance", [])]
    used = {rel["head_id"] for rel in relations} | {rel["child_id"] for rel in relations}
    used |= {row["span_id"] for row in record.get("attendance", []) + record.get("metrics", [])}
    used |= {metric["compare_to"] for metric in record.get("metrics", []) if metric.get("compare_to")}
    used |= {
        linked_span_id(record, row, key, label)
        for row in record.get("attendance", [])
        for key, label in (("role", "ROLE"), ("org", "ORG"))
    }
    out, pos = [], 0
    for i, span in spans:
        if span["start"] < pos:
            raise ValueError(f"overlapping spans at {span['start']}: inline markup cannot nest")
        out.append(text[pos : span["start"]])
        ident = span.get("id") or ids[i]
        show_id = all_ids or ident in used or span["label"] == "METRIC"
        out.append(f"{{{{{span['label']}{'#' + ident if show_id else ''}|{text[span['start'] : span['end']]}}}}}")
        pos = span["end"]
    out.append(text[pos:])
    meta = record.get("meta", {})
    head = " ".join(
        f"{key}={quote(meta[key])}"
        for key in ("kind", "source", "council", "committee", "layout")
        if not missing(meta.get(key)) and meta.get(key)
    )
    lines = [f"@meta {head}".rstrip(), "@@@", "".join(out), "@@@"]
    for rel in relations:
        lines.append(f"@rel {rel['head_id']} {rel['label']} {rel['child_id']}")
    for row, extra in attendance_lines:
        lines.append(f"@att {row['span_id']} {row['status']}{' ' + extra if extra else ''}")
    for metric in record.get("metrics", []):
        lines.append(f"@metric {metric['span_id']} {metric_attributes(metric)}")
    return "\n".join(lines) + "\n"


def check(record: dict) -> dict:
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


def with_attributes(record: dict, attendance: dict[str, tuple[str, str]], metrics: dict[str, str]) -> dict:
    """Fill a record's attendance and metrics from per-span attribute text, in the shape parse_ann gives.

    `attendance` maps a PERSON span id to (status, extras text); `metrics` maps a METRIC span id to its
    `key=value` attributes. The record goes through the markup once, so every check of the build applies
    (a METRIC without value=, an unknown unit, a role= id that is not a ROLE) and names the problem.
    """
    spans = {span["id"]: span for span in record["spans"]}
    lines = []
    for ident, (status, extra) in attendance.items():
        if ident in spans:
            lines.append(f"@att {ident} {status} {extra}".rstrip())
    for ident, attributes in metrics.items():
        if ident in spans:
            lines.append(f"@metric {ident} {attributes}")
    draft = dict(record, attendance=[], metrics=[], meta={})
    ann = record_to_ann(draft, all_ids=True) + "\n".join(lines) + "\n"
    parsed = parse_ann(ann, record["meta"].get("doc_id") or "import.ann")
    record["attendance"], record["metrics"] = parsed["attendance"], parsed["metrics"]
    return record
