"""Read the extracted tables: pandas DataFrames with proper dtypes (`load`), DuckDB views (`connect`), and
the empty-table messages the notebooks show."""

from __future__ import annotations

from pathlib import Path

from ..export.schema import TABLES

# columns that take few distinct values: pandas categories save memory and sort in a sensible order.
# A list fixes the order (values not in it are appended, never dropped); None: sorted values seen.
CATEGORIES = {
    "documents": {
        "format": None,
        "council": None,
        "committee": None,
        **{
            f"{name}_source": ["manifest", "option", "folder", "text"]
            for name in ("council", "committee", "meeting_date")
        },
    },
    "sections": {"kind": None},
    "entities": {"label": ["PERSON", "ROLE", "ORG", "DATE", "METRIC"]},
    "relations": {"label": ["HAS_ROLE", "AFFILIATED_WITH", "ROLE_IN_ORG"], "evidence": None},
    "metrics": {"unit": ["count", "percent", "rate", "currency", "average"]},
    "attendance": {"status": ["chair", "present", "substitute", "in_attendance", "apologies"]},
    "decisions": {
        "outcome": ["approved", "noted", "deferred", "refused", "amended"],
        "carried": ["unanimous", "vote"],
        "tally_source": ["stated", "named", "both"],
    },
    "votes": {"vote": ["for", "against", "abstain", "did_not_vote"], "evidence": None},
    "interests": {"kind": None},
    "errors": {"stage": None},
}

# tables that only have rows when a trained NER model ran
MODEL_TABLES = ("entities", "relations", "metrics", "attendance", "votes", "interests", "people", "role_history")

# attendance statuses that mean the person was at the meeting
ATTENDED = ("chair", "present", "substitute", "in_attendance")

# Arrow type (as str) -> DuckDB type, for typed views (also over folders with no parts yet)
_DUCK_TYPES = {
    "string": "VARCHAR",
    "int64": "BIGINT",
    "double": "DOUBLE",
    "date32[day]": "DATE",
    "bool": "BOOLEAN",
    "list<item: string>": "VARCHAR[]",
}


def _check_out(out: Path) -> None:
    if not (out / "documents").is_dir():
        raise FileNotFoundError(
            f"{out} holds no extracted tables: run `make extract` (or `minutes extract DIR --out {out}`) first"
        )


def _parts(out: Path, name: str) -> list[Path]:
    """The table's Parquet parts (hidden temporaries of a run in progress are not parts)."""
    folder = out / name
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def load_table(out_dir: str | Path, name: str):
    """One table as a DataFrame: dates as datetime64, numbers as numbers (nullable Int64), flags as boolean,
    low-cardinality text as categories. A table folder with no parts gives an empty frame with every column."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.dataset as ds

    out = Path(out_dir)
    _check_out(out)
    schema = TABLES[name].schema
    parts = _parts(out, name)
    # one dataset over all parts, read in parallel, with the declared schema: a column missing from a part
    # written by an older version reads as nulls (part by part this was ~7 ms a part; see benchmarks/RESULTS.md)
    if parts:
        table = ds.dataset([str(p) for p in parts], schema=schema, format="parquet").to_table()
    else:
        table = schema.empty_table()
    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    df = table.to_pandas(types_mapper=mapping.get, date_as_object=False)
    for field in schema:
        if pa.types.is_date(field.type):
            df[field.name] = pd.to_datetime(df[field.name])
    for col, cats in CATEGORIES.get(name, {}).items():
        seen = sorted(v for v in df[col].dropna().unique())
        values = seen if cats is None else list(cats) + [v for v in seen if v not in cats]
        df[col] = pd.Categorical(df[col], categories=values, ordered=cats is not None)
    return df


class UnfinishedRunWarning(UserWarning):
    """The last `minutes extract` into the folder did not complete: the tables may be incomplete."""


def warn_if_unfinished(out_dir: str | Path, stacklevel: int = 3) -> None:
    """One warning when the folder's run state (OUT/_state/run.json) says the last run did not complete."""
    import warnings

    from ..engine.run_state import unfinished_message

    message = unfinished_message(out_dir)
    if message:
        warnings.warn(message[0].upper() + message[1:] + ".", UnfinishedRunWarning, stacklevel=stacklevel)


def load(out_dir: str | Path = "data/extracted") -> dict:
    """Every table as a DataFrame, keyed by table name (with a warning when the last run did not complete)."""
    _check_out(Path(out_dir))
    warn_if_unfinished(out_dir)
    return {name: load_table(out_dir, name) for name in TABLES}


def _quoted(column: str) -> str:
    return f'"{column}"'


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def connect(out_dir: str | Path = "data/extracted", database: str = ":memory:"):
    """A DuckDB connection with one view per table over its Parquet parts (typed, even with no parts yet)."""
    import duckdb

    out = Path(out_dir)
    _check_out(out)
    warn_if_unfinished(out)
    con = duckdb.connect(database)
    for name, spec in TABLES.items():
        cols = [(f.name, _DUCK_TYPES[str(f.type)]) for f in spec.schema]
        if parts := _parts(out, name):
            # union_by_name + explicit casts keep the view's shape whatever the parts hold; a column no part has
            # (parts written before it was added) is null, as in load_table
            import pyarrow.parquet as pq

            present = {c for part in parts for c in pq.read_schema(part).names}
            glob = _sql_str(f"{(out / name).resolve().as_posix()}/*.parquet")
            select = ", ".join(f'cast({_quoted(c) if c in present else "null"} as {t}) as "{c}"' for c, t in cols)
            src = f"read_parquet({glob}, union_by_name=true)"
        else:
            select = ", ".join(f'cast(null as {t}) as "{c}"' for c, t in cols)
            src = "(select 1) as nothing where false"
        con.execute(f"create or replace view {name} as select {select} from {src}")
    return con


# --- empty tables ---------------------------------------------------------------------------------------


def why_empty(tables: dict) -> str:
    """Why tables may have no rows: no documents, or no trained model (rules only)."""
    docs = tables["documents"]
    if not len(docs):
        return "The output folder has no documents yet: run `make extract` (or `minutes extract CORPUS --out DIR`)."
    versions = set(docs["model_version"].dropna())
    if versions <= {"rules-only"}:
        return (
            "These tables were extracted without a trained NER model (model_version 'rules-only'), so "
            f"{', '.join(MODEL_TABLES)} are empty. Train one with `make train`, then re-run `make extract`."
        )
    return ""


def preview(df, what: str, tables: dict | None = None, n: int | None = 20):
    """The first n rows (all rows if n is None), or a printed "no rows yet" message for an empty frame.

    Returns the frame to display (None when empty, so a notebook cell shows only the message)."""
    if df is None or not len(df):
        reason = why_empty(tables) if tables is not None else ""
        print(f"No rows yet in {what}." + (f" {reason}" if reason else ""))
        return None
    return df if n is None else df.head(n)


def table_counts(tables: dict):
    """Rows per table."""
    import pandas as pd

    return pd.DataFrame({"table": list(tables), "rows": [len(df) for df in tables.values()]})
