"""The review page (pipeline.review_page), checked structurally without a browser: every row links to a span
that exists in the text, the text is cut into its sections beside the tables, doubtful rows are marked, and
nothing from a document can inject markup (tests/test_browser.py checks the same pages in Chromium)."""

from __future__ import annotations

import base64
import copy
import hashlib

import pytest

from pipeline import analysis, load
from pipeline.review_page import REVIEW_BELOW, SCRIPT_HASH, SORT_SCRIPT, render
from pipeline.show import rows_from_tables
from tests.page_dom import ids, parse, unresolved_links

INJECTION = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><iframe src=javascript:alert(3)>"


@pytest.fixture(scope="module")
def rows(sample_out) -> dict:
    """The rows of the sample document with the most entity mentions."""
    return rows_from_tables(sample_out, analysis.pick_document(load(sample_out)))


def _rows_of(root, cls: str):
    return list(root.find("table", cls).find("tbody").iter("tr"))


def _links(tr) -> list[str]:
    return [a.attrs["href"] for a in tr.iter("a")]


def test_every_row_links_to_its_span_in_the_text(rows):
    page = render([rows], "x.txt")
    root = parse(page)
    assert not unresolved_links(root)
    text_pane = root.find("main", "text")
    marks = {m.attrs["id"]: m for m in text_pane.iter("mark") if "id" in m.attrs}
    doc_text = rows["documents"][0]["text"]
    for e in rows["entities"]:  # each mention's mark holds exactly its text (then its label)
        mark = marks[e["entity_id"]]
        assert mark.text(skip=("lbl",)) == doc_text[e["start_char"] : e["end_char"]]
        assert mark.find("span", "lbl").text() == e["label"]
    tables = {cls: _rows_of(root, cls) for cls in ("attendance", "relations", "metrics", "entities")}
    assert {k: len(v) for k, v in tables.items()} == {k: len(rows[k]) for k in tables}
    assert len(rows["entities"]) and len(rows["relations"]) and len(rows["metrics"]) and len(rows["attendance"])
    for cls, trs in tables.items():
        for tr in trs:
            targets = [h for h in _links(tr) if h[1:] in marks]
            assert targets, f"a {cls} row links to no span: {tr.text()[:80]}"
    for tr in tables["relations"]:  # head and tail both link
        assert len([h for h in _links(tr) if h[1:] in marks]) == 2


def test_the_text_comes_beside_the_tables_cut_into_its_sections(rows):
    root = parse(render([rows], "x.txt"))
    body = root.find("body")
    panes = [c.tag for c in body.children if not isinstance(c, str)]
    assert panes == ["header", "nav", "main", "aside", "script"]  # outline, text, then tables
    text_pane = root.find("main", "text")
    blocks = {s.attrs["id"]: s for s in text_pane.iter("section")}
    top = [s for s in rows["sections"] if not s.get("parent_id")]
    assert set(blocks) == {s["section_id"] for s in top}
    doc_text = rows["documents"][0]["text"]
    for s in top:  # each block holds its section's text, headed by kind, number and title
        block = blocks[s["section_id"]]
        heading = block.find("h3").text()
        assert s["kind"] in heading and (s.get("title") or "") in heading
        shown = block.find("div", "text").text(skip=("lbl", "sub"))
        assert doc_text[s["start_char"] : s["end_char"]].strip() in shown
    nested = {e.attrs["id"] for e in text_pane.iter("span") if "sub" in e.classes()}
    assert nested == {s["section_id"] for s in rows["sections"] if s.get("parent_id")}
    outline = [a.attrs["href"][1:] for a in root.find("nav", "outline").iter("a")]
    assert outline == [
        s["section_id"] for s in sorted(rows["sections"], key=lambda s: (s["start_char"], -s["end_char"]))
    ]


