"""Plots that say what they leave out (pipeline/analysis/figures.py, membership.py): figures that cannot be placed
in time are kept in the series with the reason, and a plot's title counts them; so do series and people beyond
what a plot draws. Small hand-made tables with known answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pyarrow.parquet as pq  # noqa: E402

import pipeline  # noqa: E402
from pipeline import analysis  # noqa: E402
from pipeline.analysis.figures import MAX_SERIES  # noqa: E402
from pipeline.export.writer import DatasetWriter, rows_to_table  # noqa: E402

DATED = {"doc_id": "a-0", "committee": "Board", "meeting_date": dt.date(2020, 1, 10), "text": "x"}
UNDATED = {"doc_id": "d-0", "committee": "Panel", "meeting_date": None, "text": "x"}


def _tables(tmp_path: Path, metrics: list[dict], role_history: list[dict] = ()) -> dict:
    writer = DatasetWriter(tmp_path)
    rows = {"documents": [DATED, UNDATED], "metrics": metrics, "role_history": list(role_history)}
    for name, table_rows in rows.items():
        pq.write_table(rows_to_table(name, table_rows), writer.part_path(name, "k"))
    return pipeline.load(tmp_path)


def _metric(doc: str, i: int, unit: str = "percent", indicator: str = "share", **extra) -> dict:
    return {"doc_id": doc, "entity_id": f"{doc}:e{i}", "text": str(i), "value": float(i), "unit": unit,
            "indicator": indicator, **extra}  # fmt: skip


def _points(ax) -> int:
    return sum(len(line.get_xdata()) for line in ax.lines)


def test_undated_percentages_are_counted_in_the_title(tmp_path):
    metrics = [_metric("a-0", i) for i in range(37)] + [_metric("d-0", i) for i in range(4)]
    title, series, connect = analysis.tour_series(_tables(tmp_path, metrics))
    assert title.startswith("Percentages") and len(series) == 41
    assert series["not_plotted"].value_counts().to_dict() == {"no period and no meeting date": 4}
    assert series["when"].iloc[-4:].isna().all()  # listed last
    ax = analysis.plot_metric_series(series, title, connect)
    assert _points(ax) == 37
    assert ax.get_title() == f"{title}\n4 of 41 percentages not plotted: 4 have no period and no meeting date"


def test_figures_with_no_value_or_an_unreadable_period_say_so(tmp_path):
    metrics = [
        _metric("a-0", 1, "count"),
        {**_metric("a-0", 2, "count"), "value": None},
        {**_metric("d-0", 3, "count"), "period": "the last quarter"},
        {**_metric("d-0", 4, "count"), "period": "2019-12", "period_end": dt.date(2019, 12, 31)},  # its own date
    ]
    series = analysis.metric_series(_tables(tmp_path, metrics), unit="count")
    assert analysis.placed(series)["text"].tolist() == ["4", "1"]  # in time order
    note = analysis.not_plotted_note(series)
    assert note.startswith("2 of 4 counts not plotted: ")
    assert "1 has no value" in note and "1 has a period that is not a date, and no meeting date" in note


def test_series_beyond_the_largest_are_counted(tmp_path):
    metrics = [_metric("a-0", 100 * s + i, "rate", f"indicator {s:02d}") for s in range(MAX_SERIES) for i in (1, 2)]
    metrics += [_metric("a-0", 9000 + s, "rate", f"small {s}") for s in range(2)]
    series = analysis.metric_series(_tables(tmp_path, metrics), unit="rate")
    ax = analysis.plot_metric_series(series, "Rates", True)
    assert len(ax.lines) == MAX_SERIES and _points(ax) == 2 * MAX_SERIES
    assert ax.get_title() == (
        f"Rates\n2 of {2 * MAX_SERIES + 2} rates not plotted: 2 are in 2 more series (only the 12 largest are drawn)"
    )


def test_a_plot_that_draws_everything_keeps_its_title(tmp_path):
    series = analysis.metric_series(_tables(tmp_path, [_metric("a-0", 1)]))
    assert analysis.not_plotted_note(series) == ""
    assert analysis.plot_metric_series(series, "Shares").get_title() == "Shares"


def test_role_timelines_count_undated_posts_and_people_not_drawn(tmp_path):
    def post(person: str, doc: str, date, role: str) -> dict:
        return {"person_id": person.lower(), "person": person, "role": role, "doc_id": doc, "meeting_date": date}

    history = [
        post("Ann", "a-0", dt.date(2019, 1, 10), "Chair"),
        post("Ann", "a-0", dt.date(2020, 1, 10), "Chair"),
        post("Bob", "a-0", dt.date(2020, 1, 10), "Vice-Chair"),
        post("Cy", "d-0", None, "Member"),
    ]
    timelines = analysis.role_timelines(_tables(tmp_path, [], history))
    ax = analysis.plot_role_timelines(timelines, max_people=1)
    assert len(ax.patches) == 1  # Ann: seen longest
    assert ax.get_title() == (
        "2 of 3 posts not plotted: 1 has no meeting date; "
        "1 belongs to 1 more people (only the 1 seen longest are drawn)"
    )
