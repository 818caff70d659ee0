"""The table layout: one part per table per batch (the number of files grows with batches, not documents),
each part's footer naming the file slices it holds, every part live; an incremental run rewrites only the
parts that held a changed, renamed or removed file, and a run stopped between a batch's parts and its
markers is finished by the next, nothing duplicated or lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.engine import ExtractSettings, run_extract
from pipeline.engine.plan import marker_part
from pipeline.errors import CorpusEmpty, ExtractInterrupted
from pipeline.export.schema import PER_FILE_TABLES
from pipeline.export.writer import DatasetWriter
from tests.helpers import assert_same_tables, read_tables, variant_corpus

SMALL_BATCHES = ExtractSettings(batch_files=4, part_files=4)  # parts as batches: the layout the tests read


def part_bytes(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.glob("*/part-*.parquet"))}


def assert_layout(out: Path, max_parts: int | None = None) -> None:
    """Every part is live: its slices add up to its rows, each file's slice is in the part its marker names,
    and no file has rows in two parts; readers over the folder see each doc_id once."""
    writer = DatasetWriter(out)
    done = writer.done_keys()
    for table in PER_FILE_TABLES:
        names = writer.part_names(table)
        if max_parts is not None:
            assert len(names) <= max_parts, (table, len(names), max_parts)
        owner: dict[str, str] = {}
        for name in names:
            files = writer.part_files(table, name)
            assert sum(count for _, count in files) == len(pd.read_parquet(writer.part_path(table, name)))
            for key, _ in files:
                assert key not in owner, f"{table}: rows of {key} in {owner[key]} and {name}"
                owner[key] = name
                assert key in done and marker_part(writer.read_marker(key), key) == name, (table, name, key)
        if names:
            glob = f"{(out / table).as_posix()}/*.parquet"
            count = duckdb.connect().execute(f"select count(*) from read_parquet('{glob}')").fetchone()[0]
            assert count == len(pd.read_parquet(out / table))
    docs = pd.read_parquet(out / "documents")
    assert docs.doc_id.is_unique


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return variant_corpus(tmp_path_factory.mktemp("layout") / "corpus", 12)


def test_parts_hold_batches_not_files(tmp_path, corpus):
    summary = run_extract(corpus, tmp_path / "out", None, settings=SMALL_BATCHES)
    batches = sum(w["batches"] for w in summary.workers.values())
    assert summary.files_processed == 16 and batches == 4  # 16 distinct contents (a duplicate is read once)
    assert_layout(tmp_path / "out", max_parts=batches)
    for table in PER_FILE_TABLES:
        assert len(list((tmp_path / "out" / table).glob("*.parquet"))) == batches  # one per batch, none per file
    one = run_extract(corpus, tmp_path / "one", None)  # the default batch takes the whole small corpus
    assert len(list((tmp_path / "one" / "sections").glob("*.parquet"))) == 1
    assert_same_tables(tmp_path / "out", tmp_path / "one")
    assert one.sweep.rewritten == one.sweep.removed == 0


def test_one_changed_file_rewrites_only_its_part(tmp_path, corpus):
    work, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(corpus, work)
    run_extract(work, out, None, settings=SMALL_BATCHES)
    before = part_bytes(out)
    changed = work / "m005.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA late note.\n", encoding="utf-8")

    again = run_extract(work, out, None, settings=SMALL_BATCHES)
    assert again.files_processed == 1 and again.stale_removed == 1
    after = part_bytes(out)
    untouched = {name for name in before if after.get(name) == before[name]}
    rewritten = {name for name in before if name in after and after[name] != before[name]}
    new = set(after) - set(before)
    # per table: the one part that held the old version is rewritten without it, one new part holds the new
    assert len(rewritten) == len(new) == len(PER_FILE_TABLES), (rewritten, new)
    assert len(untouched) == len(before) - len(PER_FILE_TABLES)
    assert again.sweep.rewritten == len(PER_FILE_TABLES) and again.sweep.removed == 0
    assert_layout(out)
    run_extract(work, tmp_path / "fresh", None, settings=SMALL_BATCHES)
    assert_same_tables(out, tmp_path / "fresh")


def test_removed_and_renamed_files_leave_no_stale_or_duplicate_rows(tmp_path, corpus):
    work, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(corpus, work)
    run_extract(work, out, None, settings=SMALL_BATCHES)
    (work / "m001.txt").unlink()
    (work / "m002.txt").rename(work / "renamed.txt")  # same bytes, new path: its rows move to a new part
    again = run_extract(work, out, None, settings=SMALL_BATCHES)
    assert again.files_processed == 1 and again.stale_removed == 1
    assert_layout(out)
    docs = read_tables(out)["documents"]
    assert "renamed.txt" in set(docs.source_path) and not {"m001.txt", "m002.txt"} & set(docs.source_path)
    run_extract(work, tmp_path / "fresh", None, settings=SMALL_BATCHES)
    assert_same_tables(out, tmp_path / "fresh")
    # every file removed: a corpus with no minutes is refused (an unmounted share must not wipe the tables) ...
    old_parts = part_bytes(out)
    for path in list(work.iterdir()):
        path.unlink()
    with pytest.raises(CorpusEmpty):
        run_extract(work, out, None, settings=SMALL_BATCHES)
    assert part_bytes(out) == old_parts
    # ... and once every old file is replaced by a new one, every old part goes
    (work / "new.txt").write_text("Cabinet\n\nMinutes of the meeting held on 1 May 2019.\n", encoding="utf-8")
    run_extract(work, out, None, settings=SMALL_BATCHES)
    old_batch_parts = {name for name in old_parts if "/part-b" in name}  # people and role_history are rebuilt
    assert old_batch_parts and not set(part_bytes(out)) & old_batch_parts and len(DatasetWriter(out).done_keys()) == 1
    assert list(read_tables(out)["documents"].source_path) == ["new.txt"]


def test_run_stopped_before_markers_is_finished_without_duplicates(tmp_path, corpus, monkeypatch):
    """The state a kill leaves between a batch's parts and its markers (the SIGKILL test hits it at random)."""
    reference = tmp_path / "reference"
    run_extract(corpus, reference, None, settings=SMALL_BATCHES)
    out = tmp_path / "out"
    calls = {"n": 0}
    original = DatasetWriter.mark_done

    def mark_then_die(self, key, info):
        calls["n"] += 1
        if calls["n"] == 6:  # the second batch's parts are written, one of its markers is
            raise KeyboardInterrupt
        original(self, key, info)

    monkeypatch.setattr(DatasetWriter, "mark_done", mark_then_die)
    with pytest.raises(ExtractInterrupted, match="interrupted: 5 of 16 files done"):
        run_extract(corpus, out, None, settings=SMALL_BATCHES)
    monkeypatch.setattr(DatasetWriter, "mark_done", original)
    # a different batching next time: the unmarked files' rows land in other parts, the old slices must go
    again = run_extract(corpus, out, None, settings=ExtractSettings(batch_files=3))
    assert again.files_processed == 16 - 5
    assert_layout(out)
    assert_same_tables(reference, out)


