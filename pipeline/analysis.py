"""Analysts' loaders and helpers: the extracted tables as pandas DataFrames with proper dtypes, DuckDB views,
and the small computations the notebooks (notebooks/*.ipynb) and the README figure share.

    import pipeline
    t = pipeline.load("data/extracted")          # dict of DataFrames, one per table
    t["metrics"].groupby("indicator").value.describe()

    con = pipeline.connect("data/extracted")     # DuckDB, one view per table
    con.sql("select committee, count(*) from documents join attendance using (doc_id) group by 1")

    from pipeline import analysis
    analysis.metric_changes(t)                   # figures reported as a change ('from 130 to 75'), largest first
    analysis.attendance_rates(t)                 # per person and committee: attended / apologies / rates
    analysis.role_timelines(t)                   # who held which post, first and last meeting seen

Every helper takes the dict from `load` and copes with empty tables (a run without a trained model has no
entities, metrics or attendance): it returns an empty frame with the same columns. `preview` prints a
clear "no rows yet" message for those instead of an empty table.
"""

from __future__ import annotations

from pathlib import Path

from .export.schema import TABLES

# columns that take few distinct values: pandas categories save memory and sort in a sensible order.
# A list fixes the order (values not in it are appended, never dropped); None: sorted values seen.
CATEGORIES = {
    "documents": {"format": None, "council": None, "committee": None},
    "sections": {"kind": None},
    "entities": {"label": ["PERSON", "ROLE", "ORG", "DATE", "METRIC"]},
    "relations": {"label": ["HAS_ROLE", "AFFILIATED_WITH", "ROLE_IN_ORG"], "evidence": None},
    "metrics": {"unit": ["count", "percent", "rate", "currency", "average"]},
    "attendance": {"status": ["chair", "present", "substitute", "in_attendance", "apologies"]},
    "errors": {"stage": None},
}

# tables that only have rows when a trained NER model ran
MODEL_TABLES = ("entities", "relations", "metrics", "attendance", "people", "role_history")

# attendance statuses that mean the person was at the meeting
ATTENDED = ("chair", "present", "substitute", "in_attendance")

# Arrow type (as str) -> DuckDB type, for typed views (also over folders with no parts yet)
_DUCK_TYPES = {"string": "VARCHAR", "int64": "BIGINT", "double": "DOUBLE", "date32[day]": "DATE", "bool": "BOOLEAN",
               "list<item: string>": "VARCHAR[]"}


def _check_out(out: Path) -> None:
    if not (out / "documents").is_dir():
        raise FileNotFoundError(f"{out} holds no extracted tables: run `make extract` "
                                f"(or `minutes extract DIR --out {out}`) first")


def _parts(out: Path, name: str) -> list[Path]:
    """The table's Parquet parts (hidden temporaries of a run in progress are not parts)."""
    folder = out / name
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


