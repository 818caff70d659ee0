"""Per-label evaluation on held-out gold, real and written-for-training documents reported apart.

`python -m pipeline.training.evaluate --model cnn|trf`

(a) the fixed held-out split of written-for-training documents, scored with models/<model>;
(b) the real seeds by leave-one-document-out: for each seed a model is trained on everything except
    that seed (written train docs + the other seeds) and scores that seed. Fold models are cached
    under models/.loo/<model>/<seed>/ and retrained only when the gold data or config change.
Writes models/<model>/evaluation.json and regenerates the model card models/README.md.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path

from .build import read_jsonl

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "models"
LABELS = ("PERSON", "ROLE", "ORG", "DATE", "METRIC")


def load_split_records(build: Path, split: str) -> list[dict]:
    return [r for r in read_jsonl(build / "gold.jsonl") if r["meta"]["split"] == split]


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}


def count_matches(gold: set, pred: set, counts: dict, key=lambda x: x[-1]) -> None:
    for item in pred & gold:
        counts[key(item)][0] += 1
    for item in pred - gold:
        counts[key(item)][1] += 1
    for item in gold - pred:
        counts[key(item)][2] += 1


def summarise(counts: dict, labels=LABELS) -> dict:
    per_label = {lab: prf(*counts.get(lab, [0, 0, 0])) for lab in labels}
    tot = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"per_label": per_label, "micro": prf(*tot)}


def predict(nlp, records: list[dict]):
    texts = [r["text"] for r in records]
    return list(nlp.pipe(texts, batch_size=8))


def score_ner(nlp, records: list[dict], docs=None) -> dict:
    """Exact (start, end, label) match of predicted entities against gold spans."""
    docs = docs if docs is not None else predict(nlp, records)
    counts = defaultdict(lambda: [0, 0, 0])
    for rec, doc in zip(records, docs):
        gold = {(s["start"], s["end"], s["label"]) for s in rec["spans"]}
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        count_matches(gold, pred, counts)
    return summarise(counts)


def score_all(nlp, records: list[dict]) -> dict:
    """Every score for a set of documents: NER, plus relations/attendance/metrics when the pipeline makes them."""
    return score_all_with_docs(nlp, records, predict(nlp, records))


def loo_seeds(model: str, build: Path) -> dict:
    """Leave-one-document-out over the real seeds."""
    import spacy

    from .train import fingerprint, merge_docbins, relation_training_records, train_candidate, training_inputs

    seeds = sorted(p.stem for p in (build / "seeds").glob("*.spacy"))
    records = {r["meta"]["doc_name"]: r for r in read_jsonl(build / "gold.jsonl") if r["meta"]["split"] == "loo"}
    fp = fingerprint(*training_inputs(build, model))
    per_seed, all_docs, all_recs = {}, [], []
    for seed in seeds:
        fold = MODELS / ".loo" / model / seed
        stamp = fold / "fingerprint"
        if not (stamp.exists() and stamp.read_text() == fp and (fold / "model-best").is_dir()):
            others = [build / "train.spacy"] + [build / "seeds" / f"{s}.spacy" for s in seeds if s != seed]
            train_path = build / "loo" / f"{seed}.train.spacy"
            merge_docbins(others, train_path)
            t0 = time.perf_counter()
            train_candidate(model, train_path, build / "dev.spacy", fold)
            print(f"fold {seed}: trained in {time.perf_counter() - t0:.0f}s")
            stamp.write_text(fp)
        from ..nlp import load_nlp

        nlp = load_nlp(fold / "model-best")
        nlp.get_pipe("minutes_relations").initialize(records=relation_training_records(build, exclude_seed=seed))
        rec = records[seed]
        docs = predict(nlp, [rec])
        per_seed[seed] = score_all_with_docs(nlp, [rec], docs)
        all_docs += docs
        all_recs.append(rec)
        del nlp
    combined = score_all_with_docs(None, all_recs, all_docs)
    return {"per_seed": per_seed, "combined": combined, "seeds": seeds}


def score_all_with_docs(nlp, records, docs) -> dict:
    out = {"ner": score_ner(nlp, records, docs)}
    try:
        from .evaluate_facts import score_facts
    except ImportError:
        return out
    out.update(score_facts(records, docs))
    return out


def format_table(result: dict, title: str) -> str:
    lines = [f"{title}", "", "| label | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
    for lab, row in result["per_label"].items():
        lines.append(f"| {lab} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} |")
    m = result["micro"]
    lines.append(f"| **micro** | {m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}** | {m['support']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    import spacy

    from ..nlp import load_nlp

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default="cnn")
    ap.add_argument("--build", type=Path, default=REPO / "annotations" / "build")
    ap.add_argument("--no-loo", action="store_true", help="skip the leave-one-out folds (fixed split only)")
    args = ap.parse_args(argv)
    spacy.util.fix_random_seed(42)
    target = MODELS / args.model
    nlp = load_nlp(target)
    test = load_split_records(args.build, "test")
    t0 = time.perf_counter()
    fixed = score_all(nlp, test)
    fixed["words"] = sum(len(r["text"].split()) for r in test)
    fixed["seconds"] = round(time.perf_counter() - t0, 2)
    result = {"model": args.model, "version": nlp.meta.get("version"), "fixed_split": fixed}
    print(format_table(fixed["ner"], f"## {args.model}: written-for-training, fixed held-out split ({len(test)} docs)"))
    if not args.no_loo:
        loo = loo_seeds(args.model, args.build)
        result["seeds_loo"] = loo
        print()
        print(format_table(loo["combined"]["ner"], f"## {args.model}: real seeds, leave-one-document-out ({len(loo['seeds'])} docs)"))
    for key in ("relations", "attendance", "metrics"):
        if key in fixed:
            print(f"\n{key} (fixed split): {json.dumps(fixed[key])}")
            if "seeds_loo" in result:
                print(f"{key} (seeds LOO): {json.dumps(result['seeds_loo']['combined'][key])}")
    (target / "evaluation.json").write_text(json.dumps(result, indent=2) + "\n")
    from .model_card import write_model_card

    write_model_card()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
