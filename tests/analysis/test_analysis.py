"""Analysts' loaders and helpers (pipeline/analysis/) against real extract output of the sample corpus:
dtypes from `load`, one typed DuckDB view per table from `connect`, empty and missing tables, and the
helpers the notebooks use (on the real output and on small hand-made tables with known answers)."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib

from tests.helpers import CORPUS, MODEL

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import pytest  # noqa: E402

import pipeline  # noqa: E402
from pipeline import analysis
from pipeline.engine import run_extract
from pipeline.export.schema import TABLES
from pipeline.export.writer import DatasetWriter, rows_to_table


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The sample corpus extracted once (with the trained model when there is one, else rules only)."""
    out = tmp_path_factory.mktemp("analysis") / "extracted"
    run_extract(CORPUS, out, str(MODEL) if MODEL.is_dir() else None)
    return out


@pytest.fixture(scope="module")
def tables(out) -> dict:
    return pipeline.load(out)


# --- load -------------------------------------------------------------------------------------------


def test_load_gives_every_table_with_its_columns_and_rows(out, tables):
    assert list(tables) == list(TABLES)
    for name, spec in TABLES.items():
        df = tables[name]
        assert list(df.columns) == spec.column_names, name
        assert len(df) == pq.ParquetDataset(out / name).read().num_rows, name
    assert len(tables["documents"]) == len(list(CORPUS.glob("*.txt")))
    assert len(tables["sections"]) > 0


def test_load_dtypes(tables):
    for name, spec in TABLES.items():
        df = tables[name]
        for col in spec.columns:
            dtype, kind = df[col.name].dtype, str(col.type)
            if kind == "date32[day]":
                assert pd.api.types.is_datetime64_dtype(dtype), (name, col.name, dtype)
            elif kind == "int64":
                assert isinstance(dtype, pd.Int64Dtype), (name, col.name, dtype)
            elif kind == "double":
                assert pd.api.types.is_float_dtype(dtype), (name, col.name, dtype)
            elif kind == "bool":
                assert isinstance(dtype, pd.BooleanDtype), (name, col.name, dtype)
            elif col.name in analysis.CATEGORIES.get(name, {}):
                assert isinstance(dtype, pd.CategoricalDtype), (name, col.name, dtype)
            elif kind == "string":
                assert pd.api.types.is_string_dtype(dtype) or dtype == "object", (name, col.name, dtype)
    # fixed orders for the closed vocabularies
    assert list(tables["entities"]["label"].cat.categories) == ["PERSON", "ROLE", "ORG", "DATE", "METRIC"]
    assert tables["attendance"]["status"].cat.ordered
    docs = tables["documents"]
    assert docs["meeting_date"].notna().all() and (docs["meeting_date"].dt.year > 2000).all()
    assert (docs["n_chars"] == docs["text"].str.len()).all()


def test_load_numbers_are_numeric_and_offsets_point_into_the_text(tables):
    text = tables["documents"].set_index("doc_id")["text"]
    secs = tables["sections"]
    assert (secs["end_char"] > secs["start_char"]).all()
    assert int(secs["end_char"].max()) <= int(tables["documents"]["n_chars"].max())
    for r in tables["entities"].head(200).itertuples(index=False):
        assert text[r.doc_id][r.start_char : r.end_char] == r.text
    m = tables["metrics"]
    assert pd.api.types.is_float_dtype(m["value"]) and m["value"].notna().all()


def test_missing_output_folder_says_to_extract_first(tmp_path):
    with pytest.raises(FileNotFoundError, match="make extract"):
        pipeline.load(tmp_path / "nothing")
    with pytest.raises(FileNotFoundError, match="make extract"):
        pipeline.connect(tmp_path / "nothing")


def _rules_only_copy(out: Path, dest: Path) -> Path:
    """Documents and sections only; the other table folders empty or missing."""
    for name in ("documents", "sections"):
        shutil.copytree(out / name, dest / name)
    (dest / "entities").mkdir()  # a folder with no parts
    return dest


