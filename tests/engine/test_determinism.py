"""Determinism: the same corpus gives identical tables, whatever the output folder, the file and NLP
batch sizes (rows compared in a canonical order; there is no run-timestamp column). Engines (worker
processes, Dask) run the same extract_batch; their equivalence is tested with the engines."""

from __future__ import annotations

import pytest

from pipeline.engine import ExtractSettings, run_extract
from tests.helpers import assert_same_tables, read_tables, variant_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return variant_corpus(tmp_path_factory.mktemp("det") / "corpus", 12)


def test_two_runs_identical(tmp_path, corpus):
    a, b = tmp_path / "a", tmp_path / "nested" / "b"
    run_extract(corpus, a, None)
    run_extract(corpus, b, None)
    assert_same_tables(a, b)
    tables = read_tables(a)
    assert len(tables["documents"]) == 14 and len(tables["sections"]) > 100 and len(tables["errors"]) == 2
    # the same bytes, part for part (content-addressed names, same rows in the same order)
    for part in sorted(a.glob("*/part-*.parquet")):
        twin = b / part.relative_to(a)
        assert twin.exists(), part
        assert twin.read_bytes() == part.read_bytes(), part


def test_batch_size_does_not_change_tables(tmp_path, corpus):
    a, b = tmp_path / "a", tmp_path / "b"
    run_extract(corpus, a, None, settings=ExtractSettings(batch_files=16))
    run_extract(corpus, b, None, settings=ExtractSettings(batch_files=1, nlp_batch_size=1))
    assert_same_tables(a, b)
