"""`minutes export --format csv|xlsx|sqlite --tables OUT --out DEST`: every table, with the data dictionary's
descriptions beside it, for people who work in a spreadsheet, a SQL client or Datasette rather than pandas.

- csv: a folder with one `<table>.csv` per table and a README.md (what each file holds, each column's
  type and description);
- xlsx: one workbook, a "dictionary" sheet then one sheet per table (pipeline/export/xlsx_export.py);
- sqlite: one database, a table per table with its keys indexed, full-text search over the documents' text,
  and the dictionary as tables (pipeline/export/sqlite_export.py).

Every export is written under a temporary name and renamed into place when complete.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .flat_tables import (
    CONVENTIONS,
    ExportError,
    ExportSummary,
    atomic_folder,
    check_destination,
    check_tables,
    column_values,
    exported_at,
    read_tables,
    row_tuples,
    type_words,
)
from .schema import TABLES

TABLE_FORMATS = ("csv", "xlsx", "sqlite")
CSV_README = "README.md"
CSV_TITLE = "# minutes-ie tables: CSV export"  # the README's first line marks a folder an export wrote


def export_tables(tables_dir: str | Path, fmt: str, dest: str | Path) -> ExportSummary:
    """Write every table of tables_dir to dest in fmt (csv, xlsx or sqlite)."""
    tables_dir, dest = Path(tables_dir), Path(dest)
    if fmt not in TABLE_FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(TABLE_FORMATS)}")
    check_tables(tables_dir)
    check_destination(dest, is_folder=fmt == "csv")
    if fmt == "csv":
        return write_csv(tables_dir, dest)
    if fmt == "xlsx":
        from .xlsx_export import write_xlsx

        return write_xlsx(tables_dir, dest)
    from .sqlite_export import write_sqlite

    return write_sqlite(tables_dir, dest)


def _csv_cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _is_csv_export(folder: Path) -> bool:
    readme = folder / CSV_README
    return readme.is_file() and readme.read_text(encoding="utf-8").startswith(CSV_TITLE)


def write_csv(tables_dir: Path, dest: Path) -> ExportSummary:
    """One CSV per table (UTF-8, a header row, RFC 4180 quoting) and a README.md with the dictionary."""
    summary = ExportSummary(dest)
    with atomic_folder(dest, _is_csv_export) as folder:
        for spec, frame in read_tables(tables_dir):
            columns = column_values(frame, spec)
            with (folder / f"{spec.name}.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(spec.column_names)
                writer.writerows([_csv_cell(v) for v in row] for row in row_tuples(columns))
            summary.rows[spec.name] = len(frame)
        (folder / CSV_README).write_text(csv_readme(tables_dir, summary.rows), encoding="utf-8")
    return summary


def csv_readme(tables_dir: Path, rows: dict[str, int]) -> str:
    """The CSV folder's README: the files, then each table's columns with type and description."""
    from .. import __version__

    out = [
        CSV_TITLE,
        "",
        f"Exported from `{tables_dir.resolve()}` by minutes-ie {__version__} on {exported_at()}.",
        "One CSV file per table: UTF-8, comma-separated, a header row, fields with commas, quotes or line breaks "
        'quoted with ". true/false columns are written true or false.',
        *CONVENTIONS,
        "",
        "| file | rows | one row per |",
        "| --- | ---: | --- |",
        *(f"| `{name}.csv` | {rows[name]:,} | {TABLES[name].one_row_per} |" for name in rows),
        "",
    ]
    for name in rows:
        spec = TABLES[name]
        out += [f"## {name}", "", spec.description, "", "| column | type | description |", "| --- | --- | --- |"]
        out += [f"| `{c.name}` | {type_words(c.type)} | {c.description} |" for c in spec.columns]
        out.append("")
    return "\n".join(out)


__all__ = ["TABLE_FORMATS", "ExportError", "ExportSummary", "export_tables"]
