"""`minutes show TARGET`: finding the documents the user means (doc_id, source path, bare file name, URL, a file
on disk by its content), every meeting of a file on one page, and one-line errors with a non-zero exit status
through the real command line (no traceback)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.engine import run_extract
from pipeline.review_page import render
from pipeline.show import ShowError, find_documents, page_rows
from tests.helpers import CORPUS, MODEL
from tests.page_dom import parse, unresolved_links

SEEDS = sorted(CORPUS.glob("00*.txt"))


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory):
    """A corpus as users name it: 2023/2023-05-minutes.txt holds two meetings; a/minutes.txt and b/minutes.txt
    share a file name. Rules only (documents and sections are all the look-up needs)."""
    root = tmp_path_factory.mktemp("named")
    corpus = root / "corpus"
    (corpus / "2023").mkdir(parents=True)
    (corpus / "2023" / "2023-05-minutes.txt").write_bytes(SEEDS[0].read_bytes() + SEEDS[3].read_bytes())
    for folder, seed in (("a", SEEDS[1]), ("b", SEEDS[2])):
        (corpus / folder).mkdir()
        shutil.copy(seed, corpus / folder / "minutes.txt")
    out = root / "extracted"
    run_extract(corpus, out, None)
    docs = pd.read_parquet(out / "documents")
    assert len(docs) == 4, "the concatenated file no longer splits into two meetings"
    return corpus, out, docs.sort_values(["source_path", "part"]).reset_index(drop=True)


def _two_meetings(docs) -> list[str]:
    return list(docs[docs["source_path"] == "2023/2023-05-minutes.txt"]["doc_id"])


@pytest.mark.parametrize(
    "target",
    [
        "2023-05-minutes.txt",
        "2023/2023-05-minutes.txt",
        "corpus/2023/2023-05-minutes.txt",
        "./2023/2023-05-minutes.txt",
    ],
)
def test_a_file_name_or_path_finds_every_meeting_of_the_file(corpus_out, target):
    _, out, docs = corpus_out
    found = find_documents(docs, target)
    assert found == _two_meetings(docs) and len(found) == 2


def test_a_doc_id_finds_that_document_only(corpus_out):
    _, out, docs = corpus_out
    doc_id = _two_meetings(docs)[1]
    assert find_documents(docs, doc_id) == [doc_id]


def test_a_file_name_shared_by_two_files_asks_for_the_path(corpus_out):
    _, out, docs = corpus_out
    with pytest.raises(ShowError, match=r"names 2 different files \(a/minutes.txt, b/minutes.txt\): give the path"):
        find_documents(docs, "minutes.txt")
    assert len(find_documents(docs, "b/minutes.txt")) == 1


def test_a_source_url_or_its_file_name_finds_the_document():
    docs = pd.DataFrame(
        {
            "doc_id": ["a-0", "b-0"],
            "part": [0, 0],
            "sha256": ["a", "b"],
            "source_path": ["x/1.pdf", "x/2.pdf"],
            "source_url": ["https://example.gov.uk/documents/s1234/cabinet.pdf", None],
        }
    )
    assert find_documents(docs, "https://example.gov.uk/documents/s1234/cabinet.pdf") == ["a-0"]
    assert find_documents(docs, "cabinet.pdf") == ["a-0"]
    assert find_documents(docs, "3.pdf") == []


def test_a_file_on_disk_is_found_by_content_else_run_through_the_pipeline(corpus_out, tmp_path):
    corpus, out, docs = corpus_out
    renamed = tmp_path / "renamed.txt"  # same bytes under another name: the extracted rows
    shutil.copy(corpus / "a" / "minutes.txt", renamed)
    documents, origin = page_rows(str(renamed), out, None)
    assert origin == "tables" and [d["documents"][0]["source_path"] for d in documents] == ["a/minutes.txt"]
    changed = tmp_path / "changed.txt"  # edited since the extract: run afresh, both meetings
    changed.write_bytes((corpus / "2023" / "2023-05-minutes.txt").read_bytes() + b"\nA late note.\n")
    documents, origin = page_rows(str(changed), out, str(MODEL) if MODEL.is_dir() else None)
    assert origin == "pipeline" and len(documents) == 2 and documents[0]["sections"]
    if MODEL.is_dir():
        assert all(d["entities"] for d in documents), "a trained model found no entities in two seed meetings"
        root = parse(render(documents, "changed.txt"))
        assert not unresolved_links(root) and len(list(root.iter("mark"))) >= len(documents[0]["entities"])


def test_the_page_of_a_two_meeting_file_shows_both(corpus_out, tmp_path):
    _, out, docs = corpus_out
    page = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["show", "2023-05-minutes.txt", "--tables", str(out), "--out", str(page)])
    assert result.exit_code == 0, result.output
    assert f"wrote {page} (2 documents, from the tables in {out})" in result.output
    root = parse(page.read_text(encoding="utf-8"))
    assert [a.attrs["id"] for a in root.find("main", "text").iter("article")] == [
        f"{d}:text" for d in _two_meetings(docs)
    ]
    assert not unresolved_links(root)
    assert "2023/2023-05-minutes.txt" in root.find("header").text()


def _minutes(*args: str) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it."""
    cmd = [sys.executable, "-c", "from pipeline.cli import app; app()", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


def test_errors_are_one_line_with_what_to_do(corpus_out, tmp_path):
    _, out, _ = corpus_out
    page = str(tmp_path / "p.html")
    line = _one_line_error(_minutes("show", "2023-05-minute.txt", "--tables", str(out), "--out", page))
    assert "no document '2023-05-minute.txt'" in line and "did you mean 2023-05-minutes.txt" in line
    line = _one_line_error(_minutes("show", "agenda.pdf", "--tables", str(out), "--out", page))
    assert "no document" in line and "a/minutes.txt" in line  # no close match: the files it does hold
    line = _one_line_error(_minutes("show", "minutes.txt", "--tables", str(out), "--out", page))
    assert "a/minutes.txt, b/minutes.txt" in line
    line = _one_line_error(_minutes("show", "x.txt", "--tables", str(tmp_path / "none"), "--out", page))
    assert "holds no extracted tables" in line and "--tables" in line
    line = _one_line_error(
        _minutes("show", "b/minutes.txt", "--tables", str(out), "--out", str(tmp_path / "no/p.html"))
    )
    assert "cannot write" in line and "--out" in line
    not_minutes = tmp_path / "empty.txt"
    not_minutes.write_bytes(b"")
    line = _one_line_error(_minutes("show", str(not_minutes), "--tables", str(out), "--out", page))
    assert "cannot be read" in line
    damaged = tmp_path / "damaged"
    (damaged / "documents").mkdir(parents=True)
    (damaged / "documents" / "part.parquet").write_bytes(b"not parquet")
    line = _one_line_error(_minutes("show", "b/minutes.txt", "--tables", str(damaged), "--out", page))
    assert f"cannot read the tables in {damaged}" in line and "minutes extract" in line
