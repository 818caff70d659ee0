"""Engines: bounded, lazy batches; only counts come back from a batch; local worker processes give the
same tables as the in-process run; the benchmark code path runs end to end on a tiny corpus."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.engine import ExtractSettings, run_extract
from pipeline.engine.compare import differences
from pipeline.engine.plan import part_key
from pipeline.engine.runner import (
    NLP_BATCH_MAX,
    batch_size_for,
    make_batches,
    make_jobs,
    nlp_batch_size,
)
from pipeline.ingest import CorpusFile, scan_corpus
from pipeline.paths import REPO
from tests.helpers import SEED_PATHS


def _files(tmp_path: Path, sizes: list[int]) -> list[CorpusFile]:
    out = []
    for i, n in enumerate(sizes):
        p = tmp_path / f"f{i:03d}.txt"
        p.write_bytes(b"x" * n)
        out.append(CorpusFile(p.name, str(p), hashlib.sha256(p.read_bytes()).hexdigest()))
    return out


def test_batches_are_lazy_and_bounded_by_files_and_bytes(tmp_path):
    files = _files(tmp_path, [100] * 10 + [5000] + [100] * 3)
    batches = make_batches(files, batch_files=4, batch_bytes=1000)
    assert iter(batches) is batches  # a generator: batches exist only while an engine works on them
    got = [[f.source_path for f in b] for b, _ in batches]
    assert [len(b) for b in got] == [4, 4, 2, 1, 3]  # 4 files at most; the big file alone
    assert sum(got, []) == [f.source_path for f in files]  # every file once, in order


def test_settings_are_one_frozen_value_that_pickles():
    settings = ExtractSettings(batch_files=3, max_chars=10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.doc_seconds = 1  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(settings)) == settings  # travels to worker processes and Dask tasks
    assert settings.reader_limits() == {"max_chars": 10}  # only the limits that are set reach read_documents
    assert ExtractSettings().doc_seconds == 600 and ExtractSettings().nlp_batch_size is None


def test_part_key_from_content_or_from_path():
    digest = hashlib.sha256(b"minutes").hexdigest()
    assert part_key(CorpusFile("a.txt", "/c/a.txt", digest)) == digest[:24]
    assert part_key(CorpusFile("b.txt", "/c/b.txt", digest)) == digest[:24]  # same content, same parts
    unreadable = part_key(CorpusFile("a.txt", "/c/a.txt", None, "cannot read the file"))
    assert unreadable.startswith("p") and len(unreadable) == 24 and unreadable != digest[:24]


def test_pipeline_is_cached_once_per_process_and_model():
    from pipeline import nlp as nlp_module

    first = nlp_module.cached_nlp(None)
    held = nlp_module.cache_size()
    assert held >= 1
    assert nlp_module.cached_nlp(None) is first and nlp_module.cache_size() == held


def test_workers_get_batches_that_shrink_towards_the_end(tmp_path):
    assert batch_size_for(100, 16, 1) == 16
    assert batch_size_for(100, 16, 2) == 13  # never larger than --batch-files
    assert batch_size_for(3, 16, 2) == 1
    files = _files(tmp_path, [10] * 100)
    sizes = [len(b) for b, _ in make_batches(files, 16, slots=2)]
    assert sum(sizes) == 100 and max(sizes) <= 16
    assert (
        sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
    )  # the last batches are small: workers finish together
    assert [len(b) for b, _ in make_batches(files, 16)] == [16] * 6 + [4]  # one process: plain --batch-files


def test_nlp_minibatch_follows_document_size(tmp_path):
    assert nlp_batch_size(100_000) == 1  # long minutes: one document per spaCy minibatch
    assert nlp_batch_size(10) == NLP_BATCH_MAX
    files = _files(tmp_path, [500, 600, 20_000])
    ((batch, settings),) = list(make_jobs(files, ExtractSettings(batch_files=16)))
    assert len(batch) == 3 and settings.nlp_batch_size == 1
    ((_, settings),) = list(make_jobs(files, ExtractSettings(batch_files=16, nlp_batch_size=7)))
    assert settings.nlp_batch_size == 7  # an explicit setting wins


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus")
    for p in SEED_PATHS[:3]:
        shutil.copy(p, corpus / p.name)
    return corpus


def test_inline_run_reports_counts_per_process(small_corpus, tmp_path):
    summary = run_extract(small_corpus, tmp_path / "out", None, settings=ExtractSettings(batch_files=1))
    assert summary.engine == "inline" and summary.files_processed == 3
    assert list(summary.workers) == [f"{socket.gethostname()}:{os.getpid()}"]
    (w,) = summary.workers.values()
    assert w["batches"] == 3 and w["files"] == 3 and w["model_loads"] <= 1
    assert {"scan", "plan", "batches", "stale", "corpus_tables"} <= set(summary.stage_seconds)
    assert {"ingest", "nlp", "rows", "write"} <= set(summary.stats.stage_seconds)


def test_worker_processes_equal_inline_run(small_corpus, tmp_path):
    inline = run_extract(small_corpus, tmp_path / "inline", None)
    multi = run_extract(small_corpus, tmp_path / "multi", None, workers=2, settings=ExtractSettings(batch_files=1))
    one_by_one = run_extract(small_corpus, tmp_path / "one_by_one", None, settings=ExtractSettings(batch_files=1))
    assert multi.engine == "processes" and multi.stats.documents == inline.stats.documents == 3
    assert os.getpid() not in {int(k.rsplit(":", 1)[1]) for k in multi.workers}
    assert 1 <= len(multi.workers) <= 2
    assert all(w["model_loads"] == 1 for w in multi.workers.values())  # once per process, not per batch
    assert differences(tmp_path / "inline", tmp_path / "multi") == []
    assert differences(tmp_path / "one_by_one", tmp_path / "multi") == []
    # one part per table per batch (3 batches of one file; the inline run's default batch takes all 3), named
    # by the batch's files: the same batches give the same names whichever process wrote them
    assert one_by_one.files_processed == 3
    for table in ("documents", "entities", "attendance"):
        assert len(list((tmp_path / "inline" / table).iterdir())) == 1
        assert sorted(p.name for p in (tmp_path / "one_by_one" / table).iterdir()) == sorted(
            p.name for p in (tmp_path / "multi" / table).iterdir()
        )


def test_perturbed_copies_have_distinct_hashes(tmp_path):
    sys.path.insert(0, str(REPO))
    from benchmarks.corpus import make_corpus

    info = make_corpus(REPO / "corpus", tmp_path / "c", 3)
    files = scan_corpus(tmp_path / "c")
    assert info["files"] == len(files) == 3 * len(list((REPO / "corpus").iterdir()))
    assert len({f.sha256 for f in files}) == len(files)


def test_benchmark_smoke(tmp_path):
    """The benchmark code path on a tiny corpus with a tiny trained NER (no timing assertions)."""
    sys.path.insert(0, str(REPO))
    from benchmarks.tiny import train_tiny_ner

    model = train_tiny_ner(tmp_path / "tiny")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_PATHS[0], corpus / SEED_PATHS[0].name)
    results, raw = tmp_path / "RESULTS.md", tmp_path / "raw.json"
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.run",
        "--model",
        str(model),
        "--corpus",
        str(corpus),
        "--sizes",
        "1,2",
        "--repeat",
        "1",
        "--workers",
        "2",
        "--results",
        str(results),
        "--json",
        str(raw),
    ]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    text = results.read_text()
    for heading in ("## Machine", "## Throughput", "## Time per stage", "## Memory", "## Workers"):
        assert heading in text
    data = json.loads(raw.read_text())
    one = data["sizes"]["1"]["extract"][0]
    assert one["documents"] == 1 and one["peak_rss"] > 0 and "ner" in one["components"]
    assert data["sizes"]["2"]["extract"][0]["documents"] == 2  # the perturbed copy is processed, not deduplicated
    assert one["baselines"]["ner"]["cpu"] > 0 and one["baselines"]["tokenizer"]["cpu"] > 0
    # the bare model runs the trained components and none of the extraction's rules
    bare_pipes = one["baselines"]["model"]["pipes"]
    assert "ner" in bare_pipes and not any(name.startswith("minutes_") for name in bare_pipes)
    two = data["workers"]["2"][0]["workers_seen"]
    assert 1 <= len(two) <= 2 and all(w["model_loads"] == 1 for w in two.values())
