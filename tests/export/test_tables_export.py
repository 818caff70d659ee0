"""`minutes export --format csv|xlsx|sqlite`: each format round-trips the sample corpus's tables (rows per table,
columns, types, the dictionary's descriptions), SQLite has its keys indexed, Excel's limits are said, exports are
atomic, and a wrong format or destination is one line on stderr."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline import cli
from pipeline.cli import app
from pipeline.export import flat_tables, tables_export
from pipeline.export.schema import JOIN_KEYS, PRIMARY_KEYS, TABLES
from pipeline.export.sqlite_export import (
    DICTIONARY_COLUMNS,
    DICTIONARY_TABLES,
    FTS_TABLE,
    VIEWS,
    key_columns,
    sqlite_type,
)
from pipeline.export.writer import DatasetWriter
from pipeline.export.xlsx_export import DICTIONARY_HEADER, DICTIONARY_SHEET, NOTE, write_xlsx
from tests.helpers import read_tables


@pytest.fixture(scope="module")
def parquet(sample_out) -> dict[str, pd.DataFrame]:
    return read_tables(sample_out)


def _export(tables: Path, fmt: str, dest: Path) -> str:
    result = CliRunner().invoke(app, ["export", "--tables", str(tables), "--format", fmt, "--out", str(dest)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _minutes(*args: str) -> subprocess.CompletedProcess:
    """The real CLI in a child process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, timeout=120)


