"""SQLite export: one table per table, with the schema's keys (a primary key, foreign keys and an index on every
join key), full-text search (FTS5) over the documents' text, two views that give attendance and metrics their
meeting (council, committee, date), and the data dictionary as tables.

`export_info` records which Parquet parts the database was built from, so `minutes serve` rebuilds it only
when the tables changed (`sqlite_is_current`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pyarrow as pa

from .flat_tables import (
    ExportError,
    ExportSummary,
    atomic_file,
    column_values,
    exported_at,
    read_tables,
    row_tuples,
    type_words,
)
from .schema import JOIN_KEYS, PRIMARY_KEYS, TABLES

LAYOUT_VERSION = "1"  # the database's layout; a change here makes `minutes serve` rebuild older databases
FTS_TABLE = "documents_fts"
DICTIONARY_TABLES = "dictionary_tables"
DICTIONARY_COLUMNS = "dictionary_columns"
EXPORT_INFO = "export_info"
MEETING_COLUMNS = ("council", "committee", "meeting_date")
# view -> the table it extends with its document's meeting columns
VIEWS = {"attendance_by_meeting": "attendance", "metrics_by_meeting": "metrics"}


def sqlite_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type) or pa.types.is_boolean(arrow_type):
        return "INTEGER"
    if pa.types.is_floating(arrow_type):
        return "REAL"
    return "TEXT"  # text, ISO dates, JSON arrays


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def key_columns(table: str) -> list[str]:
    """The columns of a table that get an index: its join keys, and doc_id / person_id wherever they occur."""
    names = TABLES[table].column_names
    keys = [c for c in ("doc_id", "person_id") if c in names] + list(JOIN_KEYS.get(table, {}))
    return [c for c in dict.fromkeys(keys) if c != PRIMARY_KEYS.get(table)]


def parts_fingerprint(tables_dir: Path) -> str:
    """Digest of every table's Parquet parts (name, size, modification time) and of this export's version."""
    from .. import __version__

    digest = hashlib.sha256(f"{LAYOUT_VERSION} {__version__}".encode())
    for name in TABLES:
        folder = tables_dir / name
        for part in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
            stat = part.stat()
            digest.update(f"\n{name}/{part.name} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def sqlite_is_current(db: Path, tables_dir: Path) -> bool:
    """True when db was exported from tables_dir's current parts by this version."""
    if not db.is_file():
        return False
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            found = con.execute(f"select value from {EXPORT_INFO} where key = 'fingerprint'").fetchone()
    except sqlite3.Error:
        return False
    return found is not None and found[0] == parts_fingerprint(tables_dir)


def _create_table(con: sqlite3.Connection, table: str) -> None:
    spec = TABLES[table]
    primary = PRIMARY_KEYS.get(table)
    lines = [f"{_q(c.name)} {sqlite_type(c.type)}{' PRIMARY KEY' if c.name == primary else ''}" for c in spec.columns]
    for column, target in JOIN_KEYS.get(table, {}).items():
        other, other_column = target.split(".")
        lines.append(f"FOREIGN KEY ({_q(column)}) REFERENCES {_q(other)} ({_q(other_column)})")
    con.execute(f"CREATE TABLE {_q(table)} (\n  " + ",\n  ".join(lines) + "\n)")


def _insert(con: sqlite3.Connection, table: str, rows) -> None:
    spec = TABLES[table]
    marks = ", ".join("?" for _ in spec.columns)
    try:
        con.executemany(f"INSERT INTO {_q(table)} VALUES ({marks})", rows)
    except sqlite3.IntegrityError as exc:
        raise ExportError(
            f"{table} has two rows with the same {PRIMARY_KEYS.get(table)} ({exc}): the tables are inconsistent; "
            "run `minutes extract` again over the same corpus and output folder"
        ) from None


def view_columns(view: str) -> list[tuple[str, str, str]]:
    """(column, 'table.column' it comes from, description) of a view, in order: doc_id, the meeting, the rest."""
    base = TABLES[VIEWS[view]]
    docs = {c.name: c for c in TABLES["documents"].columns}
    rest = [c for c in base.columns if c.name != "doc_id"]
    out = [("doc_id", f"{base.name}.doc_id", docs["doc_id"].description)]
    out += [(name, f"documents.{name}", docs[name].description) for name in MEETING_COLUMNS]
    out += [(c.name, f"{base.name}.{c.name}", c.description) for c in rest]
    return out


