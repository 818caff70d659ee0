"""Compare two output folders table by table, row for row, whatever order parts and rows were written in.

Used by the engine tests (a Dask run, a run with workers, an incremental re-run must equal a plain full
run) and handy after moving a run to a cluster: `python -m pipeline.engine.compare OUT_A OUT_B`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

# the columns that identify a row in each table; remaining columns break ties so the order is total
ID_COLUMNS = {
    "documents": ["doc_id"],
    "sections": ["doc_id", "section_id"],
    "entities": ["doc_id", "entity_id"],
    "relations": ["doc_id", "relation_id"],
    "metrics": ["doc_id", "entity_id"],
    "attendance": ["doc_id", "person", "status", "section_id"],
    "people": ["person_id"],
    "role_history": ["person_id", "doc_id", "role", "org"],
    "errors": ["source_path", "part", "stage"],
}


def read_sorted(out: str | Path, table: str) -> pd.DataFrame:
    """The table's rows sorted by its id columns, then by every column (as text), index reset."""
    df = pd.read_parquet(Path(out) / table)
    if df.empty:
        return df.reset_index(drop=True)
    ids = [c for c in ID_COLUMNS.get(table, []) if c in df.columns]
    rest = [c for c in df.columns if c not in ids]
    key = pd.DataFrame({c: df[c].map(repr) for c in ids + rest}, index=df.index)
    order = key.sort_values(list(key.columns), kind="mergesort").index
    return df.loc[order].reset_index(drop=True)


def differences(out_a: str | Path, out_b: str | Path, tables: list[str] | None = None) -> list[str]:
    """One line per table that differs (empty when all are equal)."""
    from ..export.schema import TABLES

    problems = []
    for table in tables or list(TABLES):
        a, b = read_sorted(out_a, table), read_sorted(out_b, table)
        try:
            pd.testing.assert_frame_equal(a, b, check_dtype=True)
        except AssertionError as exc:
            problems.append(f"{table}: {len(a)} vs {len(b)} rows; {str(exc).splitlines()[0]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m pipeline.engine.compare OUT_A OUT_B", file=sys.stderr)
        return 2
    problems = differences(*argv)
    for line in problems:
        print(line)
    print("equal" if not problems else f"{len(problems)} table(s) differ")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
