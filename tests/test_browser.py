"""The review page in headless Chromium (pipeline.browser): the links resolve in the DOM the browser built, the
page's own script runs under its Content-Security-Policy and lists doubtful rows first on ?order=review, HTML in
a document runs nothing, and a screenshot scrolled to a span shows a page.

Needs Debian's chromium (`apt-get update && apt-get install -y chromium`); CI machines start without it, so
these tests are skipped with that reason when it is absent (tests/test_review_page.py checks the same pages
without a browser)."""

from __future__ import annotations

import copy
import struct

import pytest

from pipeline import analysis, load
from pipeline.browser import INSTALL_HINT, chromium_path, dump_dom, main, page_url, screenshot
from pipeline.review_page import REVIEW_BELOW, render
from pipeline.show import rows_from_tables
from tests.page_dom import parse, unresolved_links

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(chromium_path() is None, reason=f"headless checks need chromium: {INSTALL_HINT}"),
]

# would mark the page if it ran: a script, an event handler, a javascript: URL
RUNS = "document.documentElement.setAttribute('data-injected', 'yes')"
INJECTION = f'<script>{RUNS}</script><img src=x onerror="{RUNS}"><a href="javascript:{RUNS}">x</a>'


@pytest.fixture(scope="module")
def rows(sample_out) -> dict:
    """A sample document with one doubtful relation and one doubtful attendance row, late in text order."""
    rows = copy.deepcopy(rows_from_tables(sample_out, analysis.pick_document(load(sample_out))))
    for r in rows["relations"] + rows["attendance"]:
        r["score"] = 0.99
    start = {e["entity_id"]: e["start_char"] for e in rows["entities"]}
    max(rows["relations"], key=lambda r: start[r["head_id"]])["score"] = REVIEW_BELOW - 0.3
    max(rows["attendance"], key=lambda a: start.get(a["entity_id"], -1))["score"] = REVIEW_BELOW - 0.1
    return rows


def _page(tmp_path, rows, name="page.html"):
    page = tmp_path / name
    page.write_text(render([rows], "x.txt"), encoding="utf-8")
    return page


def _tbody_rows(root, cls):
    return list(root.find("table", cls).find("tbody").iter("tr"))


def test_links_resolve_and_doubtful_rows_can_come_first(rows, tmp_path):
    page = _page(tmp_path, rows)
    plain = parse(dump_dom(page_url(page)))
    assert plain.find("html").attrs.get("data-order") == "text"  # the script ran: the policy allows it
    assert not unresolved_links(plain)
    marked = {m.attrs["id"] for m in plain.find("main", "text").iter("mark") if "id" in m.attrs}
    assert marked == {e["entity_id"] for e in rows["entities"]}
    relations = _tbody_rows(plain, "relations")
    assert "review" in relations[-1].classes() and "review" not in relations[0].classes()

    first = parse(dump_dom(page_url(page, "order=review")))
    assert first.find("html").attrs.get("data-order") == "review"
    for cls in ("relations", "attendance"):
        listed = _tbody_rows(first, cls)
        assert "review" in listed[0].classes() and not any("review" in tr.classes() for tr in listed[1:])
        assert [int(tr.attrs["data-n"]) for tr in listed[1:]] == sorted(int(tr.attrs["data-n"]) for tr in listed[1:])
    assert not unresolved_links(first)


def test_html_in_a_document_runs_nothing(rows, tmp_path):
    rows = copy.deepcopy(rows)
    doc = rows["documents"][0]
    doc["text"] += "\n" + INJECTION + "\n"
    doc["committee"] = INJECTION
    rows["sections"][0]["title"] = INJECTION
    rows["attendance"][0]["person"] = INJECTION
    dom = dump_dom(page_url(_page(tmp_path, rows)))
    root = parse(dom)
    html_element = root.find("html")
    assert html_element.attrs.get("data-order") == "text" and "data-injected" not in html_element.attrs
    assert not list(root.iter("img")) and len(list(root.iter("script"))) == 1
    assert not [a for a in root.iter("a") if (a.attrs.get("href") or "").startswith("javascript:")]
    assert INJECTION in root.find("main", "text").text()


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_a_screenshot_scrolled_to_a_span_shows_the_page(rows, tmp_path, capsys):
    page = _page(tmp_path, rows)
    span = min(rows["relations"], key=lambda r: r["score"])["head_id"]
    shot = screenshot(page_url(page, "order=review", span), tmp_path / "shot.png", (1200, 800))
    assert _png_size(shot) == (1200, 800)
    import matplotlib.image as mpimg

    pixels = mpimg.imread(shot)
    assert pixels.std() > 0.05, "screenshot is (nearly) one colour: the page did not render"
    dark = (pixels[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.005 < dark < 0.5, f"{dark:.3f} of the pixels are dark: expected text on a light page"
    assert main([str(tmp_path / "missing.html"), "--screenshot", str(tmp_path / "x.png")]) == 2
    assert "write the page first" in capsys.readouterr().err
