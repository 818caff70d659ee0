"""annotations/**/*.ann -> annotations/build/gold.jsonl (Prodigy-compatible) and DocBins per split.

`python -m pipeline.training.build --out annotations/build`. Any markup error stops the build.
Splits: written-for-training docs are train/dev/test by a hash of their name (dev only picks the best
checkpoint, test is never trained on); real seeds are `loo` — scored by leave-one-document-out.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

from .markup import MarkupError, load_ann_file

REPO = Path(__file__).resolve().parents[2]


def load_gold(repo: Path = REPO) -> list[dict]:
    """Every gold record, in a stable order (seeds first, then written docs by name)."""
    files = sorted((repo / "annotations" / "seeds").glob("*.ann")) + sorted((repo / "annotations" / "written").glob("*.ann"))
    return [load_ann_file(p, repo) for p in files]


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(path: Path, records) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(path)


def add_tokens(nlp, rec: dict) -> dict:
    """Prodigy fields: tokens, token_start/token_end on spans, head/child token indices on relations."""
    doc = nlp.make_doc(rec["text"])
    rec["tokens"] = [{"text": t.text, "start": t.idx, "end": t.idx + len(t), "id": t.i, "ws": bool(t.whitespace_)} for t in doc]
    by_id = {}
    for sp in rec["spans"]:
        span = doc.char_span(sp["start"], sp["end"], alignment_mode="strict")
        if span is None:
            span = doc.char_span(sp["start"], sp["end"], alignment_mode="expand")
            sp["aligned"] = False
        sp["token_start"], sp["token_end"] = span.start, span.end - 1
        if sp.get("id"):
            by_id[sp["id"]] = sp
    for rel in rec["relations"]:
        head, child = by_id[rel["head_id"]], by_id[rel["child_id"]]
        rel.update(head=head["token_end"], child=child["token_end"],
                   head_span={k: head[k] for k in ("start", "end", "token_start", "token_end", "label")},
                   child_span={k: child[k] for k in ("start", "end", "token_start", "token_end", "label")})
    return rec


def record_to_doc(nlp, rec: dict) -> tuple[Doc, int]:
    """A Doc with gold entities; returns it and the number of spans that do not align to tokens."""
    doc = nlp.make_doc(rec["text"])
    ents, misaligned = [], 0
    for sp in rec["spans"]:
        span = doc.char_span(sp["start"], sp["end"], label=sp["label"], alignment_mode="strict")
        if span is None:
            misaligned += 1
            span = doc.char_span(sp["start"], sp["end"], label=sp["label"], alignment_mode="expand")
        ents.append(span)
    ents = spacy.util.filter_spans(ents)
    doc.ents = ents
    doc.user_data["doc_name"] = rec["meta"]["doc_name"]
    return doc, misaligned


NBSP_EVERY = 3  # one training doc in three gets an extra copy with non-breaking spaces inside names


def with_nbsp_names(rec: dict) -> dict | None:
    """A copy of a record whose PERSON spans use non-breaking spaces ("N\u00a0Hennessy"), as real minutes
    exported from Word often do; the written docs never do, and the model otherwise splits such names.
    Same length, so every offset stays valid. None when the record has no multi-word PERSON."""
    chars = list(rec["text"])
    changed = False
    for sp in rec["spans"]:
        if sp["label"] == "PERSON":
            for i in range(sp["start"], sp["end"]):
                if chars[i] == " ":
                    chars[i], changed = "\u00a0", True
    if not changed:
        return None
    return {**rec, "text": "".join(chars), "meta": {**rec["meta"], "doc_name": rec["meta"]["doc_name"] + "+nbsp"}}


def write_docbins(nlp, records: list[dict], out: Path) -> dict[str, int]:
    """train/dev/test DocBins of written docs, plus one DocBin per seed for leave-one-out.

    Training DocBins (train, and each seed's for the folds that train on it) also get augmented copies
    (`with_nbsp_names`); dev and test never do."""
    bins: dict[str, DocBin] = {"train": DocBin(store_user_data=True), "dev": DocBin(store_user_data=True), "test": DocBin(store_user_data=True)}
    seeds: dict[str, DocBin] = {}
    misaligned = counts_aug = 0
    for i, rec in enumerate(records):
        doc, bad = record_to_doc(nlp, rec)
        misaligned += bad
        split = rec["meta"]["split"]
        target = seeds.setdefault(rec["meta"]["doc_name"], DocBin(store_user_data=True)) if split == "loo" else bins[split]
        target.add(doc)
        if split in ("train", "loo") and i % NBSP_EVERY == 0 and (extra := with_nbsp_names(rec)):
            target.add(record_to_doc(nlp, extra)[0])
            counts_aug += 1
    counts = {}
    for name, db in bins.items():
        db.to_disk(out / f"{name}.spacy")
        counts[name] = len(db)
    (out / "seeds").mkdir(exist_ok=True)
    for old in (out / "seeds").glob("*.spacy"):
        old.unlink()
    for name, db in seeds.items():
        db.to_disk(out / "seeds" / f"{name}.spacy")
    counts["seeds"] = len(seeds)
    counts["augmented_nbsp_copies"] = counts_aug
    counts["misaligned_spans"] = misaligned
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=REPO / "annotations" / "build")
    args = ap.parse_args(argv)
    try:
        records = load_gold()
    except (MarkupError, OSError, UnicodeDecodeError) as exc:
        print(f"annotation error: {exc}", file=sys.stderr)
        return 1
    if not records:
        print("no annotations found under annotations/seeds or annotations/written", file=sys.stderr)
        return 1
    from ..tokenizer import blank_nlp

    nlp = blank_nlp()
    args.out.mkdir(parents=True, exist_ok=True)
    records = [add_tokens(nlp, r) for r in records]
    counts = write_docbins(nlp, records, args.out)
    write_jsonl(args.out / "gold.jsonl", records)
    words = {}
    for r in records:
        key = r["meta"]["split"]
        words[key] = words.get(key, 0) + len(r["text"].split())
    summary = {"documents": len(records), "words_by_split": words, **counts}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