def load_table(out_dir: str | Path, name: str):
    """One table as a DataFrame: dates as datetime64, numbers as numbers (nullable Int64), flags as boolean,
    low-cardinality text as categories. A table folder with no parts gives an empty frame with every column."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out_dir)
    _check_out(out)
    schema = TABLES[name].schema
    parts = _parts(out, name)
    if parts:
        # read part by part and cast to the declared schema: a part written by an older version may lack a column
        tables = []
        for p in parts:
            t = pq.read_table(p)
            for field in schema:
                if field.name not in t.column_names:
                    t = t.append_column(field.name, pa.nulls(len(t), field.type))
            tables.append(t.select(schema.names).cast(schema))
        table = pa.concat_tables(tables)
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


def load(out_dir: str | Path = "data/extracted") -> dict:
    """Every table as a DataFrame, keyed by table name."""
    return {name: load_table(out_dir, name) for name in TABLES}


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def connect(out_dir: str | Path = "data/extracted", database: str = ":memory:"):
    """A DuckDB connection with one view per table over its Parquet parts (typed, even with no parts yet)."""
    import duckdb

    out = Path(out_dir)
    _check_out(out)
    con = duckdb.connect(database)
    for name, spec in TABLES.items():
        cols = [(f.name, _DUCK_TYPES[str(f.type)]) for f in spec.schema]
        if _parts(out, name):
            # union_by_name + explicit casts keep the view's shape whatever the parts hold
            glob = _sql_str(f"{(out / name).resolve().as_posix()}/*.parquet")
            select = ", ".join(f'cast("{c}" as {t}) as "{c}"' for c, t in cols)
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
        return ("These tables were extracted without a trained NER model (model_version 'rules-only'), so "
                f"{', '.join(MODEL_TABLES)} are empty. Train one with `make train`, then re-run `make extract`.")
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


# --- documents ----------------------------------------------------------------------------------------


MEETING_COLUMNS = ["council", "committee", "meeting_date"]


def with_meeting(df, tables: dict, columns=MEETING_COLUMNS):
    """Any table with a doc_id, with the meeting's council, committee and date joined on (first columns)."""
    docs = tables["documents"][["doc_id", *columns]]
    out = df.merge(docs, on="doc_id", how="left")
    return out[["doc_id", *columns, *[c for c in df.columns if c != "doc_id"]]]


def pick_document(tables: dict) -> str | None:
    """A document worth showing: the one with the most entity mentions (else the most sections)."""
    for name in ("entities", "sections", "documents"):
        df = tables[name]
        if len(df):
            return str(df["doc_id"].value_counts().idxmax())
    return None


def document_rows(tables: dict, doc_id: str) -> dict:
    """One document's rows: `sections` (with a text snippet), `entities`, `relations` (with labels of both ends)."""
    docs = tables["documents"]
    text = docs.loc[docs["doc_id"] == doc_id, "text"]
    text = text.iloc[0] if len(text) else ""
    sections = tables["sections"].query("doc_id == @doc_id").copy()
    sections["snippet"] = [" ".join(text[int(s):int(e)].split())[:80] for s, e in zip(sections["start_char"], sections["end_char"])]
    entities = tables["entities"].query("doc_id == @doc_id")
    labels = dict(zip(entities["entity_id"], entities["label"].astype(str)))
    relations = tables["relations"].query("doc_id == @doc_id").copy()
    relations["head_label"] = relations["head_id"].map(labels)
    relations["tail_label"] = relations["tail_id"].map(labels)
    return {
        "sections": sections[["section_id", "kind", "item_number", "title", "parent_id", "snippet"]].reset_index(drop=True),
        "entities": entities[["entity_id", "label", "text", "norm", "section_id", "score"]].reset_index(drop=True),
        "relations": relations[["relation_id", "label", "head_label", "head_text", "tail_label", "tail_text", "evidence", "score"]]
        .reset_index(drop=True),
    }


# --- metrics -----------------------------------------------------------------------------------------


def metrics_table(tables: dict):
    """Every metric with its meeting, indicator and period, in meeting order."""
    cols = ["entity_id", "text", "value", "unit", "per", "approximate", "indicator", "period", "period_start",
            "period_end", "compare_to", "sentence"]
    df = with_meeting(tables["metrics"][["doc_id", *cols]], tables)
    return df.sort_values(["meeting_date", "doc_id", "entity_id"], kind="stable").reset_index(drop=True)


def metric_series(tables: dict, indicator: str | None = None, unit: str | None = None):
    """Figures to follow over time: rows with `when` (end of the period the figure refers to, else the meeting
    date) and `series` (the indicator, casefolded). `indicator` is a case-insensitive regular expression."""
    df = metrics_table(tables)
    if indicator is not None:
        df = df[df["indicator"].fillna("").str.contains(indicator, case=False, regex=True)]
    if unit is not None:
        df = df[df["unit"] == unit]
    df = df.copy()
    df["when"] = df["period_end"].fillna(df["meeting_date"])
    df["series"] = df["indicator"].fillna("(no indicator)").str.casefold().str.strip()
    return df.dropna(subset=["when", "value"]).sort_values("when", kind="stable").reset_index(drop=True)


