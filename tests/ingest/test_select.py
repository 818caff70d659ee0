"""Which corpus files are read (pipeline/ingest/select.py, through the scan): the minute formats by extension in
any case, other files only when their first bytes are minutes, --include / --exclude globs, the manifest never."""

from __future__ import annotations

import io
import os

import docx
import pytest

from pipeline.engine import run_extract
from pipeline.ingest import FileSelection, scan_selected
from pipeline.ingest.select import glob_matches
from tests.helpers import SEED_PATHS

SEED = SEED_PATHS[0].read_text(encoding="utf-8")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
PAGE = "<!DOCTYPE html><html><body><p>Minutes of the Cabinet</p></body></html>"


def word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("Minutes of the Cabinet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write(root, files: dict[str, bytes | str]):
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return root


def selected(root, selection: FileSelection | None = None) -> tuple[list[str], list[str]]:
    scan = scan_selected(root, selection=selection)
    return [f.source_path for f in scan.files], scan.left_out


def test_minute_formats_by_extension_in_any_case(tmp_path):
    names = ["a.txt", "b.HTM", "c.Html", "d.PDF", "e.docx", "f.TXT"]
    write(tmp_path, {name: SEED for name in names})  # the extension decides: bytes are not looked at
    assert selected(tmp_path) == (names, [])


def test_other_formats_are_left_out_without_being_errors(tmp_path):
    write(
        tmp_path,
        {
            "notes.md": "# Notes\n\nSome text.\n",
            "x.csv": "a,b\n1,2\n",
            "image.png": b"\x89PNG\r\n\x1a\n" + bytes(200),
            "data.json": '{"a": 1}',
            "tables.xlsx": b"PK\x03\x04" + bytes(100),  # a zip, but not a Word document
            "minutes.txt": SEED,
        },
    )
    assert selected(tmp_path) == (["minutes.txt"], ["data.json", "image.png", "notes.md", "tables.xlsx", "x.csv"])


def test_content_decides_for_other_and_missing_extensions(tmp_path):
    write(
        tmp_path,
        {
            "download.aspx": PAGE,  # a saved page, whatever the scraper called it
            "report.bin": PDF,
            "attachment": word_document(),
            "minutes-2019": SEED,  # no extension, plain text: read
            "notes.md": SEED,  # plain text with an extension of its own: not minutes
            "blank": b"",  # no extension and nothing in it: nothing says it is minutes
            "photo": b"\xff\xd8\xff\xe0" + bytes(100),
        },
    )
    files, left_out = selected(tmp_path)
    assert files == ["attachment", "download.aspx", "minutes-2019", "report.bin"]
    assert left_out == ["blank", "notes.md", "photo"]


def test_entries_whose_bytes_cannot_be_looked_at_are_kept_as_errors(tmp_path):
    os.symlink("missing-target", tmp_path / "dangling")
    os.mkfifo(tmp_path / "pipe")  # opening it to look would block the scan
    scan = scan_selected(tmp_path)
    errors = {f.source_path: f.read_error for f in scan.files}
    assert "does not lead to a regular file" in errors["dangling"] and "not a regular file" in errors["pipe"]


def test_include_reads_other_files_and_exclude_wins(tmp_path):
    write(
        tmp_path,
        {"a.txt": SEED, "drafts/b.txt": SEED, "x.csv": "a,b\n", "2019/notes.md": "# notes\n", "2019/c.PDF": PDF},
    )
    files, left_out = selected(tmp_path, FileSelection(include=("*.csv",)))
    assert files == ["2019/c.PDF", "a.txt", "drafts/b.txt", "x.csv"] and left_out == ["2019/notes.md"]
    files, left_out = selected(tmp_path, FileSelection(exclude=("drafts/*", "*.pdf")))
    assert files == ["a.txt"] and left_out == ["2019/c.PDF", "2019/notes.md", "drafts/b.txt", "x.csv"]
    files, _ = selected(tmp_path, FileSelection(include=("2019/*",), exclude=("*.md",)))
    assert files == ["2019/c.PDF", "a.txt", "drafts/b.txt"]  # --exclude wins over --include


@pytest.mark.parametrize(
    "path, glob, expected",
    [
        ("2019/cabinet.PDF", "*.pdf", True),  # no '/': the file name, any folder, any case
        ("2019/cabinet.pdf", "cabinet.*", True),
        ("2019/cabinet.pdf", "2019/*", True),  # with '/': the path under the corpus root
        ("2019/sub/cabinet.pdf", "2019/*", True),  # '*' crosses folders
        ("2020/cabinet.pdf", "2019/*", False),
        ("a/2019/cabinet.pdf", "2019/*", False),
        ("2019/cabinet.pdf", "/2019/*.pdf", True),
    ],
)
def test_glob_matching(path, glob, expected):
    assert glob_matches(path, glob) is expected


def test_run_counts_left_out_files_and_keeps_the_manifest_out(tmp_path):
    corpus = write(
        tmp_path / "corpus",
        {"a.txt": SEED, "notes.md": "# notes\n", "manifest.csv": "path,council\na.txt,Anyshire County Council\n"},
    )
    summary = run_extract(corpus, tmp_path / "out", None)
    assert summary.files_seen == 1 and summary.files_left_out == 1  # the manifest is neither a document nor counted
    assert "1 left out (not minutes)" in summary.line()
    # the manifest read as a document on request is still never one
    included = run_extract(corpus, tmp_path / "out2", None, selection=FileSelection(include=("*.csv", "*.md")))
    assert included.files_seen == 2 and included.files_left_out == 0


def test_a_manifest_row_for_a_left_out_file_says_so(tmp_path):
    from pipeline.ingest.manifest import ManifestError

    corpus = write(tmp_path / "corpus", {"a.txt": SEED, "notes.md": "# notes\n", "manifest.csv": "path\nnotes.md\n"})
    with pytest.raises(ManifestError, match="'notes.md' is not read .*read the file with --include"):
        run_extract(corpus, tmp_path / "out", None)
    assert not (tmp_path / "out").exists()
