"""`minutes serve OUT`: Datasette over the SQLite export, end to end on a loopback port. The server is the real
CLI in a child process on a free port of 127.0.0.1; the JSON API answers, search and the canned queries work,
doc_id cells link to review pages that render, and headless Chromium draws a page.

The Chromium check needs Debian's chromium (.ci/run installs it; `apt-get update && apt-get install -y chromium`
by hand); where /usr/bin/chromium is missing it is skipped with that reason."""

from __future__ import annotations

import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline import analysis
from pipeline.browser import INSTALL_HINT, chromium_path, screenshot
from pipeline.export.schema import TABLES
from pipeline.export.sqlite_export import FTS_TABLE, VIEWS, write_sqlite
from pipeline.export.writer import DatasetWriter
from pipeline.serve.metadata import FACETS, QUERIES, datasette_metadata
from pipeline.serve.server import prepare, running_server

DB = "minutes"


@pytest.fixture(scope="module")
def tables_copy(sample_out, tmp_path_factory) -> Path:
    """A copy of the sample tables: serving writes OUT/_serve/ beside them."""
    copy = tmp_path_factory.mktemp("serve") / "extracted"
    shutil.copytree(sample_out, copy)
    return copy


@pytest.fixture(scope="module")
def tables(sample_out) -> dict:
    return pipeline.load(sample_out)


