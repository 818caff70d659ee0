"""Figures reported in the minutes as series and changes (metrics over time), and their plots."""

from __future__ import annotations

from .meetings import short_label, with_meeting


def metrics_table(tables: dict):
    """Every metric with its meeting, indicator and period, in meeting order."""
    cols = [
        "entity_id",
        "text",
        "value",
        "unit",
        "per",
        "approximate",
        "indicator",
        "period",
        "period_start",
        "period_end",
        "compare_to",
        "sentence",
    ]
    df = with_meeting(tables["metrics"][["doc_id", *cols]], tables)
    return df.sort_values(["meeting_date", "doc_id", "entity_id"], kind="stable").reset_index(drop=True)


MAX_SERIES = 12  # colours a reader can still tell apart; the other series are counted in the plot's note

# what a figure of one unit is called in a plot's note ("4 of 41 percentages ...")
UNIT_NOUNS = {
    "percent": "percentages",
    "count": "counts",
    "rate": "rates",
    "currency": "amounts",
    "average": "averages",
}


def metric_series(tables: dict, indicator: str | None = None, unit: str | None = None):
    """Figures to follow over time: rows with `when` (end of the period the figure refers to, else the meeting
    date) and `series` (the indicator, casefolded), in `when` order. `indicator` is a case-insensitive regular
    expression. Every matching figure is kept: one that cannot be placed in time has no `when`, comes last, and
    `not_plotted` says why (no value; no period and no meeting date; a period that is not a date)."""
    import pandas as pd

    df = metrics_table(tables)
    if indicator is not None:
        df = df[df["indicator"].fillna("").str.contains(indicator, case=False, regex=True)]
    if unit is not None:
        df = df[df["unit"] == unit]
    df = df.copy()
    df["when"] = df["period_end"].fillna(df["meeting_date"])
    df["series"] = df["indicator"].fillna("(no indicator)").str.casefold().str.strip()
    undated = df["when"].isna()
    reason = pd.Series(None, index=df.index, dtype=object)
    reason[undated & df["period"].isna()] = "no period and no meeting date"
    reason[undated & df["period"].notna()] = "a period that is not a date, and no meeting date"
    reason[df["value"].isna()] = "no value"
    df["not_plotted"] = reason
    return df.sort_values("when", kind="stable", na_position="last").reset_index(drop=True)


def placed(df):
    """The rows of a metric_series frame that can be drawn: a value and a `when`."""
    return df[df["not_plotted"].isna()] if "not_plotted" in df else df.dropna(subset=["when", "value"])


def _drawn_series(df) -> list:
    """The series a plot draws (the MAX_SERIES with the most figures), as (name, rows) pairs in name order."""
    groups = list(placed(df).groupby("series", sort=True)) if len(placed(df)) else []
    kept = sorted(groups, key=lambda g: (-len(g[1]), str(g[0])))[:MAX_SERIES]
    return sorted(kept, key=lambda g: str(g[0]))


def not_plotted_note(df) -> str:
    """What a plot of these rows leaves out, and why ('4 of 41 percentages not plotted: 4 have no period and no
    meeting date'); '' when it draws every one."""
    if not len(df):
        return ""
    units = df["unit"].dropna().astype(str).unique()
    noun = UNIT_NOUNS.get(units[0], "figures") if len(units) == 1 else "figures"
    unplaced = (df["when"].isna() | df["value"].isna()).map({True: "no date or no value", False: None})
    reasons = (df["not_plotted"] if "not_plotted" in df else unplaced).dropna().value_counts()
    parts = [f"{n} {'has' if n == 1 else 'have'} {reason}" for reason, n in reasons.items()]
    drawn = sum(len(rows) for _, rows in _drawn_series(df))
    beyond = len(placed(df)) - drawn
    if beyond:
        n_series = placed(df)["series"].nunique() - MAX_SERIES
        are = "is" if beyond == 1 else "are"
        parts.append(f"{beyond} {are} in {n_series} more series (only the {MAX_SERIES} largest are drawn)")
    left_out = len(df) - drawn
    return f"{left_out} of {len(df)} {noun} not plotted: " + "; ".join(parts) if left_out else ""


def tour_series(tables: dict) -> tuple[str, object, bool]:
    """The figure to plot for a quick look at reported figures over time. Returns (title, rows, connect):
    caseload figures when at least two meetings report them (a line per indicator); else every percentage,
    one colour per committee (points only); else every figure, one colour per unit. The rows include the
    figures that cannot be placed in time (see metric_series), so that a plot can say how many it leaves out."""
    caseload = metric_series(tables, indicator="caseload")
    if placed(caseload)["doc_id"].nunique() >= 2:
        return "Caseload figures reported across meetings", caseload, True
    pct = metric_series(tables, unit="percent")
    if len(placed(pct)):
        pct["series"] = pct["committee"].astype(object).fillna("(no committee)").astype(str)
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
    same = (df["unit"].astype(str) == df["from_unit"].astype(str)) & (
        df["per"].fillna(0) == df["compare_to"].map(older["per"]).fillna(0)
    )
    df["change"] = (df["to_value"] - df["from_value"]).where(same)
    base = df["from_value"].where(df["from_value"] != 0)
    df["change_pct"] = (100 * df["change"] / base.abs()).round(1)
    df = df.assign(_pct=df["change_pct"].abs(), _abs=df["change"].abs())
    df = df.sort_values(["_pct", "_abs"], ascending=False, na_position="last", kind="stable")
    cols = [
        "council",
        "committee",
        "meeting_date",
        "indicator",
        "from_text",
        "to_text",
        "from_value",
        "to_value",
        "change",
        "change_pct",
        "unit",
        "from_unit",
        "from_period",
        "to_period",
        "sentence",
    ]
    return df[cols].reset_index(drop=True)


def plot_metric_series(df, title: str = "", connect: bool = True, ax=None):
    """Reported values against `when`, one colour per `series` (rows from metric_series or tour_series); with
    `connect`, a line joins a series' points when they come from more than one meeting. The title says how many
    rows are not drawn and why (see not_plotted_note). Returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    drawn = _drawn_series(df)
    if not drawn:
        ax.text(
            0.5,
            0.5,
            "no metrics yet" if not len(df) else "no figure can be placed in time",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
    for name, g in drawn:
        line = "-" if connect and g["doc_id"].nunique() > 1 else "none"
        ax.plot(g["when"], g["value"], marker="o", linestyle=line, label=short_label(str(name), 45))
    units = sorted(str(u) for u in placed(df)["unit"].dropna().unique()) if len(df) else []
    ax.set_ylabel("value" + (f" ({', '.join(units)})" if units else ""))
    ax.set_xlabel("end of the period the figure refers to (else the meeting date)")
    note = not_plotted_note(df)
    ax.set_title("\n".join(t for t in (title, note) if t), **({"fontsize": "medium"} if note else {}))
    if drawn:
        ax.legend(fontsize="small", loc="best", frameon=False)
    ax.grid(alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax
