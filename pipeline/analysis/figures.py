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
    `connect`, a line joins a series' points when they come from more than one meeting. Returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    if not len(df):
        ax.text(0.5, 0.5, "no metrics yet", ha="center", va="center", transform=ax.transAxes)
    groups = list(df.groupby("series", sort=True)) if len(df) else []
    for name, g in groups[:12]:
        line = "-" if connect and g["doc_id"].nunique() > 1 else "none"
        ax.plot(g["when"], g["value"], marker="o", linestyle=line, label=short_label(str(name), 45))
    units = sorted(str(u) for u in df["unit"].dropna().unique()) if len(df) else []
    ax.set_ylabel("value" + (f" ({', '.join(units)})" if units else ""))
    ax.set_xlabel("end of the period the figure refers to (else the meeting date)")
    ax.set_title(title)
    if groups:
        ax.legend(fontsize="small", loc="best", frameon=False)
    ax.grid(alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax
