"""Interruption: `minutes extract` killed with SIGKILL at random points, then run again, ends with exactly the
tables of an uninterrupted run (no row lost or duplicated), and no torn Parquet part is ever read as valid.

The kills land at random points of the work: each waits until a random number of files more than
before have their completion marker, then a random few milliseconds more. Each test run draws 3 kills
from seed 11; MINUTES_KILL_SEEDS=1,2,3 runs the test once per seed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.engine import run_extract
from pipeline.export.schema import TABLES
from tests.engine.test_layout import assert_layout
from tests.helpers import REPO, assert_same_tables, read_tables, variant_corpus

MINUTES = REPO / ".venv" / "bin" / "minutes"


def markers(out: Path) -> int:
    try:
        return sum(1 for p in os.scandir(out / "_state" / "done") if p.name.endswith(".json"))
    except FileNotFoundError:
        return 0


def kill_when(out: Path, corpus: Path, at_least: int, extra: float) -> tuple[int, bool]:
    """Start the CLI, SIGKILL it once `at_least` files are marked done (+extra seconds). (markers, was it killed)"""
    log = open(out.parent / "minutes.log", "ab")
    proc = subprocess.Popen(
        [
            str(MINUTES),
            "extract",
            str(corpus),
            "--out",
            str(out),
            "--rules-only",
            "--batch-files",
            "2",
            "--no-progress",
        ],
        stdout=log,
        stderr=log,
        cwd=REPO,
    )
    deadline = time.monotonic() + 240
    try:
        while proc.poll() is None and markers(out) < at_least and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(extra)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(60)
        log.close()
    return markers(out), killed


def check_readable(out: Path) -> None:
    """What a reader sees between runs: every visible part is a complete Parquet file; leftovers are hidden."""
    for name in TABLES:
        folder = out / name
        if not folder.exists():
            continue
        for part in folder.glob("part-*.parquet"):
            pq.read_table(part)  # raises on a truncated file
        for leftover in folder.glob(".tmp-*"):
            assert not leftover.name.endswith(".parquet")  # DuckDB's *.parquet glob would pick it up
        if any(folder.glob("part-*.parquet")):
            pd.read_parquet(folder)
            duckdb.connect().execute(f"select count(*) from read_parquet('{folder}/*.parquet')").fetchone()


@pytest.fixture(scope="module")
def corpus_and_reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("interrupt")
    corpus = variant_corpus(base / "corpus", 40)
    reference = base / "reference"
    run_extract(corpus, reference, None)
    return corpus, reference


@pytest.mark.slow
@pytest.mark.parametrize("seed", [int(s) for s in os.environ.get("MINUTES_KILL_SEEDS", "11").split(",")])
def test_killed_runs_then_rerun_equal_uninterrupted(tmp_path, corpus_and_reference, seed):
    corpus, reference = corpus_and_reference
    total = len({p.read_bytes() for p in corpus.iterdir()})  # files with distinct content get a marker
    rng = random.Random(seed)
    out = tmp_path / "out"
    kills = 0
    for _ in range(3):
        done = markers(out)
        if done >= total:
            break
        target = min(total, done + rng.randint(1, max(1, (total - done) // 2)))
        done, killed = kill_when(out, corpus, target, rng.uniform(0, 0.08))
        kills += killed
        check_readable(out)
    log = (tmp_path / "minutes.log").read_text(errors="replace")[-3000:]
    assert kills >= 2, f"the run ended before it could be interrupted; the test proves nothing. Its output:\n{log}"
    # a torn write from an earlier crash, as the writer leaves it: hidden, ignored by readers, removed next run
    torn = out / "entities" / ".tmp-torn0001"
    torn.write_bytes(b"PAR1\x00\x01truncated")
    check_readable(out)
    run_extract(corpus, out, None)
    assert not torn.exists()
    assert not list(out.glob("*/.tmp-*")) and not list(out.glob("_state/done/.tmp-*"))
    assert_same_tables(reference, out)
    assert_layout(out)  # every part live: each file's rows in the one part its marker names, no orphan slice
    tables = read_tables(out)
    assert tables["documents"].doc_id.is_unique and tables["entities"].entity_id.is_unique
    assert tables["sections"].section_id.is_unique
    assert len(tables["documents"]) >= 42 and sorted(tables["errors"].source_path) == ["corrupt.pdf", "empty.txt"]


def test_rerun_after_complete_run_changes_nothing(tmp_path, corpus_and_reference):
    corpus, reference = corpus_and_reference
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    again = run_extract(corpus, out, None)
    assert again.files_processed == 0  # every file has its completion marker, bad ones included
    assert again.sweep.rewritten == again.sweep.removed == 0  # nothing changed, no part touched
    assert_same_tables(reference, out)
