"""Incremental runs: only changed, added (or renamed) files are processed again, by content hash, and the
output then equals a fresh full run over the new corpus, corpus-wide tables (people, role_history,
attendance.person_id) included."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from pipeline.engine import run_extract
from pipeline.engine.compare import differences, read_sorted
from pipeline.paths import REPO
from tests.helpers import SEED_PATHS


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    sys.path.insert(0, str(REPO))
    from benchmarks.tiny import train_tiny_ner

    return str(train_tiny_ner(tmp_path_factory.mktemp("model") / "tiny"))


def _corpus(path: Path) -> Path:
    path.mkdir()
    for p in SEED_PATHS:
        shutil.copy(p, path / p.name)
    return path


def test_changed_added_removed(tmp_path, model):
    sys.path.insert(0, str(REPO))
    from benchmarks.corpus import perturb

    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    first = run_extract(corpus, out, model)
    assert first.files_processed == len(SEED_PATHS) == 5 and first.stats.errors == 0

    changed, removed, source = SEED_PATHS[0].name, SEED_PATHS[4].name, SEED_PATHS[2]
    text = (corpus / changed).read_text(encoding="utf-8")
    (corpus / changed).write_text(text.replace("2019", "2020", 1) + "\nA late note was added.\n", encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "added.txt").write_text(perturb(source.read_text(encoding="utf-8"), 3), encoding="utf-8")
    (corpus / removed).unlink()

    again = run_extract(corpus, out, model)
    assert again.files_processed == 2  # the changed and the added file, nothing else
    assert again.files_skipped == 3
    assert again.stale_removed == 2  # parts of the old version of the changed file, and of the removed one
    assert again.stats.documents == 2

    fresh = run_extract(corpus, tmp_path / "fresh", model)
    assert fresh.files_processed == 5
    assert differences(out, tmp_path / "fresh") == []
    docs = read_sorted(out, "documents")
    assert sorted(docs.source_path) == sorted([*(p.name for p in SEED_PATHS[:4]), "sub/added.txt"])
    # corpus-wide tables were rebuilt over the new corpus: no person seen only in the removed file survives
    assert len(read_sorted(out, "attendance")) and read_sorted(out, "attendance").person_id.notna().all()


def test_unchanged_rerun_processes_nothing_and_renamed_file_is_redone(tmp_path, model):
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    run_extract(corpus, out, model)
    assert run_extract(corpus, out, model).files_processed == 0
    (corpus / SEED_PATHS[1].name).rename(corpus / "renamed.txt")  # same bytes, new path: rows must name the new path
    again = run_extract(corpus, out, model)
    assert again.files_processed == 1 and again.stale_removed == 0
    run_extract(corpus, tmp_path / "fresh", model)
    assert differences(out, tmp_path / "fresh") == []
