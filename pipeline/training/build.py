"""annotations/**/*.ann -> annotations/build/gold.jsonl (Prodigy-compatible) and DocBins per split.

`build_gold(out)` (the CLI: `minutes build-gold --out annotations/build`). Any markup error stops the build.
Splits: written-for-training docs are train/dev/test by a hash of their name (dev only picks the best
checkpoint, test is never trained on); real seeds are `loo` — scored by leave-one-document-out.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

from ..paths import BUILD, REPO
from ..tokenizer import blank_nlp
from .markup import MarkupError, load_ann_file, record_new_splits


def load_gold(repo: Path = REPO) -> list[dict]:
    """Every gold record, in a stable order (seeds first, then written docs by name)."""
    annotations = repo / "annotations"
    files = sorted((annotations / "seeds").glob("*.ann")) + sorted((annotations / "written").glob("*.ann"))
    return [load_ann_file(path, repo) for path in files]


def write_jsonl(path: Path, records) -> None:
    """One JSON object per line, written to a temporary file first and renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(path)


SPAN_FIELDS = ("start", "end", "token_start", "token_end", "label")


def add_tokens(nlp, record: dict) -> dict:
    """Prodigy fields: tokens, token_start/token_end on spans, head/child token indices on relations."""
    doc = nlp.make_doc(record["text"])
    record["tokens"] = [
        {
            "text": token.text,
            "start": token.idx,
            "end": token.idx + len(token),
            "id": token.i,
            "ws": bool(token.whitespace_),
        }
        for token in doc
    ]
    by_id = {}
    for gold_span in record["spans"]:
        span = doc.char_span(gold_span["start"], gold_span["end"], alignment_mode="strict")
        if span is None:
            span = doc.char_span(gold_span["start"], gold_span["end"], alignment_mode="expand")
            gold_span["aligned"] = False
        gold_span["token_start"], gold_span["token_end"] = span.start, span.end - 1
        if gold_span.get("id"):
            by_id[gold_span["id"]] = gold_span
    for relation in record["relations"]:
        head, child = by_id[relation["head_id"]], by_id[relation["child_id"]]
        relation.update(
            head=head["token_end"],
            child=child["token_end"],
            head_span={field: head[field] for field in SPAN_FIELDS},
            child_span={field: child[field] for field in SPAN_FIELDS},
        )
    return record


def record_to_doc(nlp, record: dict) -> tuple[Doc, int]:
    """A Doc with gold entities; returns it and the number of spans that do not align to tokens."""
    doc = nlp.make_doc(record["text"])
    ents, misaligned = [], 0
    for gold_span in record["spans"]:
        start, end, label = gold_span["start"], gold_span["end"], gold_span["label"]
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None:
            misaligned += 1
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
        ents.append(span)
    ents = spacy.util.filter_spans(ents)
    doc.ents = ents
    doc.user_data["doc_name"] = record["meta"]["doc_name"]
    return doc, misaligned


AUGMENTED_SUFFIX = "+nbsp"  # the document name of an augmented copy: the original's with this suffix
NBSP_EVERY = 3  # one training doc in three gets an extra copy with non-breaking spaces inside names


def with_nbsp_names(record: dict) -> dict | None:
    """A copy of a record whose PERSON spans use non-breaking spaces ("N\u00a0Hennessy"), as real minutes
    exported from Word often do; the written docs never do, and the model otherwise splits such names.
    Same length, so every offset stays valid. None when the record has no multi-word PERSON."""
    chars = list(record["text"])
    changed = False
    for gold_span in record["spans"]:
        if gold_span["label"] == "PERSON":
            for i in range(gold_span["start"], gold_span["end"]):
                if chars[i] == " ":
                    chars[i], changed = "\u00a0", True
    if not changed:
        return None
    meta = {**record["meta"], "doc_name": record["meta"]["doc_name"] + AUGMENTED_SUFFIX}
    return {**record, "text": "".join(chars), "meta": meta}


NAME_PARTS = REPO / "annotations" / "augment" / "name_parts.tsv"
NAME_SWAP_COPIES = 2  # extra copies of every training doc with its people renamed
NAME_SWAP_SUFFIX = "+names"
LOWER_WHOLE, LOWER_FIRST = 0.08, 0.08  # how often a renamed person is written all lower-case / first name lower
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$|^(?:[A-Z]\.)+$")


def load_name_parts(path: Path = NAME_PARTS) -> dict[str, list[str]]:
    """Given and family names of many origins for renaming people in training copies (never the names test's)."""
    parts: dict[str, list[str]] = {"given": [], "family": []}
    if not path.is_file():
        return parts
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            parts[row["kind"]].append(row["part"])
    return parts