@pytest.fixture(scope="module")
def server(tables_copy, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    try:
        with running_server(tables_copy, log=log) as base:
            yield base
    except Exception:
        print(log.read_text(encoding="utf-8")[-3000:])
        raise


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _json(url: str):
    status, body = _get(url)
    assert status == 200, body[:500]
    return json.loads(body)


# --- metadata and queries, without a server ---------------------------------------------------------------------


def test_metadata_describes_every_table_and_column_and_facets_real_columns():
    meta = datasette_metadata(DB, {"tables": "/t", "pages": "/p", "python": sys.executable})
    described = meta["databases"][DB]["tables"]
    for name, spec in TABLES.items():
        assert described[name]["description"].startswith("One row per")
        assert described[name]["description"].endswith(spec.description)
        assert described[name]["columns"] == {c.name: c.description for c in spec.columns}
    for view in VIEWS:
        assert {"committee", "meeting_date"} <= set(described[view]["columns"])
    for name, facets in FACETS.items():
        assert set(facets) <= set(described[name]["columns"]), name
    faceted = {column for facets in FACETS.values() for column in facets}
    assert {"committee", "meeting_date", "status", "label"} <= faceted
    assert described["documents"]["fts_table"] == FTS_TABLE
    assert ":indicator" in QUERIES["figures_for_an_indicator"]["sql"]
    assert meta["plugins"]["minutes-review"]["database"] == DB


def test_canned_queries_answer_what_the_analysis_helpers_answer(sample_out, tables, tmp_path):
    db = tmp_path / "minutes.sqlite"
    write_sqlite(sample_out, db)
    con = sqlite3.connect(db)

    def run(name: str, **params) -> pd.DataFrame:
        return pd.read_sql_query(QUERIES[name]["sql"], con, params=params)

    posts = run("who_held_which_post_when")
    timelines = analysis.role_timelines(tables)
    assert len(posts) == len(timelines)
    assert sorted(posts["meetings"]) == sorted(timelines["meetings"])
    metrics = tables["metrics"]
    assert len(run("figures_for_an_indicator", indicator="")) == metrics["indicator"].notna().sum()
    word = "rate"
    some = run("figures_for_an_indicator", indicator=word)
    assert len(some) == metrics["indicator"].str.contains(word, case=False, na=False).sum()
    assert some["dated"].is_monotonic_increasing
    attended = run("who_attended_which_committee")
    att = analysis.with_meeting(tables["attendance"], tables)
    pairs = att.assign(key=att["person_id"].fillna(att["person"]))[["committee", "key"]].drop_duplicates()
    assert len(attended) == len(pairs)
    present = att[att["status"].isin(analysis.ATTENDED)].groupby(["committee", "person_id"], observed=True)
    expected = present["doc_id"].nunique().sort_values().tolist()
    assert sorted(attended.loc[attended["meetings_attended"] > 0, "meetings_attended"]) == expected


def test_prepare_rebuilds_only_when_the_tables_change(sample_out, tmp_path):
    out = tmp_path / "extracted"
    shutil.copytree(sample_out, out)
    first = prepare(out)
    assert first.rebuilt and first.db == (out / "_serve" / "minutes.sqlite").resolve()
    assert json.loads(first.metadata.read_text(encoding="utf-8"))["databases"][DB]["queries"]
    (first.pages / "0000000000000000-0.html").write_text("an old page", encoding="utf-8")
    again = prepare(out)
    assert not again.rebuilt and (again.pages / "0000000000000000-0.html").is_file()
    DatasetWriter(out).write_part("errors", "extra", [{"source_path": "x.png", "stage": "detect", "message": "no"}])
    changed = prepare(out)
    assert changed.rebuilt and not any(changed.pages.iterdir())  # pages of the old tables are gone
    assert sqlite3.connect(changed.db).execute("select count(*) from errors").fetchone()[0] == 1


# --- the server ---------------------------------------------------------------------------------------------------


def test_the_json_api_answers(server, tables):
    docs = _json(f"{server}/{DB}/documents.json?_shape=array&_size=max&_col=committee")
    assert sorted(d["doc_id"] for d in docs) == sorted(tables["documents"]["doc_id"])
    listed = {t["name"] for t in _json(f"{server}/{DB}.json")["tables"]}
    assert set(TABLES) <= listed
    word = "Councillor"
    found = _json(f"{server}/{DB}/documents.json?_shape=array&_search={word}&_col=committee")
    texts = tables["documents"].set_index("doc_id")["text"]
    assert found and all(word.lower() in texts[d["doc_id"]].lower() for d in found)
    figures = _json(f"{server}/{DB}/figures_for_an_indicator.json?_shape=array&indicator=rate")
    assert figures and all("rate" in f["indicator"].lower() for f in figures)
    facets = _json(f"{server}/{DB}/attendance_by_meeting.json?_facet=status")["facet_results"]
    assert {"status"} <= set(facets)


def test_rows_link_to_review_pages_that_render(server, tables):
    status, page = _get(f"{server}/{DB}/attendance")
    assert status == 200
    linked = set(re.findall(r'href="/-/review/([0-9a-f]{16}-\d+)"', page))
    assert linked and linked <= set(tables["documents"]["doc_id"])
    status, page = _get(f"{server}/{DB}/documents")
    assert len(set(re.findall(r'href="/-/review/([0-9a-f]{16}-\d+)"', page))) == len(tables["documents"])
    doc_id = sorted(linked)[0]
    status, review = _get(f"{server}/-/review/{doc_id}")
    assert status == 200, review[:500]
    assert review.lstrip().lower().startswith("<!doctype html>") and doc_id in review
    assert _get(f"{server}/-/review/0000000000000000-9")[0] == 404
    assert _get(f"{server}/-/review/..%2F..%2Fetc")[0] == 404


@pytest.mark.skipif(chromium_path() is None, reason=f"headless check needs /usr/bin/chromium: {INSTALL_HINT}")
def test_a_page_renders_in_headless_chromium(server, tmp_path):
    import matplotlib.image as mpimg

    shot = screenshot(f"{server}/{DB}/attendance_by_meeting", tmp_path / "serve.png", window=(1280, 900))
    pixels = mpimg.imread(shot)
    assert pixels.shape[:2] == (900, 1280)
    assert pixels.std() > 0.05, "screenshot is (nearly) one colour: the page did not render"
    dark = (pixels[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.005 < dark < 0.5, f"{dark:.3f} of the pixels are dark: expected text on a light page"


# --- errors: one line, no traceback ----------------------------------------------------------------------------------


def _serve(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pipeline.cli", "serve", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_a_port_in_use_and_missing_tables_are_one_line(tables_copy, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _serve(str(tables_copy), "--port", str(port))
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "--port" in lines[0]
    proc = _serve(str(tmp_path / "nothing"))
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and "minutes extract" in lines[0]
    assert "Traceback" not in proc.stderr