def test_small_parts_left_by_incremental_runs_are_merged(tmp_path, corpus):
    """Each run that redoes one file adds a one-file part; a later run merges parts under half a batch (markers
    follow), so four such runs leave 2 parts more than the full run, not 4, and the tables equal a full run's."""
    work, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(corpus, work)
    run_extract(work, out, None, settings=SMALL_BATCHES)
    parts_after_full = len(DatasetWriter(out).part_names("documents"))
    merged = 0
    for number, name in enumerate(["m001.txt", "m005.txt", "m009.txt", "m011.txt"]):
        changed = work / name
        changed.write_text(changed.read_text(encoding="utf-8") + f"\nA late note {number}.\n", encoding="utf-8")
        again = run_extract(work, out, None, settings=SMALL_BATCHES)
        assert again.files_processed == 1
        merged += again.compact.merged
        assert_layout(out, max_parts=parts_after_full + 2)
    assert merged == 4 and len(DatasetWriter(out).part_names("documents")) == parts_after_full + 2
    run_extract(work, tmp_path / "fresh", None, settings=SMALL_BATCHES)
    assert_same_tables(out, tmp_path / "fresh")


def test_a_run_stopped_inside_compaction_is_finished_by_the_next(tmp_path, corpus, monkeypatch):
    """Killed after the merged part is written and one marker moved: the next run's sweep keeps each slice
    where its marker says, so nothing is duplicated or lost."""
    work, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(corpus, work)
    run_extract(work, out, None, settings=SMALL_BATCHES)
    first = work / "m001.txt"
    first.write_text(first.read_text(encoding="utf-8") + "\nA late note.\n", encoding="utf-8")
    run_extract(work, out, None, settings=SMALL_BATCHES)  # leaves a one-file part
    second = work / "m005.txt"
    second.write_text(second.read_text(encoding="utf-8") + "\nA late note.\n", encoding="utf-8")
    original, calls = DatasetWriter.mark_done, {"n": 0}

    def move_one_marker_then_die(self, key, info):
        calls["n"] += 1
        if calls["n"] == 3:  # after the batch's own marker and the first marker the compaction moves
            raise KeyboardInterrupt
        original(self, key, info)

    monkeypatch.setattr(DatasetWriter, "mark_done", move_one_marker_then_die)
    with pytest.raises(ExtractInterrupted):
        run_extract(work, out, None, settings=SMALL_BATCHES)
    monkeypatch.setattr(DatasetWriter, "mark_done", original)
    assert calls["n"] == 3 and any(name.startswith("m") for name in DatasetWriter(out).part_names("documents"))
    run_extract(work, out, None, settings=SMALL_BATCHES)
    assert_layout(out)
    run_extract(work, tmp_path / "fresh", None, settings=SMALL_BATCHES)
    assert_same_tables(out, tmp_path / "fresh")


def test_parts_of_small_batches_are_merged_up_to_part_files(tmp_path, corpus):
    """Batches bound memory; parts are for readers: 16 files in batches of 2 end as parts of up to 8 files."""
    summary = run_extract(corpus, tmp_path / "out", None, settings=ExtractSettings(batch_files=2, part_files=8))
    assert sum(w["batches"] for w in summary.workers.values()) == 8 and summary.compact.merged == 8
    assert_layout(tmp_path / "out", max_parts=2)
    run_extract(corpus, tmp_path / "one", None)
    assert_same_tables(tmp_path / "out", tmp_path / "one")
