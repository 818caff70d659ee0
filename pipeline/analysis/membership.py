"""Who attended what: attendance matrix and rates per person and committee, role timelines and their plot."""

from __future__ import annotations

from .loading import ATTENDED
from .meetings import short_label, with_meeting


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

    cols = [
        "person",
        "person_id",
        "committee",
        "committee_meetings",
        "attended",
        "apologies",
        "attendance_rate",
        "apology_rate",
        "first_meeting",
        "last_meeting",
    ]
    att = with_meeting(tables["attendance"], tables)
    if not len(att):
        return pd.DataFrame(columns=cols)
    docs = tables["documents"]
    meetings = docs.groupby(docs["committee"].astype(str), observed=True)["doc_id"].nunique()
    att = _canonical_names(att, tables)
    att = att.assign(
        committee=att["committee"].astype(str),
        key=_person_key(att),
        attended=att["status"].isin(ATTENDED),
        apologies=att["status"] == "apologies",
    )
    g = att.groupby(["key", "committee"], observed=True)
    df = g.agg(
        person=("person", "first"),
        person_id=("person_id", "first"),
        attended=("attended", "sum"),
        apologies=("apologies", "sum"),
        first_meeting=("meeting_date", "min"),
        last_meeting=("meeting_date", "max"),
    ).reset_index()
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
    df = (
        rh.groupby(["person_id", "role", "org"], observed=True)
        .agg(
            person=("person", "first"),
            first=("meeting_date", "min"),
            last=("meeting_date", "max"),
            meetings=("doc_id", "nunique"),
        )
        .reset_index()
    )
    df[["role", "org"]] = df[["role", "org"]].replace("", None)
    return df[cols].sort_values(["person", "first"], kind="stable").reset_index(drop=True)


def plot_role_timelines(timelines, max_people: int = 12, ax=None):
    """A bar per person and post from the first to the last meeting it was stated at, one colour per person
    (people seen over the longest span, then with the most meetings, first). The title says how many posts
    are not drawn and why (no meeting date; beyond max_people). Returns the Axes."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd

    tl = timelines.dropna(subset=["first"])
    left_out = []
    if len(timelines) > len(tl):
        n = len(timelines) - len(tl)
        left_out.append(f"{n} {'has' if n == 1 else 'have'} no meeting date")
    if len(tl):
        per = tl.groupby("person").agg(first=("first", "min"), last=("last", "max"), meetings=("meetings", "sum"))
        per["span"] = per["last"] - per["first"]
        order = per.sort_values(["span", "meetings"], ascending=False, kind="stable").index[:max_people]
        if len(per) > len(order):
            n = int((~tl["person"].isin(order)).sum())
            belong = "belongs" if n == 1 else "belong"
            more = len(per) - len(order)
            left_out.append(f"{n} {belong} to {more} more people (only the {max_people} seen longest are drawn)")
        tl = tl[tl["person"].isin(order)].assign(rank=lambda d: d["person"].map({p: i for i, p in enumerate(order)}))
        tl = tl.sort_values(["rank", "first"], kind="stable")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.4 * max(len(tl), 4) + 1))
    if left_out:
        n = len(timelines) - len(tl)
        ax.set_title(f"{n} of {len(timelines)} posts not plotted: " + "; ".join(left_out), fontsize="medium")
    if not len(tl):
        ax.text(0.5, 0.5, "no role history yet", ha="center", va="center", transform=ax.transAxes)
        return ax
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    labels = []
    for i, r in enumerate(tl.itertuples(index=False)):
        post = " / ".join(x for x in (r.role, r.org) if isinstance(x, str) and x)
        labels.append(short_label(f"{r.person}: {post}", 70))
        start, end = pd.Timestamp(r.first), pd.Timestamp(r.last)
        ax.barh(
            i,
            max((end - start).days, 25),
            left=mdates.date2num(start - pd.Timedelta(days=12)),
            height=0.6,
            color=colours[r.rank % len(colours)],
        )
    ax.set_yticks(range(len(labels)), labels, fontsize="small")
    ax.invert_yaxis()
    ax.xaxis_date()
    pad = pd.Timedelta(days=90)
    ax.set_xlim(
        mdates.date2num(pd.Timestamp(tl["first"].min()) - pad), mdates.date2num(pd.Timestamp(tl["last"].max()) + pad)
    )
    ax.set_xlabel("meeting date (first to last meeting the post was stated at)")
    ax.grid(axis="x", alpha=0.3)
    return ax
