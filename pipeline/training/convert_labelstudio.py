"""Label Studio tasks <-> gold records, attendance and metric attributes included.

One task per document. Each span is a `labels` region; its id is the span id, which relations (`relation`
results with from_id/to_id) and the per-region results refer to:

- attendance: a `choices` result (from_name "attendance") on the PERSON region with the status, and, when
  there is more to say, a `textarea` result (from_name "attendance_details") such as `name="Joe Cooney" role=r1`;
- metric attributes: a `textarea` result (from_name "metric") on the METRIC region with the `@metric`
  attributes, e.g. `value=21.3 unit=percent indicator="Re-referral rate" period=2019-10`.

LABEL_CONFIG is a labeling interface that shows and edits all of these.
"""

from __future__ import annotations

from .gold_records import assign_ids, attendance_attributes, check, metric_attributes, with_attributes
from .markup import ATTENDANCE_STATUSES, ENTITY_LABELS, RELATION_LABELS

LABEL_CONFIG = "\n".join(
    [
        "<View>",
        '  <Labels name="label" toName="text">',
        *(f'    <Label value="{label}"/>' for label in ENTITY_LABELS),
        "  </Labels>",
        '  <Text name="text" value="$text"/>',
        "  <Relations>",
        *(f'    <Relation value="{label}"/>' for label in RELATION_LABELS),
        "  </Relations>",
        '  <Choices name="attendance" toName="text" perRegion="true" visibleWhen="region-selected"'
        ' whenLabelValue="PERSON">',
        *(f'    <Choice value="{status}"/>' for status in ATTENDANCE_STATUSES),
        "  </Choices>",
        '  <TextArea name="attendance_details" toName="text" perRegion="true" visibleWhen="region-selected"'
        ' whenLabelValue="PERSON" maxSubmissions="1"/>',
        '  <TextArea name="metric" toName="text" perRegion="true" visibleWhen="region-selected"'
        ' whenLabelValue="METRIC" maxSubmissions="1"/>',
        "</View>",
    ]
)


def _region_value(span: dict, text: str) -> dict:
    """The offsets part of a region result."""
    return {"start": span["start"], "end": span["end"], "text": text[span["start"] : span["end"]]}


def _textarea_text(value: dict) -> str:
    """A textarea's text (Label Studio keeps a list of submissions; the last counts)."""
    text = value.get("text") or [""]
    return (text[-1] if isinstance(text, list) else str(text)).strip()


def from_label_studio(tasks: list[dict], kind: str | None = None) -> list[dict]:
    """Label Studio JSON export (the last annotation of each task counts, else its predictions) -> records.

    kind, when given, wins over the kind in the task's meta (default: the meta's, else written_for_training).
    """
    records = []
    for task in tasks:
        text = task["data"]["text"]
        # the last annotation counts; a task nobody annotated yet keeps its predictions
        results = ((task.get("annotations") or task.get("predictions") or [{}])[-1]).get("result", [])
        spans, relations = [], []
        statuses: dict[str, str] = {}
        details: dict[str, str] = {}
        metrics: dict[str, str] = {}
        for result in results:
            kind_of_result, value, ident = result.get("type"), result.get("value", {}), result.get("id")
            if kind_of_result == "labels":
                spans.append({"start": value["start"], "end": value["end"], "label": value["labels"][0], "id": ident})
            elif kind_of_result == "relation":
                head, child = result["from_id"], result["to_id"]
                if result.get("direction") == "left":
                    head, child = child, head
                relations.append({"head_id": head, "child_id": child, "label": (result.get("labels") or [""])[0]})
            elif kind_of_result == "choices" and result.get("from_name") == "attendance" and value.get("choices"):
                statuses[ident] = value["choices"][0]
            elif kind_of_result == "textarea" and result.get("from_name") == "attendance_details":
                details[ident] = _textarea_text(value)
            elif kind_of_result == "textarea" and result.get("from_name") == "metric":
                metrics[ident] = _textarea_text(value)
        meta = dict(task["data"].get("meta") or {})
        meta["kind"] = kind or meta.get("kind") or "written_for_training"
        record = check({"text": text, "spans": spans, "relations": relations, "meta": meta})
        attendance = {ident: (status, details.get(ident, "")) for ident, status in statuses.items()}
        records.append(with_attributes(record, attendance, metrics))
    return records


def to_label_studio(records: list[dict], predictions: bool = False, model_version: str = "") -> list[dict]:
    """Label Studio tasks; with predictions=True the results go in `predictions` for correction."""
    tasks = []
    for record in records:
        ids = assign_ids(record)
        text = record["text"]
        result = []
        for i, span in enumerate(record["spans"]):
            value = _region_value(span, text)
            region = {"id": span.get("id") or ids[i], "from_name": "label", "to_name": "text"}
            result.append(region | {"type": "labels", "value": value | {"labels": [span["label"]]}})
        span_by_id = {span.get("id") or ids[i]: span for i, span in enumerate(record["spans"])}
        for row in record.get("attendance", []):
            value = _region_value(span_by_id[row["span_id"]], text)
            region = {"id": row["span_id"], "to_name": "text"}
            result.append(
                region | {"type": "choices", "from_name": "attendance", "value": value | {"choices": [row["status"]]}}
            )
            extra = attendance_attributes(row, record)
            if extra:
                result.append(
                    region | {"type": "textarea", "from_name": "attendance_details", "value": value | {"text": [extra]}}
                )
        for metric in record.get("metrics", []):
            value = _region_value(span_by_id[metric["span_id"]], text)
            result.append(
                {"id": metric["span_id"], "to_name": "text", "type": "textarea", "from_name": "metric"}
                | {"value": value | {"text": [metric_attributes(metric)]}}
            )
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
