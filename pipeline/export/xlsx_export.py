"""Excel export (openpyxl, write-only: rows stream to disk, a table is never held twice): a "dictionary" sheet
first, then one sheet per table.

Excel cannot hold everything a table can, and the dictionary sheet says where it did not:
- a cell holds at most 32,767 characters: longer text (a document's text) is cut, ending in a marker that
  gives its full length;
- a sheet holds at most 1,048,576 rows, the header included: a longer table continues on "<table> (2)", ...;
- control characters other than tab, line feed and carriage return are not allowed in a cell: each becomes a
  space (one character for one, so offsets still hold).
Text that starts with "=" is written as text, never as a formula.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .flat_tables import (
    CONVENTIONS,
    ExportSummary,
    atomic_file,
    column_values,
    exported_at,
    read_tables,
    row_tuples,
    type_words,
)
from .schema import TABLES

EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, the header row included
EXCEL_MAX_CELL = 32_767  # characters per cell
DICTIONARY_SHEET = "dictionary"
DICTIONARY_HEADER = ("table", "sheet", "rows", "column", "type", "description")
NOTE = "(note)"  # the table cell of the dictionary's note rows


def _cut_marker(length: int) -> str:
    return f" … [cut here: {length:,} characters in all]"


class _CellFixes:
    """Makes each value fit in a cell and counts what it had to change, per table.column."""

    def __init__(self, max_cell: int):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self.max_cell = max_cell
        self.illegal = ILLEGAL_CHARACTERS_RE
        self.cut: Counter = Counter()
        self.replaced: Counter = Counter()

    def fit(self, value, where: str):
        if not isinstance(value, str):
            return value
        if self.illegal.search(value):
            value = self.illegal.sub(" ", value)
            self.replaced[where] += 1
        if len(value) > self.max_cell:
            marker = _cut_marker(len(value))
            value = value[: self.max_cell - len(marker)] + marker
            self.cut[where] += 1
        return value

    def notes(self) -> list[str]:
        notes = [
            f"{where}: {n:,} cells longer than Excel's {self.max_cell:,} characters were cut, each ending in "
            "'… [cut here: N characters in all]'; offsets past the cut point at text "
            "that is not in this workbook (the csv and sqlite exports hold the whole text)."
            for where, n in sorted(self.cut.items())
        ]
        notes += [
            f"{where}: control characters Excel does not allow (form feeds, ...) were written as spaces in {n:,} "
            "cells (one for one: offsets still hold)."
            for where, n in sorted(self.replaced.items())
        ]
        return notes


def _sheet_names(name: str, n_rows: int, max_rows: int) -> list[str]:
    per_sheet = max_rows - 1
    n_sheets = max(1, -(-n_rows // per_sheet))
    return [name if i == 0 else f"{name} ({i + 1})" for i in range(n_sheets)]


class _Sheets:
    """A write-only workbook: sheets with a bold, frozen header row; text cells that stay text."""

    def __init__(self, max_cell: int):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self.workbook = Workbook(write_only=True)
        self.bold = Font(bold=True)
        self.fixes = _CellFixes(max_cell)

    def new(self, title: str, header: list[str], widths: list[int], index: int | None = None):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter

        sheet = self.workbook.create_sheet(title, index)
        sheet.freeze_panes = "A2"
        for number, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        header_cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = self.bold
            header_cells.append(cell)
        sheet.append(header_cells)
        return sheet

    def append(self, sheet, row, where: list[str]) -> None:
        """One row; where[i] names the value's table.column for the notes."""
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for value, place in zip(row, where):
            value = self.fixes.fit(value, place)
            if isinstance(value, str) and value.startswith("="):  # openpyxl would write a formula
                value = WriteOnlyCell(sheet, value=value)
                value.data_type = "s"
            cells.append(value)
        sheet.append(cells)

    def discard(self) -> None:
        for sheet in self.workbook.worksheets:  # finish each sheet's stream, or openpyxl complains as it is dropped
            if not sheet.closed:
                sheet.close()


def write_xlsx(
    tables_dir: Path, dest: Path, max_rows: int = EXCEL_MAX_ROWS, max_cell: int = EXCEL_MAX_CELL
) -> ExportSummary:
    """The workbook: the dictionary sheet, then each table's sheet(s)."""
    summary = ExportSummary(dest)
    sheets = _Sheets(max_cell)
    try:
        sheets_of = _table_sheets(sheets, tables_dir, summary, max_rows)
        _dictionary_sheet(sheets, tables_dir, summary, sheets_of)
    except BaseException:
        sheets.discard()
        raise
    with atomic_file(dest) as tmp:
        sheets.workbook.save(tmp)
    return summary


def _table_sheets(sheets: _Sheets, tables_dir: Path, summary: ExportSummary, max_rows: int) -> dict[str, list[str]]:
    """Each table's sheet (and continuation sheets); returns the sheet names per table."""
    sheets_of = {}
    for spec, frame in read_tables(tables_dir):
        names = _sheet_names(spec.name, len(frame), max_rows)
        sheets_of[spec.name] = names
        widths = [40 if type_words(c.type) == "text" else 14 for c in spec.columns]
        where = [f"{spec.name}.{c}" for c in spec.column_names]
        rows = row_tuples(column_values(frame, spec, dates_as="date"))
        for title in names:
            sheet = sheets.new(title, spec.column_names, widths)
            for _, row in zip(range(max_rows - 1), rows):
                sheets.append(sheet, row, where)
        summary.rows[spec.name] = len(frame)
        if len(names) > 1:
            summary.notes.append(
                f"{spec.name}: {len(frame):,} rows are more than one sheet holds ({max_rows - 1:,} below the "
                f"header): they continue on {', '.join(names[1:])}."
            )
    summary.notes[:0] = sheets.fixes.notes()
    return sheets_of


def _dictionary_sheet(sheets: _Sheets, tables_dir: Path, summary: ExportSummary, sheets_of: dict) -> None:
    """In front of the tables: notes first (what Excel could not hold is what a reader must not miss), then a row
    per table and per column."""
    from .. import __version__

    sheet = sheets.new(DICTIONARY_SHEET, list(DICTIONARY_HEADER), [14, 16, 10, 18, 22, 100], index=0)
    about = [
        f"Exported from {tables_dir.resolve()} by minutes-ie {__version__} on {exported_at()}.",
        *CONVENTIONS,
        *summary.notes,
    ]
    for line in about:
        sheet.append([NOTE, "", None, "", "", line])
    for name, spec in TABLES.items():
        sheet.append([name, ", ".join(sheets_of[name]), summary.rows[name], "", "", spec.description])
        for column in spec.columns:
            sheet.append([name, "", None, column.name, type_words(column.type), column.description])
