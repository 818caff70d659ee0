"""Per-label evaluation on held-out gold, real and written-for-training documents reported apart.

`evaluate_model(model, build, loo)` (the CLI: `minutes evaluate --model cnn|trf [--no-loo]`):

(a) the fixed held-out split of written-for-training documents, scored with models/<model>;
(b) the real seeds by leave-one-document-out: for each seed a model is trained on everything except
    that seed (written train docs + the other seeds) and scores that seed. Fold models are cached
    under models/.loo/<model>/<seed>/ and retrained only when the gold data or config change.
Writes models/<model>/evaluation.json and regenerates the model card models/README.md.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import spacy

from ..nlp import load_nlp
from ..paths import BUILD, MODELS
from .evaluate_facts import score_facts
from .model_card import write_model_card
from .scoring import load_split_records, predict, score_ner
from .train import fingerprint, merge_docbins, relation_training_records, train_candidate, training_inputs


def score_all_with_docs(nlp, records: list[dict], docs) -> dict:
    """Every score for documents already annotated: NER, relations, attendance and metrics."""
    return {"ner": score_ner(nlp, records, docs), **score_facts(records, docs)}


def score_all(nlp, records: list[dict]) -> dict:
    """Every score for a set of documents, annotated here by `nlp`."""
    return score_all_with_docs(nlp, records, predict(nlp, records))


def loo_seeds(model: str, build: Path) -> dict:
    """Leave-one-document-out over the real seeds."""
    seeds = sorted(path.stem for path in (build / "seeds").glob("*.spacy"))
    records = {record["meta"]["doc_name"]: record for record in load_split_records(build, "loo")}
    inputs_fingerprint = fingerprint(*training_inputs(build, model))
    per_seed, all_docs, all_records = {}, [], []
    for seed in seeds:
        fold = MODELS / ".loo" / model / seed
        stamp = fold / "fingerprint"
        if not (stamp.exists() and stamp.read_text() == inputs_fingerprint and (fold / "model-best").is_dir()):
            others = [build / "train.spacy"] + [build / "seeds" / f"{other}.spacy" for other in seeds if other != seed]
            train_path = build / "loo" / f"{seed}.train.spacy"
            merge_docbins(others, train_path)
            started = time.perf_counter()
            train_candidate(model, train_path, build / "dev.spacy", fold)
            print(f"fold {seed}: trained in {time.perf_counter() - started:.0f}s")
            stamp.write_text(inputs_fingerprint)
        nlp = load_nlp(fold / "model-best")
        nlp.get_pipe("minutes_relations").initialize(records=relation_training_records(build, exclude_seed=seed))
        record = records[seed]
        docs = predict(nlp, [record])
        per_seed[seed] = score_all_with_docs(nlp, [record], docs)
        all_docs += docs
        all_records.append(record)
        del nlp
    combined = score_all_with_docs(None, all_records, all_docs)
    return {"per_seed": per_seed, "combined": combined, "seeds": seeds}


def format_table(result: dict, title: str) -> str:
    """A Markdown table of per-label and micro scores under a title."""
    lines = [f"{title}", "", "| label | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
    for label, row in result["per_label"].items():
        lines.append(f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} |")
    micro = result["micro"]
    lines.append(
        f"| **micro** | {micro['precision']:.3f} | {micro['recall']:.3f} | **{micro['f1']:.3f}** | {micro['support']} |"
    )
    return "\n".join(lines)


def evaluate_model(model: str = "cnn", build: Path = BUILD, loo: bool = True) -> int:
    """Score models/<model> (and, with `loo`, the seed folds), write evaluation.json and the model card; returns 0."""
    spacy.util.fix_random_seed(42)
    target = MODELS / model
    nlp = load_nlp(target)
    test = load_split_records(build, "test")
    started = time.perf_counter()
    fixed = score_all(nlp, test)
    fixed["words"] = sum(len(record["text"].split()) for record in test)
    fixed["seconds"] = round(time.perf_counter() - started, 2)
    result = {"model": model, "version": nlp.meta.get("version"), "fixed_split": fixed}
    print(format_table(fixed["ner"], f"## {model}: written-for-training, fixed held-out split ({len(test)} docs)"))
    if loo:
        seeds_loo = loo_seeds(model, build)
        result["seeds_loo"] = seeds_loo
        print()
        title = f"## {model}: real seeds, leave-one-document-out ({len(seeds_loo['seeds'])} docs)"
        print(format_table(seeds_loo["combined"]["ner"], title))
    for key in ("relations", "attendance", "metrics"):
        if key in fixed:
            print(f"\n{key} (fixed split): {json.dumps(fixed[key])}")
            if "seeds_loo" in result:
                print(f"{key} (seeds LOO): {json.dumps(result['seeds_loo']['combined'][key])}")
    (target / "evaluation.json").write_text(json.dumps(result, indent=2) + "\n")
    write_model_card()
    return 0