def tour_series(tables: dict) -> tuple[str, object, bool]:
    """The figure to plot for a quick look at reported figures over time. Returns (title, rows, connect):
    caseload figures when at least two meetings report them (a line per indicator); else every percentage,
    one colour per committee (points only); else every figure, one colour per unit."""
    caseload = metric_series(tables, indicator="caseload")
    if caseload["doc_id"].nunique() >= 2:
        return "Caseload figures reported across meetings", caseload, True
    pct = metric_series(tables, unit="percent")
    if len(pct):
        pct["series"] = pct["committee"].astype(str)
        return "Percentages reported in the minutes, by committee", pct, False
    every = metric_series(tables)
    every["series"] = every["unit"].astype(str)
    return "Figures reported in the minutes, by unit", every, False


def metric_changes(tables: dict):
    """Figures reported as a change ('from 130 to 75'): the newer value, the older one it compares to
    (`compare_to`), the change and the change in percent, largest relative change first."""
    m = metrics_table(tables)
    df = m[m["compare_to"].notna()].copy()
    older = m.set_index("entity_id")
    for col in ("text", "value", "unit", "period"):
        df[f"from_{col}"] = df["compare_to"].map(older[col]) if len(df) else older[col].iloc[:0].to_numpy()
    df = df.rename(columns={"text": "to_text", "value": "to_value", "period": "to_period"})
    # a change is only computed between figures of the same unit (not a rate against a count)
    same = (df["unit"].astype(str) == df["from_unit"].astype(str)) & (df["per"].fillna(0) == df["compare_to"].map(older["per"]).fillna(0))
    df["change"] = (df["to_value"] - df["from_value"]).where(same)
    base = df["from_value"].where(df["from_value"] != 0)
    df["change_pct"] = (100 * df["change"] / base.abs()).round(1)
    df = df.assign(_pct=df["change_pct"].abs(), _abs=df["change"].abs())
    df = df.sort_values(["_pct", "_abs"], ascending=False, na_position="last", kind="stable")
    cols = ["council", "committee", "meeting_date", "indicator", "from_text", "to_text", "from_value", "to_value",
            "change", "change_pct", "unit", "from_unit", "from_period", "to_period", "sentence"]
    return df[cols].reset_index(drop=True)


