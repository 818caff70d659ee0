"""Analysts' loaders: the extracted tables as pandas DataFrames with proper dtypes, or DuckDB views.

    import pipeline
    t = pipeline.load("data/extracted")          # dict of DataFrames, one per table
    t["metrics"].groupby("indicator").value.describe()

    con = pipeline.connect("data/extracted")     # DuckDB, one view per table
    con.sql("select committee, count(*) from documents join attendance using (doc_id) group by 1")
"""

from __future__ import annotations

from pathlib import Path

from .export.schema import TABLES

# columns that take few distinct values: pandas categories save memory and sort in a sensible order
CATEGORIES = {
    "documents": {"format": None, "council": None, "committee": None},
    "sections": {"kind": None},
    "entities": {"label": ["PERSON", "ROLE", "ORG", "DATE", "METRIC"]},
    "relations": {"label": ["HAS_ROLE", "AFFILIATED_WITH", "ROLE_IN_ORG"], "evidence": None},
    "metrics": {"unit": ["count", "percent", "rate", "currency", "average"]},
    "attendance": {"status": ["chair", "present", "substitute", "in_attendance", "apologies"]},
    "errors": {"stage": None},
}


def _table_path(out: Path, name: str) -> Path:
    path = out / name
    if not path.is_dir():
        raise FileNotFoundError(f"{path} not found: run `make extract` (or `minutes extract DIR --out {out}`) first")
    return path


def load_table(out_dir: str | Path, name: str):
    """One table as a DataFrame: dates as datetime64, numbers as numbers, nullable ints, categories."""
    import pandas as pd
    import pyarrow.dataset as ds

    table = ds.dataset(_table_path(Path(out_dir), name), format="parquet", schema=TABLES[name].schema).to_table()
    df = table.to_pandas(types_mapper={__import__("pyarrow").int64(): pd.Int64Dtype()}.get)
    for col in df.columns:
        kind = TABLES[name].schema.field(col).type
        if str(kind) == "date32[day]":
            df[col] = pd.to_datetime(df[col])
    for col, cats in CATEGORIES.get(name, {}).items():
        values = cats if cats is not None else sorted(v for v in df[col].dropna().unique())
        df[col] = pd.Categorical(df[col], categories=values, ordered=cats is not None)
    return df


def load(out_dir: str | Path = "data/extracted") -> dict:
    """Every table as a DataFrame, keyed by table name."""
    return {name: load_table(out_dir, name) for name in TABLES}


def connect(out_dir: str | Path = "data/extracted", database: str = ":memory:"):
    """A DuckDB connection with one view per table over its Parquet parts."""
    import duckdb

    out = Path(out_dir)
    con = duckdb.connect(database)
    for name, spec in TABLES.items():
        path = _table_path(out, name)
        # union_by_name + explicit columns keep the view's shape even if a part is empty
        con.execute(f"create or replace view {name} as select {', '.join(spec.column_names)} "
                    f"from read_parquet('{path.as_posix()}/*.parquet', union_by_name=true)")
    return con
