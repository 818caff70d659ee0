"""The review page of `minutes show`: the text beside the rows extracted from it, each row linked to its span.

Three panes side by side (stacked, text first, on a narrow screen): an outline of the sections, the text cut
into its sections with every entity mention highlighted, and the tables (attendance, relations, metrics,
entities). Every mention in the text carries its `entity_id` as its HTML id and every row links to it, so
clicking a row scrolls the text to the span and highlights it (CSS `:target`; `page.html#<entity_id>` from
anywhere else does the same); sections carry their `section_id`.

Rows are listed in text order. A row whose `score` is under REVIEW_BELOW is marked "review"; `page.html?order=review`
(a link at the top of the tables) lists those first. The page is self-contained: no external file, style or
script, and a Content-Security-Policy that lets only its own inline script run, so even a document whose text
is HTML cannot run anything; every value from the tables is escaped.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
from urllib.parse import quote

# Layout rules score relations 0.99, attendance cues 0.95 and attendance lists 0.90; only the trained classifiers
# score lower (kept from 0.5 for relations, 0.7 for attendance). Under 0.8 is a classifier's near-even call.
REVIEW_BELOW = 0.8

COLORS = {"PERSON": "#f6c4a6", "ROLE": "#a6d8f6", "ORG": "#c3f6a6", "DATE": "#e2c8f6", "METRIC": "#f6efa6"}

SORT_SCRIPT = """(function () {
  var reviewFirst = new URLSearchParams(location.search).get("order") === "review";
  document.documentElement.setAttribute("data-order", reviewFirst ? "review" : "text");
  if (!reviewFirst) return;
  document.querySelectorAll("table.rows > tbody").forEach(function (body) {
    Array.prototype.slice.call(body.rows)
      .sort(function (a, b) {
        return b.classList.contains("review") - a.classList.contains("review") || a.dataset.n - b.dataset.n;
      })
      .forEach(function (row) { body.appendChild(row); });
  });
})();"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode()).digest()).decode()
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_HASH}'; base-uri 'none'"

STYLE = (
    "html,body{height:100%;margin:0}"
    "body{font-family:sans-serif;font-size:14px;display:grid;grid-template-rows:auto minmax(0,1fr);"
    "grid-template-columns:15em minmax(0,1fr) minmax(0,1fr);grid-template-areas:'head head head' "
    "'outline text tables'}"
    "header{grid-area:head;padding:.4em 1em;border-bottom:1px solid #ccc;background:#f7f7f7}"
    "header h1{font-size:130%;margin:.2em 0}header p{margin:.2em 0;color:#444}"
    "nav.outline{grid-area:outline;overflow:auto;padding:0 .8em;border-right:1px solid #ddd;font-size:90%}"
    "nav.outline ul{list-style:none;padding-left:0;margin:.3em 0}nav.outline li{margin:.15em 0}"
    "nav.outline li.depth1{padding-left:1em}nav.outline li.depth2{padding-left:2em}"
    "main.text{grid-area:text;overflow:auto;padding:0 1em}"
    "aside.tables{grid-area:tables;overflow:auto;padding:0 1em;border-left:1px solid #ddd}"
    "@media (max-width:1000px){body{display:block;height:auto}nav.outline,main.text,aside.tables"
    "{overflow:visible;border:0}}"
    "h2{font-size:115%;margin:.8em 0 .3em}"
    "section.block{border-top:1px solid #e4e4e4;padding-top:.2em}"
    "section.block>h3{font-size:95%;margin:.4em 0;color:#333}"
    ".kind{font-variant:small-caps;color:#777;margin-right:.3em}"
    ".text{white-space:pre-wrap;line-height:1.6}"
    "mark{padding:0 2px;border-radius:3px;background:#eee}"
    "mark .lbl{font-size:65%;font-weight:bold;margin-left:3px;color:#555;vertical-align:middle}"
    + "".join(f"mark.{label}{{background:{color}}}" for label, color in COLORS.items())
    + ".sub{font-size:75%;font-variant:small-caps;color:#fff;background:#888;border-radius:3px;padding:0 4px;"
    "margin-right:3px}"
    "mark,.sub,.anchor,section.block{scroll-margin-top:35vh}"
    "mark:target,.sub:target{outline:3px solid #d40000;background:#ffe14d}"
    ".anchor:target{outline:3px solid #d40000;padding:0 1px}"
    "section.block:target>h3{background:#ffe14d}"
    "table{border-collapse:collapse;margin-bottom:.6em;width:100%}"
    "td,th{border:1px solid #ccc;padding:2px 5px;font-size:90%;vertical-align:top;text-align:left;"
    "overflow-wrap:break-word}"
    "th{background:#f0f0f0}tr.review td{background:#fff1e6}"
    ".badge{font-size:80%;font-weight:bold;color:#fff;background:#c05000;border-radius:3px;padding:0 4px}"
    ".nospan{color:#999}.order{margin:.5em 0}"
    "html[data-order=review] a.order-review,html[data-order=text] a.order-text{font-weight:bold}"
)


