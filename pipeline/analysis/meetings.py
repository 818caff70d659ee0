"""Per-document and per-meeting views: meeting columns joined onto any table, one document's rows, items
per meeting."""

from __future__ import annotations

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
    sections["snippet"] = [
        " ".join(text[int(s) : int(e)].split())[:80] for s, e in zip(sections["start_char"], sections["end_char"])
    ]
    entities = tables["entities"].query("doc_id == @doc_id")
    labels = dict(zip(entities["entity_id"], entities["label"].astype(str)))
    relations = tables["relations"].query("doc_id == @doc_id").copy()
    relations["head_label"] = relations["head_id"].map(labels)
    relations["tail_label"] = relations["tail_id"].map(labels)
    return {
        "sections": sections[["section_id", "kind", "item_number", "title", "parent_id", "snippet"]].reset_index(
            drop=True
        ),
        "entities": entities[["entity_id", "label", "text", "norm", "section_id", "score"]].reset_index(drop=True),
        "relations": relations[
            ["relation_id", "label", "head_label", "head_text", "tail_label", "tail_text", "evidence", "score"]
        ].reset_index(drop=True),
    }


def short_label(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def items_per_meeting(tables: dict):
    """Agenda items per meeting (from the sections table, so available without a trained model), by date."""
    import pandas as pd

    docs = tables["documents"][["doc_id", *MEETING_COLUMNS]]
    items = tables["sections"].query("kind == 'item'").groupby("doc_id").size().rename("items")
    df = docs.merge(items, left_on="doc_id", right_index=True, how="left")
    df["items"] = df["items"].fillna(0).astype(int)
    return (
        df.sort_values(["meeting_date", "doc_id"], kind="stable").reset_index(drop=True)
        if len(df)
        else pd.DataFrame(columns=["doc_id", *MEETING_COLUMNS, "items"])
    )


def plot_items_per_meeting(tables: dict, ax=None):
    """A bar per meeting: number of agenda items, labelled with committee and date. Returns the Axes."""
    import matplotlib.pyplot as plt

    df = items_per_meeting(tables)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    if not len(df):
        ax.text(0.5, 0.5, "no documents yet", ha="center", va="center", transform=ax.transAxes)
        return ax
    labels = [
        f"{short_label(str(c), 40)}\n{d:%d %b %Y}" if d == d else short_label(str(c), 40)
        for c, d in zip(df["committee"], df["meeting_date"])
    ]
    ax.barh(range(len(df)), df["items"])
    ax.set_yticks(range(len(df)), labels, fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel("agenda items")
    ax.set_title("Agenda items per meeting")
    ax.grid(axis="x", alpha=0.3)
    return ax