def test_rows_under_the_review_threshold_are_marked(rows):
    rows = copy.deepcopy(rows)
    rows["relations"][0]["score"] = REVIEW_BELOW - 0.2
    rows["attendance"][-1]["score"] = REVIEW_BELOW - 0.01
    for r in rows["relations"][1:] + rows["attendance"][:-1]:
        r["score"] = max(REVIEW_BELOW, r["score"] or 0)
    root = parse(render([rows], "x.txt"))
    for cls, expected in (("relations", 1), ("attendance", 1), ("metrics", 0)):
        flagged = [tr for tr in _rows_of(root, cls) if "review" in tr.classes()]
        assert len(flagged) == expected
        assert all("review" in tr.text() for tr in flagged)
    headings = {e.attrs["id"].rsplit(":", 1)[1]: e.text() for e in root.find("aside", "tables").iter("h2")}
    assert "1 to review" in headings["relations"] and "1 to review" in headings["attendance"]
    assert "to review" not in headings["metrics"]
    # text order is the default: data-n counts the rows as listed, the script reorders them for ?order=review
    assert [int(tr.attrs["data-n"]) for tr in _rows_of(root, "relations")] == list(range(len(rows["relations"])))


def test_the_only_script_is_the_page_own_and_the_policy_allows_only_it(rows):
    page = render([rows], "x.txt")
    root = parse(page)
    scripts = list(root.iter("script"))
    assert len(scripts) == 1 and scripts[0].text() == SORT_SCRIPT
    assert SCRIPT_HASH == base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode()).digest()).decode()
    (csp,) = [m.attrs["content"] for m in root.iter("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp and f"'sha256-{SCRIPT_HASH}'" in csp
    assert "http://" not in page and "https://" not in page and "<link" not in page  # nothing external


def test_document_text_and_values_cannot_inject_markup(rows):
    """HTML in the text, a mention, a norm, a section title, the committee and the file name stays text."""
    rows = copy.deepcopy(rows)
    doc = rows["documents"][0]
    start = len(doc["text"])
    doc["text"] += "\n" + INJECTION + "\n"
    doc["committee"] = INJECTION
    doc["source_path"] = INJECTION + ".txt"
    rows["sections"][0]["title"] = INJECTION
    rows["entities"].append(
        {
            "entity_id": f"{doc['doc_id']}:e9999",
            "label": "ORG" + INJECTION,
            "text": INJECTION,
            "norm": INJECTION,
            "start_char": start + 1,
            "end_char": start + 1 + len(INJECTION),
            "section_id": None,
            "score": None,
        }
    )
    rows["relations"][0]["evidence"] = INJECTION
    rows["attendance"][0]["person"] = INJECTION
    rows["metrics"][0]["indicator"] = INJECTION
    root = parse(render([rows], INJECTION))
    tags = {e.tag for e in root.iter()}
    assert not tags & {"img", "iframe"}
    assert [s.text() for s in root.iter("script")] == [SORT_SCRIPT]
    handlers = [(e.tag, k) for e in root.iter() for k in e.attrs if k.startswith("on")]
    assert not handlers
    assert not [e for e in root.iter() if "javascript:" in (e.attrs.get("src") or e.attrs.get("href") or "")]
    assert INJECTION in root.find("main", "text").text()  # shown as the text it is
    assert INJECTION + ".txt" in root.find("header").text()


def test_overlapping_spans_still_have_an_anchor(rows):
    """A metric whose span overlaps a mention (and is not one) cannot be a second mark: it gets an anchor."""
    rows = copy.deepcopy(rows)
    e = next(e for e in rows["entities"] if e["end_char"] - e["start_char"] > 3)
    metric = {**rows["metrics"][0], "entity_id": None, "start_char": e["start_char"] + 1, "end_char": e["end_char"]}
    rows["metrics"].append(metric)
    root = parse(render([rows], "x.txt"))
    assert not unresolved_links(root)
    anchors = [s for s in root.find("main", "text").iter("span") if "anchor" in s.classes()]
    assert len(anchors) == 1 and anchors[0].attrs["id"].endswith(f":metric{len(rows['metrics']) - 1}")


def test_several_documents_share_one_page_with_unique_ids(sample_out):
    tables = load(sample_out)
    two = [rows_from_tables(sample_out, d) for d in tables["documents"]["doc_id"][:2]]
    root = parse(render(two, "two.txt"))
    found = ids(root)
    assert len(found) == len(set(found))
    assert not unresolved_links(root)
    assert len(list(root.find("main", "text").iter("article"))) == 2
    header = root.find("header").text()
    assert all(r["documents"][0]["doc_id"] in header for r in two)
