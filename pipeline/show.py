"""`minutes show FILE_OR_DOC_ID --out page.html`: one document with its sections, entities and relations.

For a maintainer checking predictions: the text with entities highlighted by displaCy, an outline of the
sections, and tables of relations, attendance and metrics. A doc_id is read from the extracted tables
(nothing is re-run); a file is run through the pipeline first.
"""

from __future__ import annotations

import html
from pathlib import Path

COLORS = {"PERSON": "#f6c4a6", "ROLE": "#a6d8f6", "ORG": "#c3f6a6", "DATE": "#e2c8f6", "METRIC": "#f6efa6"}


def rows_from_doc(doc, src) -> dict:
    from . import __version__
    from .export.rows import doc_rows

    return doc_rows(src, doc, __version__, "shown")


def rows_from_tables(out_dir: str | Path, doc_id: str) -> dict:
    from .analysis import connect

    con = connect(out_dir)
    rows = {}
    for table in ("documents", "sections", "entities", "relations", "metrics", "attendance"):
        df = con.execute(f"select * from {table} where doc_id = ?", [doc_id]).df()
        rows[table] = df.astype(object).where(df.notna(), None).to_dict("records")  # nulls as None, not NaN (pandas 3)
    if not rows["documents"]:
        raise KeyError(f"no document {doc_id!r} in {out_dir}")
    return rows


def _table(title: str, header: list[str], body: list[list]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    trs = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if c is None else str(c))}</td>" for c in r) + "</tr>" for r in body
    )
    return f"<h2>{html.escape(title)} ({len(body)})</h2><table><tr>{head}</tr>{trs}</table>"


def render(rows: dict) -> str:
    from spacy import displacy

    doc = rows["documents"][0]
    text = doc["text"]
    ents = [{"start": int(e["start_char"]), "end": int(e["end_char"]), "label": e["label"]} for e in rows["entities"]]
    body = displacy.render(
        {"text": text, "ents": ents, "title": None}, style="ent", manual=True, page=False, options={"colors": COLORS}
    )
    by_id = {e["entity_id"]: e for e in rows["entities"]}
    outline = [
        [
            s["section_id"].split(":")[-1],
            s["kind"],
            s.get("item_number"),
            s.get("title"),
            s["start_char"],
            s["end_char"],
            (s.get("parent_id") or "").split(":")[-1],
        ]
        for s in rows["sections"]
    ]
    rels = [
        [
            r["label"],
            r["head_text"],
            r["tail_text"],
            r["evidence"],
            f"{r['score']:.2f}" if r.get("score") is not None else "",
        ]
        for r in rows["relations"]
    ]
    att = [[a["person"], a["status"], a.get("role"), a.get("org"), a.get("evidence")] for a in rows["attendance"]]
    mets = [
        [
            m["text"],
            m["value"],
            m["unit"],
            m.get("per"),
            m.get("indicator"),
            m.get("period"),
            by_id.get(m.get("compare_to") or "", {}).get("text"),
        ]
        for m in rows["metrics"]
    ]

    def shown(value) -> str:
        return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)

    meta = " · ".join(
        shown(doc.get(k))
        for k in ("council", "committee", "meeting_date", "meeting_time", "venue")
        if doc.get(k) is not None
    )
    style = (
        "body{font-family:sans-serif;margin:2em;max-width:70em} table{border-collapse:collapse;margin-bottom:1em}"
        "td,th{border:1px solid #ccc;padding:2px 6px;font-size:90%;vertical-align:top} .text{line-height:2.2}"
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(doc['doc_id'])}</title>"
        f"<style>{style}</style></head><body>"
        f"<h1>{html.escape(str(doc.get('source_path')))} <small>{html.escape(doc['doc_id'])}</small></h1>"
        f"<p>{html.escape(meta)}</p>"
        + _table("Sections", ["id", "kind", "number", "title", "start", "end", "parent"], outline)
        + _table("Relations", ["label", "head", "tail", "evidence", "score"], rels)
        + _table("Attendance", ["person", "status", "role", "org", "evidence"], att)
        + _table("Metrics", ["text", "value", "unit", "per", "indicator", "period", "compared with"], mets)
        + f"<h2>Text and entities</h2><div class='text'>{body}</div></body></html>"
    )


def show(target: str, out: str | Path, tables: str | Path = "data/extracted", model: str | None = "models/cnn") -> Path:
    path = Path(target)
    if path.is_file():
        from .ingest import read_documents
        from .nlp import cached_nlp

        nlp = cached_nlp(model if model and Path(model).is_dir() else None)
        src = read_documents(path)[0]
        rows = rows_from_doc(nlp(src.text), src)
    else:
        rows = rows_from_tables(tables, target)
    out = Path(out)
    out.write_text(render(rows), encoding="utf-8")
    return out
