"""Dask distributed: a LocalCluster with 2 worker processes gives the same tables as the local run, row
for row; the pipeline is loaded once per worker process; parts are named by their batch's files, so workers never
write the same file, and both layouts hold one part per table per batch."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from pipeline.paths import REPO
from tests.helpers import SEED_PATHS

distributed = pytest.importorskip("distributed")

from pipeline.engine import ExtractSettings, run_extract  # noqa: E402
from pipeline.engine.compare import differences  # noqa: E402
from tests.engine.test_layout import assert_layout  # noqa: E402


@pytest.mark.slow
def test_local_cluster_equals_local_run(tmp_path):
    sys.path.insert(0, str(REPO))
    from benchmarks.corpus import perturb
    from benchmarks.tiny import train_tiny_ner

    model = str(train_tiny_ner(tmp_path / "tiny"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in SEED_PATHS:
        shutil.copy(p, corpus / p.name)
        (corpus / f"copy_{p.name}").write_text(perturb(p.read_text(encoding="utf-8"), 1), encoding="utf-8")

    local = run_extract(corpus, tmp_path / "local", model)

    # `--engine dask`: a LocalCluster of 2 worker processes (processes=True, one thread each), 10 tasks
    summary = run_extract(
        corpus,
        tmp_path / "dask",
        model,
        engine="dask",
        workers=2,
        settings=ExtractSettings(batch_files=1, part_files=1),
    )

    assert summary.engine == "dask" and summary.files_processed == local.files_processed == 10
    assert summary.stats.documents == local.stats.documents == 10
    # the batches ran in the two worker processes, each loading the pipeline exactly once (10 batches)
    assert sum(w["batches"] for w in summary.workers.values()) == 10
    assert 1 <= len(summary.workers) <= 2
    assert os.getpid() not in {int(k.rsplit(":", 1)[1]) for k in summary.workers}
    assert all(w["model_loads"] == 1 for w in summary.workers.values()), summary.workers

    assert differences(tmp_path / "local", tmp_path / "dask") == []
    for table in ("documents", "sections", "entities", "errors"):
        # one part per table per batch: the local run's default batch takes all 10 files, Dask ran 10 batches
        assert len(list((tmp_path / "local" / table).glob("part-*.parquet"))) == 1
        assert len(list((tmp_path / "dask" / table).glob("part-*.parquet"))) == 10
    assert_layout(tmp_path / "local", max_parts=1)
    assert_layout(tmp_path / "dask", max_parts=10)
    assert not list((tmp_path / "dask").glob("*/.tmp-*"))  # no temporary left behind
