"""The retraining guard: does a candidate model score worse than the current one by more than noise?

Both models are scored on the same held-out documents. Per label, a paired bootstrap over documents
(resample documents with replacement, pool each model's tp/fp/fn over the sample, take the F1 difference)
gives an interval for new-minus-old F1. A label is a regression only when the whole interval lies below
zero, i.e. the drop is larger than what resampling the documents alone produces; a small label whose
score moves by one mention is noise, not a regression. Pure functions: no spaCy, no files.
"""

from __future__ import annotations

import json
import math
import random
import statistics
from dataclasses import dataclass
from pathlib import Path

from .scoring import LABELS, prf

Counts = dict[str, list[int]]  # label -> [tp, fp, fn] for one document

BOOTSTRAP_SAMPLES = 2000
CONFIDENCE = 0.95


def training_noise(path: Path) -> dict[str, float]:
    """Per-label tolerance for training-seed noise, from `minutes noise` (0 when not measured).

    Current and candidate are two independent trainings, so their F1 difference has sd sqrt(2)*sigma, where
    sigma is the seed-to-seed sd on the fixed split (the NER's own predictions). The tolerance is the two-sided
    95% bound of that difference, 1.96*sqrt(2)*sigma, and never less than the observed spread (max - min).
    """
    if not path.is_file():
        return {}
    measured = json.loads(path.read_text(encoding="utf-8"))
    return {label: seed_tolerance(measured, label) for label in measured["spread"]}


def seed_tolerance(measured: dict, label: str) -> float:
    """The drop one label may show between two trainings that differ only by chance (see training_noise)."""
    spread = float(measured["spread"][label])
    scores = [f1[label] for f1 in measured.get("per_seed_f1", {}).values() if label in f1]
    if len(scores) < 2:
        return spread
    return round(max(spread, 1.96 * math.sqrt(2) * statistics.stdev(scores)), 4)


def regressions(comparisons: list[LabelComparison], noise: dict[str, float]) -> list[LabelComparison]:
    """Labels whose drop is larger than both resampling noise (interval below 0) and training-seed noise."""
    return [c for c in comparisons if c.regressed and (c.old_f1 - c.new_f1) > noise.get(c.label, 0.0)]


def comparison_table(comparisons: list[LabelComparison]) -> str:
    """The guard's evidence, one line per label."""
    return "\n".join("  " + c.describe() for c in comparisons)


def document_counts(gold_spans: list[tuple[int, int, str]], predicted: list[tuple[int, int, str]]) -> Counts:
    """tp/fp/fn per label for one document, exact (start, end, label) match."""
    gold, pred = set(gold_spans), set(predicted)
    counts: Counts = {}
    for items, slot in ((pred & gold, 0), (pred - gold, 1), (gold - pred, 2)):
        for _start, _end, label in items:
            counts.setdefault(label, [0, 0, 0])[slot] += 1
    return counts


def pooled_f1(docs: list[Counts], label: str) -> float:
    """F1 of one label with tp/fp/fn pooled over the documents."""
    tp = sum(d.get(label, [0, 0, 0])[0] for d in docs)
    fp = sum(d.get(label, [0, 0, 0])[1] for d in docs)
    fn = sum(d.get(label, [0, 0, 0])[2] for d in docs)
    return prf(tp, fp, fn)["f1"]


@dataclass(frozen=True)
class LabelComparison:
    """One label, candidate against current model, on the same documents."""

    label: str
    support: int
    old_f1: float
    new_f1: float
    low: float  # bootstrap interval of new_f1 - old_f1
    high: float

    @property
    def regressed(self) -> bool:
        return self.support > 0 and self.high < 0

    def describe(self) -> str:
        return (
            f"{self.label} F1 {self.old_f1:.3f} -> {self.new_f1:.3f} (support {self.support}; "
            f"{CONFIDENCE:.0%} interval of the change [{self.low:+.3f}, {self.high:+.3f}])"
        )


def compare_models(
    old: list[Counts], new: list[Counts], labels=LABELS, samples: int = BOOTSTRAP_SAMPLES, seed: int = 0
) -> list[LabelComparison]:
    """Paired bootstrap over documents: `old[i]` and `new[i]` are the two models' counts on document i."""
    if len(old) != len(new):
        raise ValueError(f"paired comparison needs the same documents: {len(old)} vs {len(new)}")
    rng = random.Random(seed)
    n = len(old)
    draws = [[rng.randrange(n) for _ in range(n)] for _ in range(samples)] if n else []
    tail = (1 - CONFIDENCE) / 2
    result = []
    for label in labels:
        support = sum(d.get(label, [0, 0, 0])[0] + d.get(label, [0, 0, 0])[2] for d in old)
        deltas = sorted(
            pooled_f1([new[i] for i in draw], label) - pooled_f1([old[i] for i in draw], label) for draw in draws
        )
        low = deltas[int(tail * len(deltas))] if deltas else 0.0
        high = deltas[min(len(deltas) - 1, int((1 - tail) * len(deltas)))] if deltas else 0.0
        result.append(
            LabelComparison(label, support, pooled_f1(old, label), pooled_f1(new, label), round(low, 4), round(high, 4))
        )
    return result


def f1_intervals(docs: list[Counts], labels=LABELS, samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> dict:
    """Per label (and micro), the bootstrap interval over documents of the pooled F1: how much the score
    would move on another sample of documents like these."""
    rng = random.Random(seed)
    n = len(docs)
    draws = [[rng.randrange(n) for _ in range(n)] for _ in range(samples)] if n else []
    tail = (1 - CONFIDENCE) / 2
    micro = [{"all": [sum(c[i] for c in d.values()) for i in range(3)]} for d in docs]
    result = {}
    for label, table in [*((label, docs) for label in labels), ("micro", micro)]:
        key = "all" if label == "micro" else label
        values = sorted(pooled_f1([table[i] for i in draw], key) for draw in draws)
        if values:
            result[label] = [
                round(values[int(tail * len(values))], 4),
                round(values[int((1 - tail) * len(values)) - 1], 4),
            ]
    return result
