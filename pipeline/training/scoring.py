"""Entity scores: per-label precision, recall and F1 of predicted spans against gold, and the gold records.

Pure functions over gold records (`annotations/build/gold.jsonl`) and spaCy Docs; nothing here trains or
writes. A leaf module: train, evaluate, evaluate_facts and the model card build on it, it imports none of them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

LABELS = ("PERSON", "ROLE", "ORG", "DATE", "METRIC")


def load_gold_records(build: Path) -> list[dict]:
    """Every record of the built gold file, in its order."""
    with open(build / "gold.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_split_records(build: Path, split: str) -> list[dict]:
    """The gold records of one split: train, dev, test, or loo (the real seeds)."""
    return [record for record in load_gold_records(build) if record["meta"]["split"] == split]


def person_key(name: str) -> str:
    """A name as attendance rows are compared: casefolded, full stops and spacing ignored ("A. K. Mensah" is
    "A K Mensah"): how a name is punctuated is not which person it is."""
    return " ".join(name.replace(".", " ").casefold().split())


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall and F1 (rounded to 4 places) from true positive, false positive and false negative counts."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "support": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def count_matches(gold: set, pred: set, counts: dict, key=lambda item: item[-1]) -> None:
    """Add true positives, false positives and false negatives to counts[label], the label being `key(item)`."""
    for item in pred & gold:
        counts[key(item)][0] += 1
    for item in pred - gold:
        counts[key(item)][1] += 1
    for item in gold - pred:
        counts[key(item)][2] += 1


def summarise(counts: dict, labels=LABELS) -> dict:
    """Scores per label (every label in `labels`, counted or not) and micro-averaged over all counted labels."""
    per_label = {label: prf(*counts.get(label, [0, 0, 0])) for label in labels}
    totals = [sum(label_counts[i] for label_counts in counts.values()) for i in range(3)]
    return {"per_label": per_label, "micro": prf(*totals)}


def predict(nlp, records: list[dict]):
    """The pipeline's Docs for the records' texts."""
    texts = [record["text"] for record in records]
    return list(nlp.pipe(texts, batch_size=8))


def score_ner(nlp, records: list[dict], docs=None) -> dict:
    """Exact (start, end, label) match of predicted entities against gold spans."""
    docs = docs if docs is not None else predict(nlp, records)
    counts = defaultdict(lambda: [0, 0, 0])
    for record, doc in zip(records, docs):
        gold = {(span["start"], span["end"], span["label"]) for span in record["spans"]}
        pred = {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents}
        count_matches(gold, pred, counts)
    return summarise(counts)
