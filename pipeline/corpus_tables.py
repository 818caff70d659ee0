"""Corpus-wide tables (people, role_history, attendance.person_id), updated scope by scope.

People merge within a scope only (a council, or one source file when the council is unknown: see
pipeline/people.py), so a changed file can change the people of its scopes and of no other. Each file's
completion marker lists the scopes of its documents (`"scopes"`); a run recomputes only the scopes
touched by what it changed (the scopes of the files it processed, before and after, and of the files
that left the corpus), reading only the slices of the files in those scopes, and:

- writes their people and role_history rows as one new part per table, one footer slice per scope
  (`scope_key`), and drops those scopes' slices from the older parts (rewritten atomically, or removed);
- rewrites an attendance, votes or interests part only when a person_id in it changed;
- merges a corpus table's parts into one when there are more than MAX_CORPUS_PARTS (each run adds one).

So an incremental run costs O(files in the touched scopes), not O(corpus). A full rebuild (every scope,
every part read) runs when the previous run did not complete (it may have stopped between a part and the
removal of what it replaces), or when a marker or part predates this layout; its result is the same.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from .export.schema import CORPUS_TABLES
from .export.writer import DatasetWriter
from .people import merge_scope, people_of, row_person_id, stated_people

_COLUMNS = {
    "documents": ["doc_id", "council", "meeting_date"],
    "attendance": ["doc_id", "person", "role", "org"],
    "entities": ["doc_id", "entity_id", "norm", "label"],
    "relations": ["doc_id", "label", "head_id", "tail_id"],
    "votes": ["doc_id", "person"],
    "interests": ["doc_id", "person"],
}
PERSON_ID_TABLES = ("attendance", "votes", "interests")  # per-file tables whose person_id is filled here


MAX_CORPUS_PARTS = 8  # parts of people (of role_history) before they are merged into one
EMPTY_PART = "c" + "0" * 23  # the part of a corpus table that has no rows (a run without a model)


def scope_key(scope: str) -> str:
    """A scope's slice key in the corpus tables' part footers ('s' + 23 hex digits: never a file's key)."""
    return "s" + hashlib.sha256(scope.encode("utf-8", "surrogateescape")).hexdigest()[:23]


def _is_scope_key(key: str) -> bool:
    return len(key) == 24 and key.startswith("s")


def document_scopes(documents: list[dict]) -> list[str]:
    """The merge scopes of a file's documents (for its marker)."""
    return sorted({merge_scope(d.get("council"), d["doc_id"]) for d in documents})


@dataclass
class CorpusTablesStats:
    """What an update did: scopes recomputed (None: all, a full rebuild), files read, parts written."""

    scopes: int | None = 0
    files_read: int = 0
    parts_written: list = field(default_factory=list)  # "table/name" of each part written, rewritten or removed


def _frame(tables: list, columns: list[str]) -> pd.DataFrame:
    frames = [t.to_pandas() for t in tables if t.num_rows]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    # missing values as None, not NaN (pandas 3 reads null strings as NaN, which is truthy and unsortable with str)
    return df.astype(object).where(df.notna(), None)


def _read_files(writer: DatasetWriter, parts_of: dict[str, set[str]] | None) -> dict[str, pd.DataFrame]:
    """The merge's input columns: of every part (None), or of these files' slices (part -> file keys)."""
    frames = {}
    for table, columns in _COLUMNS.items():
        if parts_of is None:
            pieces = [
                pq.read_table(writer.part_path(table, name), columns=columns) for name in writer.part_names(table)
            ]
        else:
            pieces = [
                writer.read_slices(table, name, keys, columns)
                for name, keys in sorted(parts_of.items())
                if writer.part_path(table, name).is_file()  # output written before the table existed
            ]
        frames[table] = _frame(pieces, columns)
    return frames


def needs_full_rebuild(writer: DatasetWriter, markers: dict[str, dict], last_run_complete: bool) -> bool:
    """True when scope-by-scope updating cannot be trusted: the last run stopped early, or a marker or a corpus
    table part predates scope slices."""
    if not last_run_complete or any("scopes" not in marker for marker in markers.values()):
        return True
    for table in CORPUS_TABLES:
        for name in writer.part_names(table):
            if not all(_is_scope_key(key) for key, _ in writer.part_files(table, name)):
                return True
    return False


def update_corpus_tables(
    out: str | Path, markers: dict[str, dict] | None = None, touched: set[str] | None = None
) -> CorpusTablesStats:
    """Bring people, role_history and attendance.person_id up to date.

    markers: file part key -> completion marker, for every live file; touched: the scopes to recompute.
    Either None: rebuild every scope from every part (what `build_corpus_tables` does)."""
    writer = DatasetWriter(out)
    stats = CorpusTablesStats()
    full = markers is None or touched is None
    parts_of: dict[str, set[str]] | None = None  # part -> the files read from it (None: every part, whole)
    if full:
        stats.files_read = len(writer.done_keys())
    else:
        parts_of = defaultdict(set)
        for key, marker in markers.items():
            if touched.intersection(marker.get("scopes", ())):
                parts_of[marker.get("part", key)].add(key)
        stats.files_read = sum(map(len, parts_of.values()))
    frames = _read_files(writer, parts_of)
    docs = frames["documents"]
    meta = docs.set_index("doc_id").to_dict("index") if len(docs) else {}
    if not full:  # a file read for one touched scope may also hold documents of scopes left as they are
        meta = {d: m for d, m in meta.items() if merge_scope(m.get("council"), d) in touched}
    stated = [s for s in stated_people(*(frames[table] for table in _COLUMNS)) if s[0] in meta]
    people, history, chosen = people_of(stated, meta)
    stats.scopes = None if full else len(touched)

    dropped = None if full else {scope_key(scope) for scope in touched}
    for table, rows in (("people", people), ("role_history", history)):
        by_scope: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            by_scope[scope_key(row["scope"])].append(row)
        slices = sorted(by_scope.items())
        name = None
        if slices:
            text = json.dumps([sorted(dropped or ()), rows], sort_keys=True, default=str)
            name = "c" + hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:23]
            writer.write_files_part(table, name, slices)
            stats.parts_written.append(f"{table}/{name}")
        for old in writer.part_names(table):
            if old == name:
                continue
            slices = writer.part_files(table, old)
            if not slices and name is not None:  # the empty part of a corpus that had no people
                writer.remove_part(table, old)
                stats.parts_written.append(f"{table}/{old}")
                continue
            keep = set() if dropped is None else {key for key, _ in slices} - dropped
            if writer.keep_files(table, old, keep) != "kept":
                stats.parts_written.append(f"{table}/{old}")
        if not writer.part_names(table):  # a folder with no part reads as no columns: keep one, empty
            writer.write_files_part(table, EMPTY_PART, [])
        names = writer.part_names(table)
        if len(names) > MAX_CORPUS_PARTS:  # each incremental run adds one: merge them now and then
            merged = "c" + hashlib.sha256(json.dumps(names).encode()).hexdigest()[:23]
            writer.merge_parts(table, names, merged)
            for old in names:
                if old != merged:
                    writer.remove_part(table, old)
            stats.parts_written.append(f"{table}/{merged}")

    # every per-file table of a batch has the same part name, so the parts to fill are the ones read
    for table in PERSON_ID_TABLES:
        parts = writer.part_names(table) if parts_of is None else sorted(parts_of)
        _fill_person_ids(writer, table, parts, meta, chosen, stats)
    return stats


def _fill_person_ids(
    writer: DatasetWriter, table: str, parts: list[str], meta: dict, chosen: dict, stats: CorpusTablesStats
) -> None:
    """Rewrite the parts of `table` holding rows of these documents whose person_id changed (file slices kept)."""
    for name in parts:
        path = writer.part_path(table, name)
        if not path.is_file():
            continue
        rows = pq.read_table(path).to_pylist()
        changed = False
        for row in rows:
            if row["doc_id"] not in meta:
                continue
            pid = row_person_id(row, meta, chosen)
            if row.get("person_id") != pid:
                row["person_id"], changed = pid, True
        if changed:
            writer.replace_rows(table, name, rows)
            stats.parts_written.append(f"{table}/{name}")


def build_corpus_tables(out: str | Path) -> CorpusTablesStats:
    """Rebuild the corpus-wide tables from every part (the full rebuild)."""
    return update_corpus_tables(out)
