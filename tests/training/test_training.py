"""Training's plain functions and their CLI commands: scoring, `minutes build-gold`, and the regression guard.

The guard tests stand the shipped model in for a freshly trained candidate, so they run in seconds;
they are skipped when no model or gold build exists yet (`make train` makes both).
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.nlp import refused_candidate_note
from pipeline.paths import BUILD, MODELS
from pipeline.training import train
from pipeline.training.guard import LabelComparison
from pipeline.training.scoring import LABELS, count_matches, prf, score_ner, summarise
from pipeline.training.train import NAMES_LABEL

runner = CliRunner()


def test_prf_counts_and_rounding():
    assert prf(2, 1, 1) == {
        "precision": 0.6667,
        "recall": 0.6667,
        "f1": 0.6667,
        "support": 3,
        "tp": 2,
        "fp": 1,
        "fn": 1,
    }
    assert prf(0, 0, 0)["f1"] == 0.0


def test_count_matches_and_summarise_per_label_and_micro():
    counts = defaultdict(lambda: [0, 0, 0])
    gold = {(0, 4, "PERSON"), (5, 9, "ROLE"), (10, 12, "ORG")}
    pred = {(0, 4, "PERSON"), (5, 9, "ORG")}
    count_matches(gold, pred, counts)
    summary = summarise(counts)
    assert list(summary["per_label"]) == list(LABELS)
    assert summary["per_label"]["PERSON"]["f1"] == 1.0
    org = summary["per_label"]["ORG"]
    assert (org["tp"], org["fp"], org["fn"]) == (0, 1, 1)
    assert summary["per_label"]["DATE"]["support"] == 0
    assert (summary["micro"]["tp"], summary["micro"]["fp"], summary["micro"]["fn"]) == (1, 1, 2)


def test_score_ner_exact_offsets():
    from pipeline.tokenizer import blank_nlp

    nlp = blank_nlp()
    text = "Cllr Jane Smith chaired."
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(5, 15, label="PERSON")]
    records = [{"text": text, "spans": [{"start": 0, "end": 15, "label": "PERSON"}]}]
    scores = score_ner(None, records, [doc])
    assert scores["per_label"]["PERSON"]["tp"] == 0 and scores["micro"]["fp"] == 1 and scores["micro"]["fn"] == 1


def test_build_gold_command(tmp_path):
    result = runner.invoke(app, ["build-gold", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["documents"] == len((tmp_path / "gold.jsonl").read_text().splitlines())
    assert all((tmp_path / f"{split}.spacy").is_file() for split in ("train", "dev", "test"))
    assert len(list((tmp_path / "seeds").glob("*.spacy"))) == summary["seeds"]


needs_model = pytest.mark.skipif(
    not ((MODELS / "cnn" / "meta.json").is_file() and (BUILD / "gold.jsonl").is_file()),
    reason="needs a trained models/cnn and annotations/build",
)


@pytest.fixture
def stand_in_training(tmp_path, monkeypatch):
    """train_model with models/ in tmp_path and the shipped cnn as the 'trained' candidate; returns the build."""
    build = tmp_path / "build"
    shutil.copytree(BUILD, build)
    (tmp_path / "models").mkdir()
    monkeypatch.setattr(train, "MODELS", tmp_path / "models")
    monkeypatch.setattr(train, "train_candidate", lambda model, train_path, dev, out, extra=None: MODELS / "cnn")
    return build


@needs_model
def test_train_accepts_then_guard_refuses_remembers_and_accepts_on_request(stand_in_training, tmp_path, monkeypatch):
    build = stand_in_training
    assert train.train_model("cnn", build) == 0
    current = tmp_path / "models" / "cnn"
    scores = json.loads((current / "scores.json").read_text())
    assert scores["model"] == "cnn" and scores["test_docs"] > 0
    assert train.train_model("cnn", build) == 0  # the same model again: no label moves, accepted
    scores = json.loads((current / "scores.json").read_text())
    assert {row["label"] for row in scores["guard"]} == {*LABELS, NAMES_LABEL}  # the paired comparison is recorded

    fake = LabelComparison("PERSON", 120, 0.93, 0.80, -0.18, -0.09)
    monkeypatch.setattr(train, "regressions", lambda comparisons, noise: [fake])
    before = (current / "scores.json").stat().st_mtime_ns
    monkeypatch.setattr(train, "fingerprint", lambda *paths: "0123456789ab")  # a new fingerprint: new annotations
    result = runner.invoke(app, ["train", "--no-rebuild", "--model", "cnn", "--build", str(build)])
    assert result.exit_code == 3
    assert (current / "scores.json").stat().st_mtime_ns == before  # the current model stays
    candidate = tmp_path / "models" / ".candidates" / "cnn"
    note = (candidate / "REFUSED").read_text()
    assert "PERSON F1 0.930 -> 0.800" in note and "support 120" in note and "interval" in note
    assert (candidate / "pipeline" / "meta.json").is_file() and (candidate / "scores.json").is_file()

    # remembered: the same annotations are not trained again
    monkeypatch.setattr(train, "train_candidate", lambda *args, **kwargs: pytest.fail("retrained after a refusal"))
    assert train.train_model("cnn", build) == 3
    assert "was refused" in (refused_candidate_note(current) or "")

    assert runner.invoke(app, ["accept", "--model", "cnn"]).exit_code == 0
    assert not (candidate / "REFUSED").exists() and refused_candidate_note(current) is None
    assert runner.invoke(app, ["accept", "--model", "cnn"]).exit_code == 2  # nothing left to accept
