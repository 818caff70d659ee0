"""Incremental runs: only changed, added (or renamed) files are processed again, by content hash, and the
output then equals a fresh full run over the new corpus, corpus-wide tables (people, role_history,
attendance.person_id) included."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.corpus_tables import MAX_CORPUS_PARTS, build_corpus_tables, update_corpus_tables
from pipeline.engine import ExtractSettings, run_extract
from pipeline.engine.compare import differences, read_sorted
from pipeline.engine.run_state import record_run
from pipeline.export.writer import DatasetWriter
from pipeline.ingest.given import MetadataOptions
from pipeline.paths import REPO
from pipeline.people import person_id
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


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("part-*.parquet")}


def test_corpus_tables_are_updated_only_for_the_council_that_changed(tmp_path, model):
    """People merge within a council, so a change in one council's file recomputes that council's people only:
    the other council's people slices and attendance parts are not rewritten, and the result equals a full run."""
    sys.path.insert(0, str(REPO))
    from benchmarks.corpus import perturb

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    for council, seeds in {
        "Anyshire County Council": SEED_PATHS[:2],
        "Otherby Borough Council": SEED_PATHS[2:4],
    }.items():
        (corpus / council).mkdir(parents=True)
        for p in seeds:
            shutil.copy(p, corpus / council / p.name)
    told = MetadataOptions(council_from_folder=True)
    one_per_batch = ExtractSettings(batch_files=1, part_files=1)  # a part per file: no compaction
    first = run_extract(corpus, out, model, metadata=told, settings=one_per_batch)
    assert first.corpus_tables.scopes is None  # the first run builds every scope
    people = read_sorted(out, "people")
    assert set(people.council) == {"Anyshire County Council", "Otherby Borough Council"}

    unchanged = run_extract(corpus, out, model, metadata=told, settings=one_per_batch)
    assert unchanged.corpus_tables.scopes == 0 and unchanged.corpus_tables.files_read == 0

    other_attendance = {
        marker["part"]
        for key in DatasetWriter(out).done_keys()
        if (marker := DatasetWriter(out).read_marker(key))["scopes"] == ["Otherby Borough Council"]
    }
    before = _mtimes(out / "attendance")
    changed = corpus / "Anyshire County Council" / SEED_PATHS[0].name
    changed.write_text(perturb(changed.read_text(encoding="utf-8"), 2), encoding="utf-8")
    again = run_extract(corpus, out, model, metadata=told, settings=one_per_batch)
    assert again.files_processed == 1
    assert again.corpus_tables.scopes == 1 and again.corpus_tables.files_read == 2  # Anyshire's two files
    after = _mtimes(out / "attendance")
    assert all(after[f"part-{name}.parquet"] == before[f"part-{name}.parquet"] for name in other_attendance)
    assert not any("Otherby" in written for written in again.corpus_tables.parts_written)
    run_extract(corpus, tmp_path / "fresh", model, metadata=told, settings=one_per_batch)
    assert differences(out, tmp_path / "fresh") == []


def test_an_unfinished_last_run_makes_the_next_rebuild_every_scope(tmp_path, model):
    corpus, out = _corpus(tmp_path / "corpus"), tmp_path / "out"
    run_extract(corpus, out, model)
    record_run(out, "running")  # as a run killed before its end leaves it
    assert run_extract(corpus, out, model).corpus_tables.scopes is None
    assert run_extract(corpus, out, model).corpus_tables.scopes == 0


def test_a_full_name_in_a_new_file_changes_the_person_id_of_a_short_form_in_an_old_one(tmp_path):
    """'B Dawson' joins 'Bernard Dawson' once a file of the same council names him in full: the old file's
    attendance part gets the merged person_id, as a full rebuild gives."""
    out = tmp_path / "out"
    writer = DatasetWriter(out)
    council = "Anyshire County Council"
    markers = {}

    def add_file(key: str, person: str) -> None:
        doc_id = key[:16] + "-0"
        writer.write_files_part("documents", key, [(key, [{"doc_id": doc_id, "council": council}])])
        writer.write_files_part("attendance", key, [(key, [{"doc_id": doc_id, "person": person, "status": "present"}])])
        for table in ("entities", "relations"):
            writer.write_files_part(table, key, [(key, [])])
        markers[key] = {"part": key, "scopes": [council]}
        writer.mark_done(key, markers[key])

    add_file("a" * 24, "B Dawson")
    update_corpus_tables(out, dict(markers), {council})
    assert read_sorted(out, "attendance").person_id.tolist() == [person_id(council, "B Dawson")]
    add_file("b" * 24, "Bernard Dawson")
    stats = update_corpus_tables(out, dict(markers), {council})
    assert f"attendance/{'a' * 24}" in stats.parts_written
    assert read_sorted(out, "attendance").person_id.tolist() == [person_id(council, "Bernard Dawson")] * 2
    incremental = {table: read_sorted(out, table) for table in ("people", "role_history", "attendance")}
    build_corpus_tables(out)
    for table, frame in incremental.items():
        pd.testing.assert_frame_equal(frame, read_sorted(out, table))
    assert len(list((out / "people").glob("*.parquet"))) == 1


def test_corpus_table_parts_are_merged_when_runs_have_added_many(tmp_path):
    """Each update adds a people part (one slice per scope): past MAX_CORPUS_PARTS they become one part."""
    out = tmp_path / "out"
    writer = DatasetWriter(out)
    markers = {}
    for number in range(MAX_CORPUS_PARTS + 1):
        key, council = f"{number:x}" * 24, f"Council {number}"
        doc_id = key[:16] + "-0"
        writer.write_files_part("documents", key, [(key, [{"doc_id": doc_id, "council": council}])])
        writer.write_files_part(
            "attendance", key, [(key, [{"doc_id": doc_id, "person": "Jo Binns", "status": "present"}])]
        )
        for table in ("entities", "relations"):
            writer.write_files_part(table, key, [(key, [])])
        markers[key] = {"part": key, "scopes": [council]}
        writer.mark_done(key, markers[key])
        update_corpus_tables(out, dict(markers), {council})
        assert len(writer.part_names("people")) == (number + 1 if number < MAX_CORPUS_PARTS else 1)
    people = read_sorted(out, "people")
    assert len(people) == MAX_CORPUS_PARTS + 1 and people.person_id.is_unique
    incremental = read_sorted(out, "people")
    build_corpus_tables(out)
    pd.testing.assert_frame_equal(incremental, read_sorted(out, "people"))