def _create_views(con: sqlite3.Connection) -> None:
    for view, base in VIEWS.items():
        select = ", ".join(
            f"d.{_q(column)}" if source.startswith("documents.") else f"t.{_q(column)}"
            for column, source, _ in view_columns(view)
        )
        con.execute(
            f"CREATE VIEW {_q(view)} AS SELECT {select} FROM {_q(base)} t LEFT JOIN documents d ON d.doc_id = t.doc_id"
        )


def _write_dictionary(con: sqlite3.Connection, rows: dict[str, int]) -> None:
    con.execute(
        f"CREATE TABLE {DICTIONARY_TABLES} (table_name TEXT PRIMARY KEY, kind TEXT, one_row_per TEXT, "
        "description TEXT, n_rows INTEGER)"
    )
    con.execute(
        f"CREATE TABLE {DICTIONARY_COLUMNS} (table_name TEXT REFERENCES {DICTIONARY_TABLES} (table_name), "
        "position INTEGER, column_name TEXT, type TEXT, sqlite_type TEXT, description TEXT, references_column TEXT, "
        "PRIMARY KEY (table_name, column_name))"
    )
    for name, spec in TABLES.items():
        con.execute(
            f"INSERT INTO {DICTIONARY_TABLES} VALUES (?, 'table', ?, ?, ?)",
            (name, spec.one_row_per, spec.description, rows[name]),
        )
        joins = JOIN_KEYS.get(name, {})
        con.executemany(
            f"INSERT INTO {DICTIONARY_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (name, i, c.name, type_words(c.type), sqlite_type(c.type), c.description, joins.get(c.name))
                for i, c in enumerate(spec.columns)
            ],
        )
    con.execute(
        f"INSERT INTO {DICTIONARY_TABLES} VALUES (?, 'full-text index', 'document', ?, ?)",
        (
            FTS_TABLE,
            "Full-text index (SQLite FTS5, English stemming) over documents.text; its rowid is documents' rowid.",
            rows["documents"],
        ),
    )
    for view, base in VIEWS.items():
        con.execute(
            f"INSERT INTO {DICTIONARY_TABLES} VALUES (?, 'view', ?, ?, NULL)",
            (view, TABLES[base].one_row_per, f"{base} with its document's council, committee and meeting date."),
        )
        types = {f"{t}.{c.name}": c.type for t in (base, "documents") for c in TABLES[t].columns}
        con.executemany(
            f"INSERT INTO {DICTIONARY_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (view, i, column, type_words(types[source]), sqlite_type(types[source]), description, source)
                for i, (column, source, description) in enumerate(view_columns(view))
            ],
        )


def write_sqlite(tables_dir: Path, dest: Path) -> ExportSummary:
    """The database, written under a temporary name and renamed into place when complete."""
    from .. import __version__

    summary = ExportSummary(dest)
    fingerprint = parts_fingerprint(tables_dir)  # before reading: a run that changes the parts meanwhile is redone
    with atomic_file(dest) as tmp:
        tmp.unlink()  # sqlite creates the file itself
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode = OFF")  # a temporary file: nothing to roll back to
            con.execute("PRAGMA synchronous = OFF")
            for spec, frame in read_tables(tables_dir):
                _create_table(con, spec.name)
                _insert(con, spec.name, row_tuples(column_values(frame, spec)))
                summary.rows[spec.name] = len(frame)
            for table in TABLES:
                for column in key_columns(table):
                    con.execute(f"CREATE INDEX {_q(f'idx_{table}_{column}')} ON {_q(table)} ({_q(column)})")
            con.execute(
                f'CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, content="documents", content_rowid="rowid", '
                "tokenize = 'porter unicode61')"
            )
            con.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")
            _create_views(con)
            _write_dictionary(con, summary.rows)
            con.execute(f"CREATE TABLE {EXPORT_INFO} (key TEXT PRIMARY KEY, value TEXT)")
            info = {
                "layout_version": LAYOUT_VERSION,
                "pipeline_version": __version__,
                "tables": str(tables_dir.resolve()),
                "fingerprint": fingerprint,
                "exported_at": exported_at(),
            }
            con.executemany(f"INSERT INTO {EXPORT_INFO} VALUES (?, ?)", info.items())
            con.commit()
            con.execute("ANALYZE")
            con.execute("PRAGMA journal_mode = DELETE")  # readers (Datasette) open it as an ordinary database
        finally:
            con.close()
    return summary
