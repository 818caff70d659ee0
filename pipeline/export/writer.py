"""Atomic Parquet dataset writer: one folder per table, one part per table per extraction batch.

A part holds the rows of several source files, one contiguous slice per file, in file order; which file
each slice belongs to (its part key and row count) is written into the part's own Parquet footer
(`FILES_META`), so a part and the list of files it holds can never disagree. A part is written to a
hidden temporary file in the same folder and renamed into place, so a reader never sees a truncated part
(pyarrow and DuckDB skip names starting with '.' or '_'). A source file is complete once its marker exists
in `_state/done/`; the marker, written after the batch's parts, names the part that holds its rows
(`"part"`), so a part's slice is live only while its file's marker points at that part. `keep_files`
rewrites a part without the slices that are no longer live (or deletes it when none is), atomically;
`pipeline.engine.plan.sweep` decides which.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TABLES

STATE_DIR = "_state"
FILES_META = b"minutes.files"  # footer key: JSON [[part key of a source file, its row count], ...] in row order


def _safe_name(key: str) -> str:
    # keys are hex digests produced by schema.content_key/path_key; refuse anything that could escape --out
    if not key or not all(c.isalnum() or c in "-_" for c in key):
        raise ValueError(f"unsafe part key {key!r}")
    return key


def rows_to_table(table: str, rows: list[dict]) -> pa.Table:
    spec = TABLES[table]
    columns = {c.name: [r.get(c.name) for r in rows] for c in spec.columns}
    return pa.Table.from_pydict(columns, schema=spec.schema)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _with_files(data: pa.Table, files: list[list]) -> pa.Table:
    return data.replace_schema_metadata({**(data.schema.metadata or {}), FILES_META: json.dumps(files).encode()})


class DatasetWriter:
    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        for name in TABLES:
            (self.out / name).mkdir(parents=True, exist_ok=True)
        (self.out / STATE_DIR / "done").mkdir(parents=True, exist_ok=True)

    def part_path(self, table: str, key: str) -> Path:
        return self.out / table / f"part-{_safe_name(key)}.parquet"

    def write_part(self, table: str, key: str, rows: list[dict]) -> Path:
        """A part of its own (the corpus-wide tables; a single file's rows when `key` is its part key)."""
        return self._write(table, key, rows_to_table(table, rows))

    def replace_rows(self, table: str, name: str, rows: list[dict]) -> Path:
        """The same rows in the same order with some values changed (attendance.person_id): the part keeps its
        list of file slices."""
        files = [[key, count] for key, count in self.part_files(table, name)]
        if sum(count for _, count in files) != len(rows):
            raise ValueError(f"{table}/{name}: {len(rows)} rows given for a part of {sum(c for _, c in files)}")
        return self._write(table, name, _with_files(rows_to_table(table, rows), files))

    def write_files_part(self, table: str, name: str, slices: list[tuple[str, list[dict]]]) -> Path:
        """One part holding several source files' rows: (file part key, rows) slices, in this order."""
        rows = [row for _, file_rows in slices for row in file_rows]
        files = [[_safe_name(key), len(file_rows)] for key, file_rows in slices]
        return self._write(table, name, _with_files(rows_to_table(table, rows), files))

    def _write(self, table: str, name: str, data: pa.Table) -> Path:
        path = self.part_path(table, name)
        # no .parquet suffix: globs like *.parquet (DuckDB) must not match a temporary
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        os.close(fd)
        try:
            pq.write_table(data, tmp, compression="zstd")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def part_files(self, table: str, name: str) -> list[tuple[str, int]]:
        """(file part key, row count) of each slice of a part, from its footer. A part written one per file
        (before parts held batches, or by `write_part`) is the single slice of the file its name is."""
        path = self.part_path(table, name)
        meta = pq.read_metadata(path)
        raw = (meta.metadata or {}).get(FILES_META)
        if raw is None:
            return [(name, meta.num_rows)]
        return [(key, int(count)) for key, count in json.loads(raw)]

    def read_slices(self, table: str, name: str, keys: set[str], columns: list[str] | None = None) -> pa.Table:
        """The rows of a part that belong to these slices (file part keys, or scope keys in a corpus table), in
        part order; only `columns` when given."""
        files = self.part_files(table, name)
        data = pq.read_table(self.part_path(table, name), columns=columns)
        pieces, offset = [], 0
        for key, count in files:
            if key in keys:
                pieces.append(data.slice(offset, count))
            offset += count
        return pa.concat_tables(pieces) if pieces else data.slice(0, 0)

    def merge_parts(self, table: str, names: list[str], merged: str) -> Path:
        """One part holding every slice of these parts, in this order (they stay until `remove_part`)."""
        files, pieces = [], []
        for name in names:
            files += [[key, count] for key, count in self.part_files(table, name)]
            pieces.append(pq.read_table(self.part_path(table, name)).replace_schema_metadata(None))
        data = pa.concat_tables([piece.cast(TABLES[table].schema) for piece in pieces])
        return self._write(table, merged, _with_files(data, files))

    def keep_files(self, table: str, name: str, keep: set[str]) -> str:
        """Rewrite a part with only the slices of the files in `keep` ("kept", "rewritten" or "removed")."""
        files = self.part_files(table, name)
        if all(key in keep for key, _ in files):
            return "kept"
        if not any(key in keep for key, _ in files):
            self.remove_part(table, name)
            return "removed"
        data = pq.read_table(self.part_path(table, name))
        pieces, kept, offset = [], [], 0
        for key, count in files:
            if key in keep:
                pieces.append(data.slice(offset, count))
                kept.append([key, count])
            offset += count
        merged = pa.concat_tables(pieces).replace_schema_metadata(None)
        self._write(table, name, _with_files(merged.cast(TABLES[table].schema), kept))
        return "rewritten"

    def part_names(self, table: str) -> list[str]:
        return sorted(self.part_keys(table))

    def remove_part(self, table: str, key: str) -> None:
        self.part_path(table, key).unlink(missing_ok=True)

    # --- completion markers (incremental runs, resuming after interruption) ---
    def marker_path(self, key: str) -> Path:
        return self.out / STATE_DIR / "done" / f"{_safe_name(key)}.json"

    def mark_done(self, key: str, info: dict) -> None:
        atomic_write_bytes(self.marker_path(key), json.dumps(info, sort_keys=True).encode("utf-8"))

    def read_marker(self, key: str) -> dict | None:
        try:
            return json.loads(self.marker_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def done_keys(self) -> set[str]:
        return {p.stem for p in (self.out / STATE_DIR / "done").glob("*.json")}

    def unmark(self, key: str) -> None:
        self.marker_path(key).unlink(missing_ok=True)

    def part_keys(self, table: str) -> set[str]:
        return {p.name[len("part-") : -len(".parquet")] for p in (self.out / table).glob("part-*.parquet")}

    def clean_temporaries(self) -> None:
        """Leftovers of a killed run: hidden temporary files are never valid parts."""
        for p in self.out.glob("*/.tmp-*"):
            p.unlink(missing_ok=True)
        for p in self.out.glob(f"{STATE_DIR}/done/.tmp-*"):
            p.unlink(missing_ok=True)
