"""Visual review: `minutes show FILE_OR_DOC_ID --out page.html` renders the sections, entity marks and the
relation table, and the page renders in headless Chromium (a screenshot that is not blank).

The Chromium check needs Debian's chromium (`apt-get update && apt-get install -y chromium`); CI machines start
without it, so that test is skipped with this reason when /usr/bin/chromium is absent."""

from __future__ import annotations

import html
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.cli import app
from pipeline.engine import run_extract
from pipeline.show import render, rows_from_tables
from tests.helpers import CORPUS, MODEL

SEED = sorted(CORPUS.glob("*.txt"))[1]
CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "apt-get update && apt-get install -y chromium"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("show") / "extracted"
    run_extract(CORPUS, out, str(MODEL) if MODEL.is_dir() else None)
    return out


@pytest.fixture(scope="module")
def tables(out) -> dict:
    return pipeline.load(out)


def _show(*args: str) -> None:
    result = CliRunner().invoke(app, ["show", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)


def _marked(page: str) -> list[tuple[str, str]]:
    """(text, label) of the displaCy entity marks on the page, in order."""
    found = re.findall(r'<mark class="entity"[^>]*>(.*?)<span[^>]*>(\w+)</span>\s*</mark>', page, flags=re.S)
    return [(html.unescape(" ".join(t.split())), label) for t, label in found]


def _marks(page: str) -> list[str]:
    return [label for _, label in _marked(page)]


def _check_page(page: str, rows: dict) -> None:
    doc = rows["documents"][0]
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert html.escape(doc["doc_id"]) in page
    assert f"<h2>Sections ({len(rows['sections'])})</h2>" in page
    for s in rows["sections"]:
        if s.get("title"):
            assert html.escape(str(s["title"])) in page
    assert f"<h2>Relations ({len(rows['relations'])})</h2>" in page
    assert "<th>label</th><th>head</th><th>tail</th><th>evidence</th><th>score</th>" in page
    for r in rows["relations"]:
        assert f"<td>{html.escape(r['label'])}</td><td>{html.escape(r['head_text'])}</td>" in page
    assert sorted(_marks(page)) == sorted(e["label"] for e in rows["entities"])
    assert ">nan<" not in page and "<td>None</td>" not in page
    # displaCy turns newlines into <br> itself; preserving whitespace (pre-wrap) around its markup split every mark
    # into three stacked boxes in the browser
    assert "pre-wrap" not in page


def test_show_doc_id_from_the_tables(out, tables, tmp_path):
    doc_id = tables["documents"]["doc_id"].iloc[0]
    page = tmp_path / "page.html"
    _show(doc_id, "--tables", str(out), "--out", str(page))
    rows = rows_from_tables(out, doc_id)
    assert len(rows["sections"]) == (tables["sections"]["doc_id"] == doc_id).sum() > 0
    _check_page(page.read_text(encoding="utf-8"), rows)


def test_show_a_seed_file(tmp_path):
    page = tmp_path / "page.html"
    _show(str(SEED), "--out", str(page), "--model", str(MODEL))  # rules only when models/cnn is missing
    text = page.read_text(encoding="utf-8")
    assert SEED.name in text
    assert "<h2>Sections (" in text and "<h2>Relations (" in text and "<h2>Text and entities</h2>" in text
    n_sections = int(re.search(r"<h2>Sections \((\d+)\)", text).group(1))
    assert n_sections > 3
    if MODEL.is_dir():
        assert _marks(text), "a trained model found no entities in a seed document"


def test_entity_marks_sit_on_their_offsets(out, tables):
    """Marks come from the entities' offsets: with a synthetic entity added, exactly its text is marked."""
    doc_id = tables["documents"]["doc_id"].iloc[0]
    rows = rows_from_tables(out, doc_id)
    text = rows["documents"][0]["text"]
    start = text.index(rows["documents"][0]["committee"])
    end = start + len(rows["documents"][0]["committee"])
    rows["entities"] = [e for e in rows["entities"] if e["end_char"] <= start or e["start_char"] >= end]
    rows["entities"].append({"entity_id": f"{doc_id}:e999", "label": "ORG", "start_char": start, "end_char": end})
    marked = _marked(render(rows))
    assert (" ".join(text[start:end].split()), "ORG") in marked
    assert len(marked) == len(rows["entities"])


def test_unknown_doc_id_fails_clearly(out, tmp_path):
    result = CliRunner().invoke(
        app, ["show", "0000000000000000-9", "--tables", str(out), "--out", str(tmp_path / "p.html")]
    )
    assert result.exit_code != 0
    assert "no document" in str(result.exception)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"headless check needs /usr/bin/chromium: {INSTALL}")
def test_page_renders_in_headless_chromium(out, tables, tmp_path):
    doc_id = tables["documents"]["doc_id"].iloc[0]
    page = tmp_path / "page.html"
    _show(doc_id, "--tables", str(out), "--out", str(page))
    shot = tmp_path / "out.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        page.resolve().as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert shot.is_file(), f"no screenshot (exit {proc.returncode}): {proc.stderr[-2000:]}"
    assert shot.stat().st_size > 20_000, "screenshot is suspiciously small"
    assert _png_size(shot) == (1280, 2000)
    import matplotlib.image as mpimg

    pixels = mpimg.imread(shot)
    assert pixels.std() > 0.05, "screenshot is (nearly) one colour: the page did not render"
    dark = (pixels[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.005 < dark < 0.5, f"{dark:.3f} of the pixels are dark: expected text on a light page"
    shutil.rmtree(profile, ignore_errors=True)
