"""Per-label evaluation on held-out gold, real and written-for-training documents reported apart.

`evaluate_model(model, build, loo, folds)` (the CLI: `minutes evaluate --model cnn [--no-loo] [--no-folds]`):

(a) the fixed held-out split of written-for-training documents, scored with models/<model>;
(b) the real seeds by leave-one-document-out: for each seed a model is trained on everything except
    that seed (written train docs + the other seeds) and scores that seed. Fold models are cached
    under models/.loo/<model>/<seed>/ and retrained only when the gold data or config change;
(c) cross-council: grouped k-fold over the written documents by council (folds.py), every document
    scored by a model that never saw its council;
(d) the names test (names_test.py): PERSON recall on names of many origins in attendance lines.
Every NER score carries a bootstrap interval over documents. The off-the-shelf en_core_web_sm NER is
scored on the same documents as a peer row (peer.py, models/.peer/evaluation.json). Writes
models/<model>/evaluation.json and regenerates the model card models/README.md.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import spacy

from ..components.not_figures import load_not_figure_rules, not_figure_spans
from ..nlp import load_nlp
from ..paths import BUILD, MODELS
from .evaluate_facts import score_facts
from .folds import cross_council
from .guard import document_counts, f1_intervals
from .model_card import write_model_card
from .names_test import score_names
from .peer import PeerPipeline
from .scoring import load_split_records, predict, score_ner
from .train import fingerprint, merge_docbins, relation_training_records, train_candidate, training_inputs

PEER_EVALUATION = MODELS / ".peer" / "evaluation.json"


def ner_intervals(records: list[dict], docs) -> dict:
    """Bootstrap interval over documents of each label's F1 (and micro)."""
    counts = [
        document_counts(
            [(span["start"], span["end"], span["label"]) for span in record["spans"]],
            [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents],
        )
        for record, doc in zip(records, docs)
    ]
    return f1_intervals(counts)


def telephone_numbers_tagged(docs) -> int:
    """DATE or METRIC entities on a telephone number (the issue-13 check: must be 0 in every evaluation)."""
    rules = [rule for rule in load_not_figure_rules() if "phone" in rule.id]
    return sum(
        1
        for doc in docs
        for start, end, _, _ in not_figure_spans(doc.text, rules)
        for ent in doc.ents
        if ent.label_ in ("DATE", "METRIC") and ent.start_char < end and start < ent.end_char
    )


def score_all_with_docs(nlp, records: list[dict], docs) -> dict:
    """Every score for documents already annotated: NER (with intervals), relations, attendance and metrics."""
    ner = score_ner(nlp, records, docs)
    ner["intervals"] = ner_intervals(records, docs)
    ner["telephone_numbers_tagged"] = telephone_numbers_tagged(docs)
    return {"ner": ner, **score_facts(records, docs)}


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


def evaluate_peer(build: Path) -> dict:
    """The off-the-shelf en_core_web_sm NER on the fixed split, the seeds, every written doc and the names test."""
    peer = PeerPipeline()
    written = [r for split in ("train", "dev", "test") for r in load_split_records(build, split)]
    result = {"model": "en_core_web_sm 3.8.0 (off the shelf)"}
    for key, records in (
        ("fixed_split", load_split_records(build, "test")),
        ("seeds_loo", load_split_records(build, "loo")),
        ("cross_council", written),
    ):
        docs = list(peer.pipe(record["text"] for record in records))
        ner = score_ner(None, records, docs)
        ner["intervals"] = ner_intervals(records, docs)
        ner["telephone_numbers_tagged"] = telephone_numbers_tagged(docs)
        result[key] = {"combined": {"ner": ner}} if key == "seeds_loo" else {"ner": ner}
    result["names_test"] = score_names(peer)
    PEER_EVALUATION.parent.mkdir(parents=True, exist_ok=True)
    PEER_EVALUATION.write_text(json.dumps(result, indent=2) + "\n")
    return result


def print_scores(title: str, part: dict) -> None:
    print()
    print(format_table(part["ner"], title))


def evaluate_model(model: str = "cnn", build: Path = BUILD, loo: bool = True, folds: bool = True) -> int:
    """Score models/<model> (and, with `loo`/`folds`, the seed and council folds), write evaluation.json and
    the model card; returns 0."""
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
    result["names_test"] = names = score_names(nlp)
    print(
        f"\nnames test: PERSON recall {names['person_recall']:.3f} over {names['names']} names "
        f"(precision {names['person_precision']:.3f}); misses became {json.dumps(names['misses_became'])}"
    )
    del nlp
    if loo:
        seeds_loo = loo_seeds(model, build)
        result["seeds_loo"] = seeds_loo
        title = f"## {model}: real seeds, leave-one-document-out ({len(seeds_loo['seeds'])} docs)"
        print_scores(title, seeds_loo["combined"])
    if folds:
        inputs_fingerprint = fingerprint(*training_inputs(build, model))
        pooled = cross_council(model, build, inputs_fingerprint, train_candidate)
        council = score_all_with_docs(None, pooled["records"], pooled["docs"])
        council["folds"] = pooled["folds"]
        result["cross_council"] = council
        n_folds, n_docs = len(pooled["folds"]), len(pooled["records"])
        title = f"## {model}: cross-council, {n_folds} folds grouped by council ({n_docs} docs)"
        print_scores(title, council)
    for key in ("relations", "attendance", "metrics", "meetings"):
        if key in fixed:
            print(f"\n{key} (fixed split): {json.dumps(fixed[key])}")
            if "seeds_loo" in result:
                print(f"{key} (seeds LOO): {json.dumps(result['seeds_loo']['combined'][key])}")
    (target / "evaluation.json").write_text(json.dumps(result, indent=2) + "\n")
    evaluate_peer(build)
    write_model_card()
    return 0
