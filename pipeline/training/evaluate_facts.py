"""Scores for the facts analysts use: relations (on predicted entities), attendance, metric attributes.

Pure functions over gold records and predicted Docs, built on the entity scoring in `scoring`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import lru_cache

from ..normalise.numbers import parse_metric
from ..paths import ANNOTATIONS
from .evaluate_decisions import score_decisions
from .scoring import count_matches, person_key, prf, summarise

MEETINGS_TABLE = ANNOTATIONS / "eval" / "meetings.tsv"  # what each gold text states about its meeting
MEETING_FIELDS = ("meeting_date", "committee", "council")

REL_LABELS = ("HAS_ROLE", "AFFILIATED_WITH", "ROLE_IN_ORG")
STATUSES = ("present", "apologies", "substitute", "in_attendance", "chair")


def _casefolded_words(text: str | None) -> set[str]:
    return set((text or "").casefold().replace("’", "'").split())


def score_relations(records, docs) -> dict:
    """A predicted relation counts when both mentions match gold spans exactly and the label agrees."""
    counts = defaultdict(lambda: [0, 0, 0])
    by_evidence = defaultdict(lambda: [0, 0])  # evidence kind -> [correct, predicted]
    for record, doc in zip(records, docs):
        offsets = {span["id"]: (span["start"], span["end"]) for span in record["spans"] if span.get("id")}
        gold = {(offsets[rel["head_id"]], offsets[rel["child_id"]], rel["label"]) for rel in record["relations"]}
        predicted_rows = doc._.relations or []
        pred = {(tuple(row["head"]), tuple(row["tail"]), row["label"]) for row in predicted_rows}
        count_matches(gold, pred, counts)
        for row in predicted_rows:
            kind = "model" if row["evidence"] == "model" else "rule"
            by_evidence[kind][0] += (tuple(row["head"]), tuple(row["tail"]), row["label"]) in gold
            by_evidence[kind][1] += 1
    out = summarise(counts, REL_LABELS)
    out["precision_by_evidence"] = {
        kind: {"correct": correct, "predicted": predicted, "precision": _ratio(correct, predicted)}
        for kind, (correct, predicted) in by_evidence.items()
    }
    return out


def score_attendance(records, docs) -> dict:
    """(person, status) pairs; names compared by `person_key`. Also person-only F1 (status ignored)."""
    counts = defaultdict(lambda: [0, 0, 0])
    name_counts = [0, 0, 0]  # true positives, false positives, false negatives of names alone
    for record, doc in zip(records, docs):
        gold = {(person_key(row["person"]), row["status"]) for row in record.get("attendance", [])}
        pred = {(person_key(row["person"]), row["status"]) for row in (doc._.attendance or [])}
        count_matches(gold, pred, counts)
        gold_names, predicted_names = {person for person, _ in gold}, {person for person, _ in pred}
        name_counts[0] += len(gold_names & predicted_names)
        name_counts[1] += len(predicted_names - gold_names)
        name_counts[2] += len(gold_names - predicted_names)
    out = summarise(counts, STATUSES)
    out["person_only"] = prf(*name_counts)
    return out


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def score_metrics(records, docs) -> dict:
    """Gold METRIC mentions: found exactly by NER, and for those, value/unit/indicator/period agreement."""
    n_gold = found = value_ok = unit_ok = indicator_exact = indicator_overlap = with_indicator = period_ok = 0
    parser_value_ok = parser_unit_ok = 0
    for record, doc in zip(records, docs):
        text = record["text"]
        predicted = {(row["start_char"], row["end_char"]): row for row in (doc._.metrics or [])}
        for gold in record.get("metrics", []):
            n_gold += 1
            before, after = text[max(0, gold["start"] - 60) : gold["start"]], text[gold["end"] : gold["end"] + 60]
            parsed = parse_metric(gold["text"], before, after)
            if parsed:
                parser_value_ok += abs(parsed.value - gold["value"]) < 1e-6
                parser_unit_ok += parsed.unit == gold["unit"]
            pred = predicted.get((gold["start"], gold["end"]))
            if pred is None:
                continue
            found += 1
            value_ok += pred["value"] is not None and abs(pred["value"] - gold["value"]) < 1e-6
            unit_ok += pred["unit"] == gold["unit"]
            period_ok += (pred.get("period") or None) == (gold.get("period") or None)
            if gold.get("indicator"):
                with_indicator += 1
                indicator_exact += (pred.get("indicator") or "").casefold() == gold["indicator"].casefold()
                gold_words = _casefolded_words(gold["indicator"])
                predicted_words = _casefolded_words(pred.get("indicator"))
                shared = len(gold_words & predicted_words) / len(gold_words | predicted_words) if gold_words else 0
                indicator_overlap += bool(gold_words and predicted_words and shared >= 0.5)
    return {
        "gold_metrics": n_gold,
        "found_by_ner": _ratio(found, n_gold),
        "value_exact": _ratio(value_ok, found),
        "unit_exact": _ratio(unit_ok, found),
        "indicator_exact": _ratio(indicator_exact, with_indicator),
        "indicator_overlap": _ratio(indicator_overlap, with_indicator),
        "period_exact": _ratio(period_ok, found),
        "value_exact_on_gold_spans": _ratio(parser_value_ok, n_gold),
        "unit_exact_on_gold_spans": _ratio(parser_unit_ok, n_gold),
    }


@lru_cache(maxsize=1)
def stated_meetings() -> dict[str, dict[str, str]]:
    """doc_name -> the meeting fields its text states (annotations/eval/meetings.tsv; empty when absent)."""
    if not MEETINGS_TABLE.is_file():
        return {}
    with MEETINGS_TABLE.open(encoding="utf-8", newline="") as handle:
        return {row["doc_name"]: row for row in csv.DictReader(handle, delimiter="\t")}


def _same(field: str, gold: str, predicted) -> bool:
    if field == "meeting_date":
        return str(predicted or "") == gold
    return " ".join(str(predicted or "").casefold().replace("’", "'").split()) == " ".join(
        gold.casefold().replace("’", "'").split()
    )


def score_meetings(records, docs, stated: dict | None = None) -> dict:
    """Per meeting field, over the documents whose text states it: correct, wrong (another value), missing.

    "None is better than wrong": a wrong value is counted apart from a missing one."""
    stated = stated_meetings() if stated is None else stated
    out = {field: {"stated": 0, "correct": 0, "wrong": 0, "missing": 0} for field in MEETING_FIELDS}
    for record, doc in zip(records, docs):
        gold = stated.get(record["meta"]["doc_name"])
        if not gold:
            continue
        meeting = doc._.meeting or {}
        for field in MEETING_FIELDS:
            if not gold.get(field):
                continue
            counts = out[field]
            counts["stated"] += 1
            predicted = meeting.get(field)
            if predicted in (None, ""):
                counts["missing"] += 1
            elif _same(field, gold[field], predicted):
                counts["correct"] += 1
            else:
                counts["wrong"] += 1
    for counts in out.values():
        counts["accuracy"] = _ratio(counts["correct"], counts["stated"])
    return out


def score_facts(records, docs) -> dict:
    """Relations, attendance, metric, meeting and decision scores for documents the full pipeline has annotated."""

    return {
        "relations": score_relations(records, docs),
        "attendance": score_attendance(records, docs),
        "metrics": score_metrics(records, docs),
        "meetings": score_meetings(records, docs),
        "decisions": score_decisions(records, docs),
    }
