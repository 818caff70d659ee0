"""Split membership is recorded in annotations/splits.json: adding files never moves a document."""

from __future__ import annotations

import json

import pytest

from pipeline.paths import ANNOTATIONS
from pipeline.training.markup import MarkupError, assign_split, record_new_splits, recorded_splits


def test_every_written_document_has_a_recorded_split():
    recorded = recorded_splits()
    written = {path.stem for path in (ANNOTATIONS / "written").glob("*.ann")}
    assert written <= set(recorded) and set(recorded.values()) <= {"train", "dev", "test"}
    assert sum(split == "test" for split in recorded.values()) >= 10


def test_recorded_documents_keep_their_split_and_new_ones_go_to_train():
    recorded = {"w001": "test", "w002": "train"}
    assert assign_split("w001", None, recorded, "w001.ann") == "test"
    assert assign_split("w990_control", None, recorded, "w990_control.ann") == "train"  # a copy lands in train
    assert assign_split("w991", "test", recorded, "w991.ann") == "test"  # the maintainer names a split
    with pytest.raises(MarkupError, match="never move"):
        assign_split("w001", "train", recorded, "w001.ann")
    with pytest.raises(MarkupError, match="one of train, dev, test"):
        assign_split("w992", "holdout", recorded, "w992.ann")


def test_new_documents_are_recorded_once(tmp_path):
    path = tmp_path / "splits.json"
    path.write_text(json.dumps({"comment": "c", "splits": {"w001": "test"}}))
    records = [
        {"meta": {"doc_name": "w001", "split": "test"}},
        {"meta": {"doc_name": "w005", "split": "train"}},
        {"meta": {"doc_name": "seed", "split": "loo"}},
    ]
    assert record_new_splits(records, path) == ["w005"]
    assert record_new_splits(records, path) == []
    assert json.loads(path.read_text())["splits"] == {"w001": "test", "w005": "train"}
