"""Training noise: the same data trained with several seeds, per-label F1 spread on the fixed split.

The guard (guard.py) refuses a candidate only when a label's drop exceeds this spread as well as the
document-resampling interval: a change smaller than what a different seed alone produces is not evidence.
`minutes noise --model cnn --seeds 1 2 3 4` writes pipeline/configs/<model>.noise.json (about 4 min a seed here).
Scores are the NER's own predictions, without the rule components after it, as the guard compares them.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..nlp import load_nlp
from ..paths import BUILD, CONFIGS, MODELS
from .guard import pooled_f1, seed_tolerance
from .scoring import LABELS, load_split_records
from .train import NAMES_LABEL, merge_docbins, names_test_counts, per_document_counts, train_candidate

GUARD_LABELS = (*LABELS, NAMES_LABEL)


def seed_scores(nlp, test: list[dict]) -> dict[str, float]:
    """F1 per label on the fixed split and PERSON F1 on the names test, scored as the guard scores them."""
    _, counts = per_document_counts(nlp, test)
    counts += names_test_counts(nlp)
    return {label: pooled_f1(counts, label) for label in GUARD_LABELS}


def measure_training_noise(model: str = "cnn", seeds: tuple[int, ...] = (1, 2, 3), build: Path = BUILD) -> dict:
    """Train `model` once per seed on the same data; per-label F1 on the fixed split and its spread (max - min)."""
    work = MODELS / ".noise" / model
    train_path = work / "train_main.spacy"
    merge_docbins([build / "train.spacy", *sorted((build / "seeds").glob("*.spacy"))], train_path)
    test = load_split_records(build, "test")
    per_seed = {}
    for seed in seeds:
        best = train_candidate(
            model, train_path, build / "dev.spacy", work / f"seed{seed}", extra={"training.seed": seed}
        )
        per_seed[str(seed)] = seed_scores(load_nlp(best), test)
    spread = {
        label: round(max(f1[label] for f1 in per_seed.values()) - min(f1[label] for f1 in per_seed.values()), 4)
        for label in GUARD_LABELS
    }
    result = {
        "model": model,
        "test_docs": len(test),
        "command": f"minutes noise --model {model} --seeds {' '.join(map(str, seeds))}",
        "per_seed_f1": per_seed,
        "spread": spread,
    }
    result["tolerance"] = {label: seed_tolerance(result, label) for label in GUARD_LABELS}
    out = CONFIGS / f"{model}.noise.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result