def _assert_one_line_error(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    for word in words:
        assert word in lines[0]


# --- the schema's keys ----------------------------------------------------------------------------------------


def test_keys_name_real_columns_and_joins_point_at_primary_keys():
    for table, column in PRIMARY_KEYS.items():
        assert column in TABLES[table].column_names
    for table, joins in JOIN_KEYS.items():
        for column, target in joins.items():
            other, other_column = target.split(".")
            assert column in TABLES[table].column_names, (table, column)
            assert PRIMARY_KEYS[other] == other_column, target


def test_the_cli_offers_every_table_format():
    assert set(tables_export.TABLE_FORMATS) <= set(cli.EXPORT_FORMATS)
    assert cli.TABLE_FORMATS == tables_export.TABLE_FORMATS


# --- csv --------------------------------------------------------------------------------------------------------


def test_csv_round_trips_every_table_with_its_dictionary(sample_out, parquet, tmp_path):
    dest = tmp_path / "csv"
    assert f"wrote {len(TABLES)} tables" in _export(sample_out, "csv", dest)
    assert sorted(p.name for p in dest.iterdir()) == sorted([*(f"{n}.csv" for n in TABLES), "README.md"])
    for name, spec in TABLES.items():
        frame = pd.read_csv(dest / f"{name}.csv", keep_default_na=False, na_values=[""])
        assert list(frame.columns) == spec.column_names
        assert len(frame) == len(parquet[name]), name
    docs = pd.read_csv(dest / "documents.csv", keep_default_na=False, na_values=[""])
    assert docs["text"].tolist() == parquet["documents"]["text"].tolist()  # line breaks and quotes survive
    assert pd.api.types.is_integer_dtype(docs["n_words"]) and docs["n_words"].tolist() == list(
        parquet["documents"]["n_words"]
    )
    expected_dates = parquet["documents"]["meeting_date"].map(lambda d: d.isoformat() if d else None)
    assert docs["meeting_date"].where(docs["meeting_date"].notna(), None).tolist() == expected_dates.tolist()
    metrics = pd.read_csv(dest / "metrics.csv")
    assert pd.api.types.is_float_dtype(metrics["value"])
    assert set(metrics["approximate"].dropna().unique()) <= {True, False}
    readme = (dest / "README.md").read_text(encoding="utf-8")
    for name, spec in TABLES.items():
        assert f"## {name}" in readme and f"| `{name}.csv` | {len(parquet[name]):,} |" in readme
        for column in spec.columns:
            assert f"| `{column.name}` |" in readme and column.description in readme


def test_csv_export_replaces_its_own_folder_but_never_a_users(sample_out, tmp_path):
    dest = tmp_path / "csv"
    _export(sample_out, "csv", dest)
    (dest / "documents.csv").write_text("stale", encoding="utf-8")
    _export(sample_out, "csv", dest)  # an earlier export is replaced whole
    assert (dest / "documents.csv").read_text(encoding="utf-8").startswith("doc_id,")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    proc = _minutes("export", "--tables", str(sample_out), "--format", "csv", "--out", str(mine))
    _assert_one_line_error(proc, str(mine), "not an earlier export")
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


# --- xlsx -------------------------------------------------------------------------------------------------------


def _sheets(path: Path) -> dict[str, list[tuple]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def test_xlsx_has_a_sheet_per_table_and_the_dictionary(sample_out, parquet, tmp_path):
    dest = tmp_path / "tables.xlsx"
    _export(sample_out, "xlsx", dest)
    sheets = _sheets(dest)
    assert list(sheets) == [DICTIONARY_SHEET, *TABLES]
    for name, spec in TABLES.items():
        assert sheets[name][0] == tuple(spec.column_names)
        assert len(sheets[name]) - 1 == len(parquet[name]), name
    docs = pd.DataFrame(sheets["documents"][1:], columns=sheets["documents"][0])
    assert docs["text"].tolist() == parquet["documents"]["text"].tolist()
    assert docs["n_chars"].tolist() == list(parquet["documents"]["n_chars"])
    dated = docs["meeting_date"].dropna()
    assert len(dated) and all(hasattr(d, "year") for d in dated)  # Excel dates, not text
    dictionary = sheets[DICTIONARY_SHEET]
    assert dictionary[0] == DICTIONARY_HEADER
    described = {(row[0], row[3]): row[5] for row in dictionary[1:] if row[0] != NOTE and row[3]}
    for name, spec in TABLES.items():
        for column in spec.columns:
            assert described[(name, column.name)] == column.description
    counts = {row[0]: row[2] for row in dictionary[1:] if row[0] in TABLES and not row[3]}
    assert counts == {name: len(parquet[name]) for name in TABLES}


def test_xlsx_says_what_excel_could_not_hold(sample_out, tmp_path):
    """Cells past the length limit are cut with a marker, a table past the row limit continues on another sheet,
    control characters become spaces, text starting '=' stays text: and the dictionary sheet says so."""
    tables = tmp_path / "tables"
    shutil.copytree(sample_out, tables)
    DatasetWriter(tables).write_part(
        "sections",
        "odd",
        [{"doc_id": "x-0", "section_id": "x-0:s0", "kind": "item", "title": "=SUM(A1:A3)\x0cend", "start_char": 0}],
    )
    n_entities = len(pd.read_parquet(tables / "entities"))
    summary = write_xlsx(tables, tmp_path / "t.xlsx", max_rows=101, max_cell=500)
    sheets = _sheets(tmp_path / "t.xlsx")
    continued = [title for title in sheets if title.startswith("entities")]
    assert continued[:2] == ["entities", "entities (2)"] and len(continued) == -(-n_entities // 100)
    assert sum(len(sheets[title]) - 1 for title in continued) == n_entities
    text = sheets["documents"][0].index("text")
    longest = max((row[text] for row in sheets["documents"][1:]), key=len)
    assert len(longest) == 500 and "[cut here:" in longest
    odd = [row for title in sheets if title.startswith("sections") for row in sheets[title] if row[1] == "x-0:s0"]
    assert odd[0][4] == "=SUM(A1:A3) end"  # a string, not a formula; the form feed is a space
    notes = [row[5] for row in sheets[DICTIONARY_SHEET] if row[0] == NOTE]
    assert any(note.startswith("documents.text:") and "cut" in note for note in notes)
    assert any(note.startswith("entities:") and "entities (2)" in note for note in notes)
    assert any(note.startswith("sections.title:") and "spaces" in note for note in notes)
    assert notes[-len(summary.notes) :] == summary.notes


# --- sqlite -----------------------------------------------------------------------------------------------------


def test_sqlite_round_trips_with_keys_indexes_search_and_dictionary(sample_out, parquet, tmp_path):
    dest = tmp_path / "minutes.sqlite"
    _export(sample_out, "sqlite", dest)
    con = sqlite3.connect(dest)
    for name, spec in TABLES.items():
        assert con.execute(f'select count(*) from "{name}"').fetchone()[0] == len(parquet[name]), name
        info = {row[1]: (row[2], row[5]) for row in con.execute(f'pragma table_info("{name}")')}
        assert list(info) == spec.column_names
        for column in spec.columns:
            assert info[column.name][0] == sqlite_type(column.type)
            assert bool(info[column.name][1]) == (PRIMARY_KEYS.get(name) == column.name)
        indexed = {
            con.execute(f'pragma index_info("{index[1]}")').fetchone()[2]
            for index in con.execute(f'pragma index_list("{name}")')
        }
        assert set(key_columns(name)) | ({PRIMARY_KEYS[name]} if name in PRIMARY_KEYS else set()) <= indexed
        foreign = {(row[3], f"{row[2]}.{row[4]}") for row in con.execute(f'pragma foreign_key_list("{name}")')}
        assert foreign == set(JOIN_KEYS.get(name, {}).items())
    assert {"doc_id", "person_id", "section_id", "entity_id"} <= {c for t in TABLES for c in key_columns(t)}
    docs = parquet["documents"]
    assert sorted(con.execute("select text from documents").fetchall()) == sorted((t,) for t in docs["text"])
    n_words = dict(con.execute("select doc_id, n_words from documents").fetchall())
    assert n_words == dict(zip(docs["doc_id"], docs["n_words"].astype(int)))
    dates = {r[0] for r in con.execute("select meeting_date from documents where meeting_date is not null")}
    assert dates == {d.isoformat() for d in docs["meeting_date"].dropna()}
    word = "Councillor"
    found = con.execute(
        f"select d.doc_id from {FTS_TABLE} f join documents d on d.rowid = f.rowid where {FTS_TABLE} match ?", [word]
    ).fetchall()
    assert {r[0] for r in found} == set(docs.loc[docs["text"].str.contains(word), "doc_id"])
    for view, base in VIEWS.items():
        assert con.execute(f"select count(*) from {view}").fetchone()[0] == len(parquet[base])
        assert (
            con.execute(
                f"select count(*) from {view} where committee is null and doc_id in "
                "(select doc_id from documents where committee is not null)"
            ).fetchone()[0]
            == 0
        )
    described = {
        (t, c): d for t, c, d in con.execute(f"select table_name, column_name, description from {DICTIONARY_COLUMNS}")
    }
    for name, spec in TABLES.items():
        for column in spec.columns:
            assert described[(name, column.name)] == column.description
    rows = dict(con.execute(f"select table_name, n_rows from {DICTIONARY_TABLES} where kind = 'table'"))
    assert {name: rows[name] for name in TABLES} == {name: len(parquet[name]) for name in TABLES}


# --- errors and atomicity ----------------------------------------------------------------------------------------


def test_unknown_format_is_one_line_and_writes_nothing(sample_out, tmp_path):
    dest = tmp_path / "out.csv"
    proc = _minutes("export", "--tables", str(sample_out), "--format", "parquet", "--out", str(dest))
    _assert_one_line_error(proc, "'parquet'", "csv, xlsx, sqlite")
    assert not dest.exists()


def test_missing_tables_and_bad_destinations_are_one_line(sample_out, tmp_path):
    proc = _minutes("export", "--tables", str(tmp_path / "nothing"), "--format", "sqlite", "--out", "x.sqlite")
    _assert_one_line_error(proc, "holds no extracted tables", "minutes extract")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    proc = _minutes("export", "--tables", str(sample_out), "--format", "xlsx", "--out", str(folder))
    _assert_one_line_error(proc, "is a folder")
    proc = _minutes("export", "--tables", str(tmp_path / "nothing"), "--format", "prodigy", "--out", "p.jsonl")
    _assert_one_line_error(proc, "holds no extracted tables")


@pytest.mark.parametrize("fmt, name", [("csv", "csv"), ("xlsx", "t.xlsx"), ("sqlite", "t.sqlite")])
def test_a_failed_export_leaves_the_previous_one_and_no_temporary(sample_out, tmp_path, monkeypatch, fmt, name):
    dest = tmp_path / name
    _export(sample_out, fmt, dest)
    before = sorted(p.name for p in tmp_path.iterdir())
    real = flat_tables.column_values
    calls = []

    def fail_on_the_third_table(frame, spec, *args, **kwargs):
        calls.append(spec.name)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(frame, spec, *args, **kwargs)

    for module in ("tables_export", "xlsx_export", "sqlite_export"):
        monkeypatch.setattr(f"pipeline.export.{module}.column_values", fail_on_the_third_table)
    with pytest.raises(OSError, match="disk full"):
        tables_export.export_tables(sample_out, fmt, dest)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing half-written beside it
    if fmt == "csv":
        assert len(pd.read_csv(dest / "sections.csv")) == len(pd.read_parquet(sample_out / "sections"))
    elif fmt == "sqlite":
        assert sqlite3.connect(dest).execute("select count(*) from sections").fetchone()[0] > 0


def test_csv_list_columns_are_json_arrays(sample_out, parquet, tmp_path):
    dest = tmp_path / "csv"
    _export(sample_out, "csv", dest)
    with (dest / "people.csv").open(encoding="utf-8", newline="") as fh:
        aliases = {row["person_id"]: json.loads(row["aliases"]) for row in csv.DictReader(fh)}
    people = parquet["people"]
    assert aliases == {pid: list(a) for pid, a in zip(people["person_id"], people["aliases"])}