def test_empty_and_missing_tables_load_and_query_with_their_types(out, tmp_path):
    empty = _rules_only_copy(out, tmp_path / "rules")
    t = pipeline.load(empty)
    for name in TABLES:
        assert list(t[name].columns) == TABLES[name].column_names
    assert len(t["entities"]) == 0 and len(t["metrics"]) == 0 and len(t["documents"]) > 0
    assert pd.api.types.is_datetime64_dtype(t["metrics"]["period_start"])
    assert isinstance(t["attendance"]["status"].dtype, pd.CategoricalDtype)
    con = pipeline.connect(empty)
    assert con.sql("select count(*) from metrics").fetchall() == [(0,)]
    types = dict(con.sql("select column_name, column_type from (describe people)").fetchall())
    assert types["first_seen"] == "DATE" and types["aliases"] == "VARCHAR[]" and types["n_meetings"] == "BIGINT"
    n = con.sql("select count(*) from entities e join documents d using (doc_id)").fetchall()[0][0]
    assert n == 0


def test_category_values_outside_the_fixed_list_are_kept(out, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    DatasetWriter(copy).write_part(
        "entities",
        "extra",
        [
            {
                "doc_id": "x-0",
                "entity_id": "x-0:e0",
                "label": "LAW",
                "text": "Children Act",
                "start_char": 0,
                "end_char": 12,
            }
        ],
    )
    ents = pipeline.load(copy)["entities"]
    assert (ents["label"] == "LAW").sum() == 1
    assert list(ents["label"].cat.categories)[:5] == ["PERSON", "ROLE", "ORG", "DATE", "METRIC"]


def test_hidden_temporary_files_are_not_read(out, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    shutil.copy(next((copy / "sections").glob("*.parquet")), copy / "sections" / ".tmp-half-written")
    assert len(pipeline.load(copy)["sections"]) == len(pipeline.load(out)["sections"])
    assert pipeline.connect(copy).sql("select count(*) from sections").fetchall()[0][0] == len(
        pipeline.load(out)["sections"]
    )


# --- connect ------------------------------------------------------------------------------------------


def test_connect_has_one_view_per_table_matching_load(out, tables):
    con = pipeline.connect(out)
    views = {r[0] for r in con.sql("select view_name from duckdb_views() where not internal").fetchall()}
    assert set(TABLES) <= views
    for name, spec in TABLES.items():
        rel = con.sql(f"select * from {name}")
        assert rel.columns == spec.column_names, name
        assert con.sql(f"select count(*) from {name}").fetchall()[0][0] == len(tables[name]), name
    types = dict(con.sql("select column_name, column_type from (describe documents)").fetchall())
    assert types["meeting_date"] == "DATE" and types["n_words"] == "BIGINT"


def test_connect_typical_joins(out, tables):
    con = pipeline.connect(out)
    items = con.sql("""
        select d.committee, d.meeting_date, count(*) as items
        from sections s join documents d using (doc_id) where s.kind = 'item' group by all
    """).df()
    assert items["items"].sum() == (tables["sections"]["kind"] == "item").sum()
    rel = con.sql("""
        select count(*) from relations r
        join entities h on h.entity_id = r.head_id join entities t on t.entity_id = r.tail_id
    """).fetchall()[0][0]
    assert rel == len(tables["relations"])


# --- helpers on the real output -----------------------------------------------------------------------


def test_helpers_on_the_sample_output(tables, capsys):
    counts = analysis.table_counts(tables)
    assert dict(zip(counts["table"], counts["rows"])) == {k: len(v) for k, v in tables.items()}
    doc_id = analysis.pick_document(tables)
    rows = analysis.document_rows(tables, doc_id)
    assert len(rows["sections"]) == (tables["sections"]["doc_id"] == doc_id).sum()
    assert rows["sections"]["snippet"].str.len().gt(0).any()
    assert len(rows["entities"]) == (tables["entities"]["doc_id"] == doc_id).sum()
    m = analysis.metrics_table(tables)
    assert len(m) == len(tables["metrics"]) and {"committee", "meeting_date", "indicator", "period"} <= set(m.columns)
    title, series, _ = analysis.tour_series(tables)
    assert title and set(series["doc_id"]) <= set(tables["documents"]["doc_id"])
    for frame in (
        analysis.metric_changes(tables),
        analysis.attendance_rates(tables),
        analysis.committee_attendance(tables),
        analysis.role_timelines(tables),
        analysis.items_per_meeting(tables),
    ):
        assert isinstance(frame, pd.DataFrame) and len(frame.columns)
    assert analysis.items_per_meeting(tables)["items"].sum() == (tables["sections"]["kind"] == "item").sum()
    if not len(tables["metrics"]):
        assert analysis.preview(tables["metrics"], "metrics", tables) is None
        assert "No rows yet in metrics" in capsys.readouterr().out


def test_preview_explains_rules_only_tables(out, tmp_path, capsys):
    t = pipeline.load(_rules_only_copy(out, tmp_path / "rules"))
    assert analysis.preview(t["attendance"], "attendance", t) is None
    said = capsys.readouterr().out
    assert "No rows yet in attendance." in said
    if set(t["documents"]["model_version"]) == {"rules-only"}:
        assert "make train" in said
    assert analysis.preview(t["documents"], "documents", t, n=2) is not None


# --- helpers on hand-made tables ----------------------------------------------------------------------


def _write(out: Path, rows: dict) -> dict:
    w = DatasetWriter(out)
    for name, table_rows in rows.items():
        pq.write_table(rows_to_table(name, table_rows), w.part_path(name, "k"))
    return pipeline.load(out)


DOCS = [
    {
        "doc_id": "a-0",
        "committee": "Board",
        "council": "X Council",
        "meeting_date": pd.Timestamp("2020-01-10").date(),
        "text": "x",
        "model_version": "m-1",
    },
    {
        "doc_id": "b-0",
        "committee": "Board",
        "council": "X Council",
        "meeting_date": pd.Timestamp("2020-03-10").date(),
        "text": "x",
        "model_version": "m-1",
    },
    {
        "doc_id": "c-0",
        "committee": "Panel",
        "council": "X Council",
        "meeting_date": pd.Timestamp("2020-02-10").date(),
        "text": "x",
        "model_version": "m-1",
    },
]


def test_metric_changes_compare_newer_to_older_and_only_like_units(tmp_path):
    def metric(eid, text, value, unit, compare=None, per=None, indicator="caseload"):
        return {
            "doc_id": "a-0",
            "entity_id": eid,
            "text": text,
            "value": value,
            "unit": unit,
            "per": per,
            "indicator": indicator,
            "compare_to": compare,
            "period_end": pd.Timestamp("2019-12-31").date(),
        }

    t = _write(
        tmp_path,
        {
            "documents": DOCS,
            "metrics": [
                metric("a-0:e1", "130", 130.0, "count"),
                metric("a-0:e2", "75", 75.0, "count", "a-0:e1"),
                metric("a-0:e3", "40%", 40.0, "percent"),
                metric("a-0:e4", "50%", 50.0, "percent", "a-0:e3"),
                metric("a-0:e5", "1296", 1296.0, "count"),
                metric("a-0:e6", "48.2 per 10,000", 48.2, "rate", "a-0:e5", 10000.0),
            ],
        },
    )
    ch = analysis.metric_changes(t)
    assert list(ch["to_text"]) == ["75", "50%", "48.2 per 10,000"]  # -42.3 %, +25 %, then the rate-vs-count pair
    assert list(ch["change"][:2]) == [-55.0, 10.0] and list(ch["change_pct"][:2]) == [-42.3, 25.0]
    assert pd.isna(ch["change"].iloc[2])
    title, series, connect = analysis.tour_series(t)  # caseload at one meeting only: the percentages instead
    assert title.startswith("Percentages") and len(series) == 2 and not connect
    assert (
        len(analysis.metric_series(t, indicator="CASELOAD")) == 6
        and len(analysis.metric_series(t, unit="percent")) == 2
    )


def test_attendance_rates_and_matrix(tmp_path):
    def att(doc, person, status):
        return {"doc_id": doc, "person": person, "person_id": person.lower(), "status": status}

    t = _write(
        tmp_path,
        {
            "documents": DOCS,
            "attendance": [
                att("a-0", "Ann", "chair"),
                att("b-0", "Ann", "apologies"),
                att("c-0", "Ann", "present"),
                att("a-0", "Bob", "present"),
                att("b-0", "Bob", "present"),
            ],
        },
    )
    r = analysis.attendance_rates(t).set_index(["person", "committee"])
    assert r.loc[("Ann", "Board"), ["committee_meetings", "attended", "apologies"]].tolist() == [2, 1, 1]
    assert r.loc[("Ann", "Board"), "attendance_rate"] == 0.5 and r.loc[("Ann", "Board"), "apology_rate"] == 0.5
    assert r.loc[("Bob", "Board"), "attendance_rate"] == 1.0 and r.loc[("Ann", "Panel"), "committee_meetings"] == 1
    m = analysis.attendance_matrix(t)
    assert m.loc["Ann"].tolist() == [2, 1] and m.loc["Bob"].tolist() == [2, 0]
    c = analysis.committee_attendance(t).set_index("committee")
    assert c.loc["Board", "meetings"] == 2 and c.loc["Board", "apology_share"] == 0.25


def test_role_timelines(tmp_path):
    def rh(doc, date, role, org=None):
        return {
            "person_id": "p1",
            "person": "Ann Smith",
            "role": role,
            "org": org,
            "doc_id": doc,
            "meeting_date": pd.Timestamp(date).date(),
        }

    t = _write(
        tmp_path,
        {
            "documents": DOCS,
            "role_history": [
                rh("a-0", "2020-01-10", "Chair"),
                rh("b-0", "2020-03-10", "Chair"),
                rh("c-0", "2020-02-10", None, "NHS England"),
            ],
        },
    )
    tl = analysis.role_timelines(t)
    assert len(tl) == 2
    chair = tl[tl["role"] == "Chair"].iloc[0]
    assert (
        chair["first"] == pd.Timestamp("2020-01-10")
        and chair["last"] == pd.Timestamp("2020-03-10")
        and chair["meetings"] == 2
    )
    assert tl["org"].isna().sum() == 1 and tl["role"].isna().sum() == 1
    ax = analysis.plot_role_timelines(tl)
    assert len(ax.patches) == 2


def test_tour_series_follows_caseload_across_meetings(tmp_path):
    def metric(doc, eid, value, date):
        return {
            "doc_id": doc,
            "entity_id": eid,
            "text": str(value),
            "value": value,
            "unit": "count",
            "indicator": "Social worker caseloads",
            "period_end": pd.Timestamp(date).date(),
        }

    t = _write(
        tmp_path,
        {
            "documents": DOCS,
            "metrics": [
                metric("a-0", "a-0:e1", 22.0, "2019-12-31"),
                metric("b-0", "b-0:e1", 19.0, "2020-02-29"),
            ],
        },
    )
    title, series, connect = analysis.tour_series(t)
    assert title.startswith("Caseload") and connect and list(series["value"]) == [22.0, 19.0]
    ax = analysis.plot_metric_series(series, title, connect)
    assert len(ax.lines) == 1 and ax.get_title() == title


def test_connect_reads_parts_written_before_a_column_was_added(tmp_path):
    """Parts from an older version lack a column (documents.source_url): the view has it, null, as load does."""
    w = DatasetWriter(tmp_path)
    for name in ("documents", "sections"):
        table = rows_to_table(name, DOCS if name == "documents" else [])
        pq.write_table(table.drop_columns(["source_url"]) if name == "documents" else table, w.part_path(name, "k"))
    con = analysis.connect(tmp_path)
    assert con.sql("select count(*), count(source_url) from documents").fetchall() == [(len(DOCS), 0)]
    assert pipeline.load(tmp_path)["documents"]["source_url"].isna().all()