def _e(value) -> str:
    """Escaped text of a cell or attribute value; None and NaN are blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return html.escape(str(value), quote=True)


def _number(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value):,.10g}"


def _score(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def needs_review(row: dict) -> bool:
    score = _score(row.get("score"))
    return score is not None and score < REVIEW_BELOW


def _href(anchor: str) -> str:
    return "#" + html.escape(quote(anchor, safe=":-_.~"), quote=True)


def _css_class(value, allowed: str) -> str:
    return re.sub(f"[^{allowed}]", "", str(value or ""))


def section_label(section: dict) -> str:
    """'item 4 · Budget monitoring' (plain text; escape it where it is shown)."""
    head = " ".join(str(v) for v in (section.get("kind"), section.get("item_number")) if v not in (None, ""))
    return f"{head} · {section['title']}" if section.get("title") else head


def spans(rows: dict) -> tuple[list[dict], list[dict], list[str]]:
    """The highlighted spans of one document: every entity mention, and a metric whose mention is not among them
    (given the id `<doc_id>:metric<index>`). Overlapping spans cannot all be marks: one that overlaps an earlier
    one becomes a zero-width anchor at its start. Returns (marks, anchors, the span id of each metric row)."""
    found = [
        {
            "id": e["entity_id"],
            "label": e["label"],
            "norm": e.get("norm"),
            "start": e["start_char"],
            "end": e["end_char"],
        }
        for e in rows["entities"]
    ]
    known = {s["id"] for s in found}
    doc_id = rows["documents"][0]["doc_id"]
    metric_ids = []
    for i, m in enumerate(rows["metrics"]):
        span_id = m.get("entity_id") if m.get("entity_id") in known else f"{doc_id}:metric{i}"
        metric_ids.append(span_id)
        if span_id not in known:
            found.append(
                {"id": span_id, "label": "METRIC", "norm": None, "start": m["start_char"], "end": m["end_char"]}
            )
    marks, anchors, last_end = [], [], -1
    for span in sorted(found, key=lambda s: (int(s["start"]), -int(s["end"]))):
        span = {**span, "start": int(span["start"]), "end": int(span["end"])}
        (anchors if span["start"] < last_end else marks).append(span)
        last_end = max(last_end, span["end"])
    return marks, anchors, metric_ids


def _depths(sections: list[dict]) -> dict:
    parent = {s["section_id"]: s.get("parent_id") for s in sections}
    depth = {}
    for sid in parent:
        d, p = 0, parent[sid]
        while p in parent and d < 5:
            d, p = d + 1, parent[p]
        depth[sid] = d
    return depth


def _text_html(rows: dict, marks: list[dict], anchors: list[dict]) -> str:
    """The document text cut into its top-level sections (each a block with its heading), nested sections
    marked where they start, and every span highlighted with its id."""
    text = rows["documents"][0]["text"] or ""
    sections = sorted(rows["sections"], key=lambda s: (int(s["start_char"]), -int(s["end_char"])))
    top = {int(s["start_char"]): s for s in sections if not s.get("parent_id")}
    nested: dict[int, list[dict]] = {}
    for s in sections:
        if s.get("parent_id"):
            nested.setdefault(int(s["start_char"]), []).append(s)
    anchors_at: dict[int, list[dict]] = {}
    for a in anchors:
        anchors_at.setdefault(a["start"], []).append(a)
    n = len(text)
    cuts = {0, n, *top, *nested, *anchors_at}
    for m in marks:
        cuts.update((m["start"], m["end"]))
    cuts = sorted(c for c in cuts if 0 <= c <= n)
    out, mark_i, opened = [], 0, False
    for p, q in zip(cuts, cuts[1:] + [n]):
        if p in top or not opened:
            if opened:
                out.append("</div></section>")
            s = top.get(p)
            if s is None:
                out.append("<section class='block'><div class='text'>")
            else:
                number = f"{_e(s.get('item_number'))} " if s.get("item_number") else ""
                out.append(
                    f"<section class='block {_css_class(s.get('kind'), 'a-z_')}' id='{_e(s['section_id'])}'>"
                    f"<h3><span class='kind'>{_e(s.get('kind'))}</span>{number}{_e(s.get('title'))}</h3>"
                    "<div class='text'>"
                )
            opened = True
        for s in nested.get(p, []):
            out.append(f"<span class='sub' id='{_e(s['section_id'])}'>{_e(section_label(s))}</span>")
        for a in anchors_at.get(p, []):
            out.append(f"<span class='anchor' id='{_e(a['id'])}' title='{_e(a['label'])}'></span>")
        if q <= p:
            continue
        while mark_i < len(marks) and marks[mark_i]["end"] <= p:
            mark_i += 1
        piece = _e(text[p:q])
        m = marks[mark_i] if mark_i < len(marks) and marks[mark_i]["start"] <= p else None
        if m is None:
            out.append(piece)
            continue
        label = _css_class(m["label"], "A-Z_")
        ident = f" id='{_e(m['id'])}'" if p == m["start"] else ""
        tip = " · ".join(_e(v) for v in (m["label"], m.get("norm")) if v)
        tail = f"<span class='lbl'>{_e(m['label'])}</span>" if q == m["end"] else ""
        out.append(f"<mark class='{label}'{ident} title='{tip}'>{piece}{tail}</mark>")
    out.append("</div></section>" if opened else "")
    return "".join(out)


def _link(text, anchor, known: set) -> str:
    if anchor and anchor in known:
        return f"<a href='{_href(anchor)}'>{_e(text)}</a>"
    return f"{_e(text)} <span class='nospan'>(no span)</span>"


REVIEW_CLASS = " class='review'"


def _count(key: str, body: list) -> str:
    review = sum(flag for _, flag, _ in body)
    badge = review and key != "review"  # every row of the review table is one
    return f"{len(body)}" + (f" · <span class='badge'>{review} to review</span>" if badge else "")


def _table(doc_id: str, key: str, title: str, header: list[str], body: list[tuple[int, bool, list[str]]]) -> str:
    """A table of rows (text-order position, needs review, cells already escaped), in text order."""
    body = sorted(body, key=lambda r: r[0])
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    trs = "".join(
        f"<tr data-n='{n}'{REVIEW_CLASS if flag else ''}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
        for n, (_, flag, cells) in enumerate(body)
    )
    return (
        f"<h2 id='{_e(doc_id)}:{key}'>{_e(title)} <small>({_count(key, body)})</small></h2>"
        f"<table class='rows {key}'><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>"
    )


def _evidence(row: dict) -> str:
    """'cue:apologies_received/parse' with break opportunities after ':' and '/' (narrow columns)."""
    return _e(row.get("evidence")).replace(":", ":<wbr>").replace("/", "/<wbr>")


def _review_cell(row: dict) -> str:
    score = _score(row.get("score"))
    text = "" if score is None else f"{score:.2f}"
    return text + (" <span class='badge'>review</span>" if needs_review(row) else "")


def _tables_html(rows: dict, marks: list[dict], anchors: list[dict], metric_ids: list[str]) -> str:
    doc_id = rows["documents"][0]["doc_id"]
    start = {s["id"]: s["start"] for s in marks + anchors}
    known = set(start)
    sections = {s["section_id"]: s for s in rows["sections"]}
    far = 1 << 60

    attendance = [
        (
            start.get(a.get("entity_id"), far),
            needs_review(a),
            [
                _link(a["person"], a.get("entity_id"), known),
                _e(a["status"]),
                _e(a.get("role")),
                _e(a.get("org")),
                _evidence(a),
                _review_cell(a),
            ],
        )
        for a in rows["attendance"]
    ]
    relations = [
        (
            start.get(r.get("head_id"), far),
            needs_review(r),
            [
                _e(r["label"]),
                _link(r.get("head_text"), r.get("head_id"), known),
                _link(r.get("tail_text"), r.get("tail_id"), known),
                _evidence(r),
                _review_cell(r),
            ],
        )
        for r in rows["relations"]
    ]
    metrics = [
        (
            start.get(span_id, far),
            False,
            [
                _link(m["text"], span_id, known),
                _number(m.get("value")),
                _e(m.get("unit")),
                _number(m.get("per")),
                _e(m.get("indicator")),
                _e(m.get("period")),
                _link("earlier figure", m["compare_to"], known) if m.get("compare_to") else "",
            ],
        )
        for m, span_id in zip(rows["metrics"], metric_ids)
    ]
    entities = [
        (
            int(e["start_char"]),
            needs_review(e),
            [
                _link(e["text"], e["entity_id"], known),
                _e(e["label"]),
                _e(e.get("norm")),
                f"<a href='{_href(e['section_id'])}'>{_e(section_label(sections[e['section_id']]))}</a>"
                if e.get("section_id") in sections
                else "",
                _review_cell(e),
            ],
        )
        for e in rows["entities"]
    ]
    # the doubtful rows of every table together, first: what a reviewer checks before anything else
    review = [(n, True, ["attendance", c[0], c[1], c[4], c[5]]) for n, flag, c in attendance if flag]
    review += [(n, True, ["relation", f"{c[1]} → {c[2]}", c[0], c[3], c[4]]) for n, flag, c in relations if flag]
    review += [(n, True, ["entity", c[0], c[1], "", c[4]]) for n, flag, c in entities if flag]
    tables = [
        *([("review", "To review", ["table", "span", "what", "evidence", "score"], review)] if review else []),
        ("attendance", "Attendance", ["person", "status", "role", "org", "evidence", "score"], attendance),
        ("relations", "Relations", ["label", "head", "tail", "evidence", "score"], relations),
        ("metrics", "Metrics", ["text", "value", "unit", "per", "indicator", "period", "compared"], metrics),
        ("entities", "Entities", ["text", "label", "norm", "section", "score"], entities),
    ]
    contents = " · ".join(
        f"<a href='{_href(f'{doc_id}:{key}')}'>{_e(title)}</a> ({_count(key, body)})" for key, title, _, body in tables
    )
    return f"<p class='contents'>{contents}</p>" + "".join(_table(doc_id, *table) for table in tables)


def _outline_html(rows: dict) -> str:
    depth = _depths(rows["sections"])
    items = "".join(
        f"<li class='depth{min(depth[s['section_id']], 2)}'><a href='{_href(s['section_id'])}'>"
        f"{_e(section_label(s))}</a></li>"
        for s in sorted(rows["sections"], key=lambda s: (int(s["start_char"]), -int(s["end_char"])))
    )
    return f"<ul>{items}</ul>"


def meeting_line(doc: dict) -> str:
    """'Council · Committee · 2019-05-02 · 10:00 · Venue' (plain text)."""
    keys = ("council", "committee", "meeting_date", "meeting_time", "venue")
    return " · ".join(
        v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else str(v) for k in keys if (v := doc.get(k)) is not None
    )


def render(documents: list[dict], title: str) -> str:
    """The page for one or more documents (the rows of each: documents, sections, entities, relations, metrics,
    attendance), headed by their source file; `title` (what the user asked for) names the page where there is none."""
    many = len(documents) > 1
    outline, text, tables, review = [], [], [], 0
    for rows in documents:
        doc = rows["documents"][0]
        doc_id = _e(doc["doc_id"])
        heading = f"{doc_id} <small>{_e(meeting_line(doc))}</small>"
        outline.append((f"<h2>{heading}</h2>" if many else "<h2>Outline</h2>") + _outline_html(rows))
        marks, anchors, metric_ids = spans(rows)
        text.append(
            f"<article id='{doc_id}:text'>{f'<h2>{heading}</h2>' if many else ''}"
            f"{_text_html(rows, marks, anchors)}</article>"
        )
        tables.append((f"<h2>{heading}</h2>" if many else "") + _tables_html(rows, marks, anchors, metric_ids))
        review += sum(needs_review(r) for k in ("attendance", "relations", "entities") for r in rows[k])
    first = documents[0]["documents"][0]
    source = _e(first.get("source_path") or title)
    ids = ", ".join(_e(r["documents"][0]["doc_id"]) for r in documents)
    summary = f"{len(documents)} documents: {ids}" if many else f"{ids} · {_e(meeting_line(first))}"
    order = (
        "<p class='order'>Rows in <a class='order-text' href='?order=text'>text order</a> · "
        f"<a class='order-review' href='?order=review'>review first</a> "
        f"<small>(score under {REVIEW_BELOW}: {review} row{'s' * (review != 1)})</small></p>"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        f"<meta name='viewport' content='width=device-width'><title>{source}</title><style>{STYLE}</style>"
        f"</head><body><header><h1>{source}</h1><p>{summary}</p></header>"
        f"<nav class='outline'>{''.join(outline)}</nav>"
        f"<main class='text'>{''.join(text)}</main>"
        f"<aside class='tables'>{order}{''.join(tables)}</aside>"
        f"<script>{SORT_SCRIPT}</script></body></html>"
    )