def plot_metric_series(df, title: str = "", connect: bool = True, ax=None):
    """Reported values against `when`, one colour per `series` (rows from metric_series or tour_series); with
    `connect`, a line joins a series' points when they come from more than one meeting. Returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    if not len(df):
        ax.text(0.5, 0.5, "no metrics yet", ha="center", va="center", transform=ax.transAxes)
    groups = list(df.groupby("series", sort=True)) if len(df) else []
    for name, g in groups[:12]:
        line = "-" if connect and g["doc_id"].nunique() > 1 else "none"
        ax.plot(g["when"], g["value"], marker="o", linestyle=line, label=_short(str(name), 45))
    units = sorted(str(u) for u in df["unit"].dropna().unique()) if len(df) else []
    ax.set_ylabel("value" + (f" ({', '.join(units)})" if units else ""))
    ax.set_xlabel("end of the period the figure refers to (else the meeting date)")
    ax.set_title(title)
    if groups:
        ax.legend(fontsize="small", loc="best", frameon=False)
    ax.grid(alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# --- people --------------------------------------------------------------------------------------------


def _person_key(att):
    return att["person_id"].fillna(att["person"])


def _canonical_names(att, tables: dict):
    """Attendance rows named as in the people table (the merged person's fullest name), where known."""
    people = tables["people"]
    names = att["person_id"].map(dict(zip(people["person_id"], people["name"]))) if len(people) else att["person"]
    return att.assign(person=names.fillna(att["person"]))


def attendance_matrix(tables: dict):
    """Who attends which committee: people (rows) by committee (columns), number of meetings listed at."""
    import pandas as pd

    att = with_meeting(tables["attendance"], tables)
    if not len(att):
        return pd.DataFrame()
    att = _canonical_names(att, tables).assign(committee=att["committee"].astype(str))
    att = att.drop_duplicates(["doc_id", "person"])
    m = pd.crosstab(att["person"], att["committee"])
    return m.loc[m.sum(axis=1).sort_values(ascending=False, kind="stable").index]


def attendance_rates(tables: dict):
    """Per person and committee: the committee's meetings in the tables, meetings attended (present, chair,
    substitute, in attendance), apologies sent, and attendance/apology rates over the committee's meetings."""
    import pandas as pd

    cols = ["person", "person_id", "committee", "committee_meetings", "attended", "apologies", "attendance_rate",
            "apology_rate", "first_meeting", "last_meeting"]
    att = with_meeting(tables["attendance"], tables)
    if not len(att):
        return pd.DataFrame(columns=cols)
    docs = tables["documents"]
    meetings = docs.groupby(docs["committee"].astype(str), observed=True)["doc_id"].nunique()
    att = _canonical_names(att, tables)
    att = att.assign(committee=att["committee"].astype(str), key=_person_key(att),
                     attended=att["status"].isin(ATTENDED), apologies=att["status"] == "apologies")
    g = att.groupby(["key", "committee"], observed=True)
    df = g.agg(person=("person", "first"), person_id=("person_id", "first"), attended=("attended", "sum"),
               apologies=("apologies", "sum"), first_meeting=("meeting_date", "min"),
               last_meeting=("meeting_date", "max")).reset_index()
    df["committee_meetings"] = df["committee"].map(meetings).astype("Int64")
    df["attendance_rate"] = (df["attended"] / df["committee_meetings"]).astype(float).round(2)
    df["apology_rate"] = (df["apologies"] / df["committee_meetings"]).astype(float).round(2)
    df = df.sort_values(["committee", "attended", "person"], ascending=[True, False, True], kind="stable")
    return df[cols].reset_index(drop=True)


def committee_attendance(tables: dict):
    """Per committee: meetings, people listed per meeting by status, and the share of listed members who sent
    apologies (apologies / (apologies + present + chair + substitute))."""
    import pandas as pd

    att = with_meeting(tables["attendance"], tables)
    cols = ["committee", "meetings", *ATTENDED, "apologies", "apology_share"]
    if not len(att):
        return pd.DataFrame(columns=cols)
    att = att.assign(committee=att["committee"].astype(str), status=att["status"].astype(str))
    counts = pd.crosstab(att["committee"], att["status"]).reindex(columns=[*ATTENDED, "apologies"], fill_value=0)
    docs = tables["documents"]
    meetings = docs.groupby(docs["committee"].astype(str), observed=True)["doc_id"].nunique()
    df = counts.reset_index()
    df.columns.name = None
    df["meetings"] = df["committee"].map(meetings)
    members = df["apologies"] + df["present"] + df["chair"] + df["substitute"]
    df["apology_share"] = (df["apologies"] / members.where(members > 0)).round(2)
    return df[cols].sort_values("meetings", ascending=False, kind="stable").reset_index(drop=True)


def role_timelines(tables: dict):
    """Who held which post: one row per person, role and organisation, with the first and last meeting date it
    was stated at and the number of meetings, ordered by person then first date."""
    import pandas as pd

    cols = ["person", "person_id", "role", "org", "first", "last", "meetings"]
    rh = tables["role_history"]
    if not len(rh):
        return pd.DataFrame(columns=cols)
    rh = rh.assign(role=rh["role"].fillna(""), org=rh["org"].fillna(""))
    df = rh.groupby(["person_id", "role", "org"], observed=True).agg(
        person=("person", "first"), first=("meeting_date", "min"), last=("meeting_date", "max"),
        meetings=("doc_id", "nunique")).reset_index()
    df[["role", "org"]] = df[["role", "org"]].replace("", None)
    return df[cols].sort_values(["person", "first"], kind="stable").reset_index(drop=True)


def plot_role_timelines(timelines, max_people: int = 12, ax=None):
    """A bar per person and post from the first to the last meeting it was stated at, one colour per person
    (people seen over the longest span, then with the most meetings, first). Returns the Axes."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd

    tl = timelines.dropna(subset=["first"])
    if len(tl):
        per = tl.groupby("person").agg(first=("first", "min"), last=("last", "max"), meetings=("meetings", "sum"))
        per["span"] = per["last"] - per["first"]
        order = per.sort_values(["span", "meetings"], ascending=False, kind="stable").index[:max_people]
        tl = tl[tl["person"].isin(order)].assign(rank=lambda d: d["person"].map({p: i for i, p in enumerate(order)}))
        tl = tl.sort_values(["rank", "first"], kind="stable")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.4 * max(len(tl), 4) + 1))
    if not len(tl):
        ax.text(0.5, 0.5, "no role history yet", ha="center", va="center", transform=ax.transAxes)
        return ax
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    labels = []
    for i, r in enumerate(tl.itertuples(index=False)):
        post = " / ".join(x for x in (r.role, r.org) if isinstance(x, str) and x)
        labels.append(_short(f"{r.person}: {post}", 70))
        start, end = pd.Timestamp(r.first), pd.Timestamp(r.last)
        ax.barh(i, max((end - start).days, 25), left=mdates.date2num(start - pd.Timedelta(days=12)), height=0.6,
                color=colours[r.rank % len(colours)])
    ax.set_yticks(range(len(labels)), labels, fontsize="small")
    ax.invert_yaxis()
    ax.xaxis_date()
    pad = pd.Timedelta(days=90)
    ax.set_xlim(mdates.date2num(pd.Timestamp(tl["first"].min()) - pad), mdates.date2num(pd.Timestamp(tl["last"].max()) + pad))
    ax.set_xlabel("meeting date (first to last meeting the post was stated at)")
    ax.grid(axis="x", alpha=0.3)
    return ax


def items_per_meeting(tables: dict):
    """Agenda items per meeting (from the sections table, so available without a trained model), by date."""
    import pandas as pd

    docs = tables["documents"][["doc_id", *MEETING_COLUMNS]]
    items = tables["sections"].query("kind == 'item'").groupby("doc_id").size().rename("items")
    df = docs.merge(items, left_on="doc_id", right_index=True, how="left")
    df["items"] = df["items"].fillna(0).astype(int)
    return df.sort_values(["meeting_date", "doc_id"], kind="stable").reset_index(drop=True) if len(df) else pd.DataFrame(
        columns=["doc_id", *MEETING_COLUMNS, "items"])


def plot_items_per_meeting(tables: dict, ax=None):
    """A bar per meeting: number of agenda items, labelled with committee and date. Returns the Axes."""
    import matplotlib.pyplot as plt

    df = items_per_meeting(tables)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    if not len(df):
        ax.text(0.5, 0.5, "no documents yet", ha="center", va="center", transform=ax.transAxes)
        return ax
    labels = [f"{_short(str(c), 40)}\n{d:%d %b %Y}" if d == d else _short(str(c), 40)
              for c, d in zip(df["committee"], df["meeting_date"])]
    ax.barh(range(len(df)), df["items"])
    ax.set_yticks(range(len(df)), labels, fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel("agenda items")
    ax.set_title("Agenda items per meeting")
    ax.grid(axis="x", alpha=0.3)
    return ax
