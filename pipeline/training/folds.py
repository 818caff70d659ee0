"""Cross-council evaluation: grouped k-fold over the written documents, no council in both train and test.

`council_folds(records, k)` puts every written document's council into one of `k` folds (largest councils
first, each into the fold with fewest documents so far; ties by a stable hash of the council's name), so a
fold's test documents come from councils its model never saw. `cross_council(model, build, k)` trains one
model per fold on the other folds' written documents plus the real seeds (the dev split's documents of
other councils pick the checkpoint), scores the fold's documents, and pools every fold's predictions:
per-label P/R/F1 with bootstrap intervals over documents. Fold models are cached under
models/.folds/<model>/<fold>/ and retrained only when the gold data or the config change.
"""

from __future__ import annotations

import re
import time
import zlib
from pathlib import Path

from spacy.tokens import DocBin

from ..nlp import load_nlp
from ..paths import MODELS
from .build import AUGMENTED_SUFFIX, NAME_SWAP_SUFFIX
from .scoring import load_gold_records, predict

FOLDS = 5
AUGMENTED_NAME = rf"(?:{re.escape(AUGMENTED_SUFFIX)}|{re.escape(NAME_SWAP_SUFFIX)}\d+)$"


def council_of(record: dict) -> str:
    return record["meta"].get("council") or record["meta"]["doc_name"]


def council_folds(records: list[dict], k: int = FOLDS) -> list[list[str]]:
    """The councils of each fold (written documents only), balanced by document count."""
    sizes: dict[str, int] = {}
    for record in records:
        sizes[council_of(record)] = sizes.get(council_of(record), 0) + 1
    folds: list[list[str]] = [[] for _ in range(k)]
    load = [0] * k
    for council in sorted(sizes, key=lambda name: (-sizes[name], zlib.crc32(name.encode()))):
        target = min(range(k), key=lambda i: (load[i], i))
        folds[target].append(council)
        load[target] += sizes[council]
    return folds


def _docbin_of(docs_by_name: dict, names: list[str], out: Path) -> Path:
    """A DocBin of the named training docs (their augmented copies included), written to `out`."""
    bin_ = DocBin(store_user_data=True)
    for name in names:
        for doc in docs_by_name.get(name, []):
            bin_.add(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(out)
    return out


def _docs_by_name(build: Path) -> dict[str, list]:
    """Every doc of the written DocBins and seed DocBins by its document name (augmented copies under the
    name of the document they copy)."""
    import spacy

    vocab = spacy.blank("en").vocab
    by_name: dict[str, list] = {}
    paths = [build / f"{split}.spacy" for split in ("train", "dev", "test")] + sorted((build / "seeds").glob("*.spacy"))
    for path in paths:
        for doc in DocBin(store_user_data=True).from_disk(path).get_docs(vocab):
            name = re.sub(AUGMENTED_NAME, "", doc.user_data.get("doc_name", ""))
            by_name.setdefault(name, []).append(doc)
    return by_name


def cross_council(model: str, build: Path, inputs_fingerprint: str, train_candidate, k: int = FOLDS) -> dict:
    """Train and score the k council folds; returns the pooled docs and records with the fold layout."""
    records = load_gold_records(build)
    written = [record for record in records if record["meta"]["split"] in ("train", "dev", "test")]
    seeds = [record["meta"]["doc_name"] for record in records if record["meta"]["split"] == "loo"]
    folds = council_folds(written, k)
    docs_by_name = _docs_by_name(build)
    all_records, all_docs, layout = [], [], []
    for index, councils in enumerate(folds):
        held_out = set(councils)
        test = [record for record in written if council_of(record) in held_out]
        train_names = [
            record["meta"]["doc_name"]
            for record in written
            if council_of(record) not in held_out and record["meta"]["split"] in ("train", "test")
        ] + seeds
        dev_names = [
            record["meta"]["doc_name"]
            for record in written
            if council_of(record) not in held_out and record["meta"]["split"] == "dev"
        ]
        fold = MODELS / ".folds" / model / f"fold{index}"
        stamp = fold / "fingerprint"
        key = f"{inputs_fingerprint}:{k}:{index}"
        if not (stamp.exists() and stamp.read_text() == key and (fold / "model-best").is_dir()):
            train_path = _docbin_of(docs_by_name, train_names, build / "folds" / f"{index}.train.spacy")
            dev_path = _docbin_of(docs_by_name, dev_names, build / "folds" / f"{index}.dev.spacy")
            started = time.perf_counter()
            train_candidate(model, train_path, dev_path, fold)
            print(f"council fold {index}: trained in {time.perf_counter() - started:.0f}s")
            stamp.write_text(key)
        nlp = load_nlp(fold / "model-best")
        trained_on = set(train_names)
        nlp.get_pipe("minutes_relations").initialize(
            records=[record for record in records if record["meta"]["doc_name"] in trained_on]
        )
        all_docs += predict(nlp, test)
        all_records += test
        layout.append({"councils": sorted(councils), "test_docs": len(test), "train_docs": len(train_names)})
        del nlp
    return {"records": all_records, "docs": all_docs, "folds": layout}
