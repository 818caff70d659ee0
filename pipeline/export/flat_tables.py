"""What the flat exports (CSV, Excel, SQLite) share: the tables as plain Python values, the dictionary's words
for each type and conventions, the summary of an export, and writing a file or folder under a temporary name
that is renamed into place when complete.

Tables are read with `pipeline.analysis.load_table`, one at a time (the reader analysts use, with the declared
schema, so an empty table still has its columns).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .schema import TABLES, Table


class ExportError(Exception):
    """A user error in an export (a destination that cannot be used): one line saying what to do."""


# how each format writes what a table holds, for the dictionaries (the same words in README, sheet and table)
CONVENTIONS = (
    "Dates are written yyyy-mm-dd; an empty cell is a null.",
    "Offsets (start_char, end_char) are character offsets into documents.text of the same doc_id.",
    "List columns (people.aliases) are JSON arrays.",
)


@dataclass
class ExportSummary:
    dest: Path
    rows: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the format could not hold as it is (Excel's limits)

    def line(self) -> str:
        total = sum(self.rows.values())
        return f"wrote {len(self.rows)} tables ({total:,} rows) to {self.dest}"


def exported_at() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def check_tables(tables_dir: Path) -> None:
    """One-line error when the folder holds no extracted tables."""
    if not (tables_dir / "documents").is_dir():
        raise ExportError(
            f"{tables_dir} holds no extracted tables: run `minutes extract CORPUS --out {tables_dir}` first, "
            "or give the output folder with --tables"
        )


def type_words(arrow_type: pa.DataType) -> str:
    """The column type in the dictionary's words (every export says the same)."""
    if pa.types.is_string(arrow_type):
        return "text"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "number"
    if pa.types.is_date(arrow_type):
        return "date (yyyy-mm-dd)"
    if pa.types.is_boolean(arrow_type):
        return "true/false"
    if pa.types.is_list(arrow_type):
        return "list of text (a JSON array)"
    raise TypeError(f"no export type for {arrow_type}")


def _is_null(value) -> bool:
    # a list cell (an array) is null only when it is None; pd.isna covers None, NaN, NaT and pd.NA
    if value is None:
        return True
    return (isinstance(value, str) or not hasattr(value, "__len__")) and bool(pd.isna(value))


def _converter(arrow_type: pa.DataType, dates_as: str) -> Callable:
    """Plain Python value of one cell (never called with a null)."""
    if pa.types.is_date(arrow_type):
        return (lambda v: v.date().isoformat()) if dates_as == "text" else (lambda v: v.date())
    if pa.types.is_integer(arrow_type):
        return int
    if pa.types.is_floating(arrow_type):
        return float
    if pa.types.is_boolean(arrow_type):
        return bool
    if pa.types.is_list(arrow_type):
        return lambda v: json.dumps([str(item) for item in v], ensure_ascii=False)
    return str


def column_values(frame, spec: Table, dates_as: str = "text") -> dict[str, list]:
    """Each column of a loaded table as a list of plain values (None for null), in the schema's order.

    dates_as: 'text' (ISO strings, for CSV and SQLite) or 'date' (datetime.date, for Excel)."""
    columns = {}
    for column in spec.columns:
        convert = _converter(column.type, dates_as)
        columns[column.name] = [None if _is_null(v) else convert(v) for v in frame[column.name].astype(object)]
    return columns


def row_tuples(columns: dict[str, list]) -> Iterator[tuple]:
    return zip(*columns.values()) if columns else iter(())


def read_tables(tables_dir: Path) -> Iterator[tuple[Table, object]]:
    """(table spec, DataFrame) per table in the schema's order, one table in memory at a time."""
    from ..analysis.loading import load_table

    for name, spec in TABLES.items():
        yield spec, load_table(tables_dir, name)


def check_destination(dest: Path, is_folder: bool) -> None:
    """One-line error when dest cannot take the export (checked before anything is written)."""
    if dest.exists() and dest.is_dir() != is_folder:
        kind = "a folder" if dest.is_dir() else "a file"
        raise ExportError(f"{dest} is {kind}: give --out a {'folder' if is_folder else 'file'} name instead")
    if not dest.parent.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(dest.parent, os.W_OK):
        raise ExportError(f"cannot write in {dest.parent}: give --out a place you can write to")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(dest: Path) -> Iterator[Path]:
    """A temporary path beside dest; renamed to dest when the block ends without an error, removed otherwise,
    so a reader never sees a half-written export."""
    check_destination(dest, is_folder=False)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.tmp-", dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.chmod(0o666 & ~_umask())  # mkstemp makes it private; the export is an ordinary file
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_folder(dest: Path, is_ours: Callable[[Path], bool]) -> Iterator[Path]:
    """A temporary folder beside dest that replaces dest when the block ends without an error.

    An existing dest is replaced only when is_ours(dest) says an earlier export wrote it: never a user's folder.
    The swap is two renames (the old folder aside, the new one in), so dest is at all times either the old
    export, briefly absent, or the new one; never a mix."""
    check_destination(dest, is_folder=True)
    if dest.is_dir() and any(dest.iterdir()) and not is_ours(dest):
        raise ExportError(f"{dest} exists and is not an earlier export: give --out a new folder name, or remove it")
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    tmp.chmod(0o777 & ~_umask())
    try:
        yield tmp
        old = None
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            os.replace(dest, old / dest.name)
        os.replace(tmp, dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
