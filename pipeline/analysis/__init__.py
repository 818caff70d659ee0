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
    analysis.decisions_per_committee(t)          # decisions per committee and meeting, by outcome
    analysis.voting_record(t, "Hale")            # a member's named votes, with the decision voted on

Every helper takes the dict from `load` and copes with empty tables (a run without a trained model has no
entities, metrics or attendance): it returns an empty frame with the same columns. `preview` prints a
clear "no rows yet" message for those instead of an empty table.
"""

from __future__ import annotations

from .decisions import decisions_per_committee, interests_by_organisation, votes_by_member, voting_record
from .figures import (
    metric_changes,
    metric_series,
    metrics_table,
    not_plotted_note,
    placed,
    plot_metric_series,
    tour_series,
)
from .loading import ATTENDED, CATEGORIES, MODEL_TABLES, connect, load, load_table, preview, table_counts, why_empty
from .meetings import (
    MEETING_COLUMNS,
    document_rows,
    items_per_meeting,
    pick_document,
    plot_items_per_meeting,
    short_label,
    with_meeting,
)
from .membership import attendance_matrix, attendance_rates, committee_attendance, plot_role_timelines, role_timelines
