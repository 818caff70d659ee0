"""Atomic Parquet dataset writer: one folder per table, one part per source file's content.

A part is written to a hidden temporary file in the same folder and renamed into place, so a reader
never sees a truncated part (pyarrow and DuckDB skip names starting with '.' or '_'). A source file
is complete once its marker exists in `_state/done/`; the marker is written after all its parts, so
an interrupted run is finished by the next one, and parts are content-addressed, so a re-run replaces
instead of appending.
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


class DatasetWriter:
    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        for name in TABLES:
            (self.out / name).mkdir(parents=True, exist_ok=True)
        (self.out / STATE_DIR / "done").mkdir(parents=True, exist_ok=True)

    def part_path(self, table: str, key: str) -> Path:
        return self.out / table / f"part-{_safe_name(key)}.parquet"

    def write_part(self, table: str, key: str, rows: list[dict]) -> Path:
        path = self.part_path(table, key)
        fd, tmp = tempfile.mkstemp(
            prefix=".tmp-", dir=path.parent
        )  # no .parquet suffix: globs like *.parquet (DuckDB) must not match it
        os.close(fd)
        try:
            pq.write_table(rows_to_table(table, rows), tmp, compression="zstd")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

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