def _new_name(old: str, rng: random.Random, parts: dict[str, list[str]], families: dict[str, str]) -> str:
    """A name of the same shape as `old`: a surname alone, initials and surname, given (middle) family."""
    tokens = old.split()
    if len(tokens) == 1:
        family = families.get(old) or rng.choice(parts["family"])
        families[old] = family
        return family
    family = families.get(tokens[-1]) or rng.choice(parts["family"])
    families[tokens[-1]] = family
    if _INITIALS.match(tokens[0]):
        style = rng.choice(("{} ", "{}. ", "{}.{}. ", "{} {} "))
        letters = [rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2)]
        return style.format(*letters).strip() + " " + family
    given = [rng.choice(parts["given"]) for _ in range(max(1, len(tokens) - 1) if rng.random() < 0.7 else 2)]
    name = " ".join([*given, family])
    roll = rng.random()
    if roll < LOWER_WHOLE:
        return name.lower()
    if roll < LOWER_WHOLE + LOWER_FIRST:
        return name[0].lower() + name[1:]
    return name


def with_swapped_names(record: dict, rng: random.Random, parts: dict[str, list[str]], copy: int) -> dict | None:
    """A copy of a training record whose PERSON mentions are other names of the same shape (a surname alone
    stays a surname alone, and follows its full name), some written in lower case as real minutes do; every
    other span keeps its text and moves with the new offsets. None without PERSON spans or name parts."""
    if not (parts["given"] and parts["family"]) or not any(s["label"] == "PERSON" for s in record["spans"]):
        return None
    text, families, renamed = record["text"], {}, {}
    pieces, spans, position, shift = [], [], 0, 0
    for span in sorted(record["spans"], key=lambda s: (s["start"], s["end"])):
        if span["start"] < position:
            continue  # overlapping spans do not occur in checked gold; keep the first
        pieces.append(text[position : span["start"]])
        original = text[span["start"] : span["end"]]
        new = original
        if span["label"] == "PERSON":
            new = renamed.get(original) or _new_name(original, rng, parts, families)
            renamed[original] = new
        start = span["start"] + shift
        pieces.append(new)
        spans.append({**span, "start": start, "end": start + len(new), "text": new})
        shift += len(new) - len(original)
        position = span["end"]
    pieces.append(text[position:])
    meta = {**record["meta"], "doc_name": record["meta"]["doc_name"] + f"{NAME_SWAP_SUFFIX}{copy}"}
    return {**record, "text": "".join(pieces), "spans": spans, "meta": meta}


def write_docbins(nlp, records: list[dict], out: Path) -> dict[str, int]:
    """train/dev/test DocBins of written docs, plus one DocBin per seed for leave-one-out.

    Training DocBins (train, and each seed's for the folds that train on it) also get augmented copies
    (`with_nbsp_names`, `with_swapped_names`); dev and test never do."""
    rng = random.Random(42)
    parts = load_name_parts()
    bins: dict[str, DocBin] = {split: DocBin(store_user_data=True) for split in ("train", "dev", "test")}
    seeds: dict[str, DocBin] = {}
    misaligned = augmented = renamed = 0
    for i, record in enumerate(records):
        doc, misaligned_here = record_to_doc(nlp, record)
        misaligned += misaligned_here
        split = record["meta"]["split"]
        if split == "loo":
            target = seeds.setdefault(record["meta"]["doc_name"], DocBin(store_user_data=True))
        else:
            target = bins[split]
        target.add(doc)
        if split in ("train", "loo") and i % NBSP_EVERY == 0 and (extra := with_nbsp_names(record)):
            target.add(record_to_doc(nlp, extra)[0])
            augmented += 1
        if split in ("train", "loo"):
            for copy in range(NAME_SWAP_COPIES):
                if swapped := with_swapped_names(record, rng, parts, copy):
                    target.add(record_to_doc(nlp, swapped)[0])
                    renamed += 1
    counts = {}
    for name, docbin in bins.items():
        docbin.to_disk(out / f"{name}.spacy")
        counts[name] = len(docbin)
    (out / "seeds").mkdir(exist_ok=True)
    for old in (out / "seeds").glob("*.spacy"):
        old.unlink()
    for name, docbin in seeds.items():
        docbin.to_disk(out / "seeds" / f"{name}.spacy")
    counts["seeds"] = len(seeds)
    counts["augmented_nbsp_copies"] = augmented
    counts["augmented_renamed_copies"] = renamed
    counts["misaligned_spans"] = misaligned
    return counts


def build_gold(out: Path = BUILD) -> int:
    """Check every .ann file and write gold.jsonl, the DocBins and summary.json to `out`.

    Exit status: 0 built, 1 a markup error (printed) or no annotations at all."""
    try:
        records = load_gold()
    except (MarkupError, OSError, UnicodeDecodeError) as exc:
        print(f"annotation error: {exc}", file=sys.stderr)
        return 1
    if not records:
        print("no annotations found under annotations/seeds or annotations/written", file=sys.stderr)
        return 1
    if new := record_new_splits(records):
        print(f"recorded the split of {len(new)} new document(s) in annotations/splits.json: " + ", ".join(new))
    nlp = blank_nlp()
    out.mkdir(parents=True, exist_ok=True)
    records = [add_tokens(nlp, record) for record in records]
    counts = write_docbins(nlp, records, out)
    write_jsonl(out / "gold.jsonl", records)
    words = {}
    for record in records:
        split = record["meta"]["split"]
        words[split] = words.get(split, 0) + len(record["text"].split())
    summary = {"documents": len(records), "words_by_split": words, **counts}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary))
    return 0
