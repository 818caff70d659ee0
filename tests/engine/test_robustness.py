"""Bad input through the whole run: each bad file gives exactly one `errors` row (stage + clear message) or a
correct extraction; the run never crashes or hangs, good files' rows stay intact, and the CLI exits 1.

Every input is generated here (no committed binaries). Tests run as root, where chmod 000 does not stop a
read, so the unreadable file is a symbolic link to /proc/self/mem, whose read fails with EIO for anyone;
a FIFO, a dangling link and a symlink loop are the other entries that cannot be read as files.
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from spacy.language import Language
from typer.testing import CliRunner

from pipeline import nlp as nlp_module
from pipeline.cli import app
from pipeline.engine import ExtractSettings, run_extract
from pipeline.engine import batch as batch_module
from pipeline.engine.batch import extract_batch
from pipeline.engine.deadline import Deadline, DocumentTimeout
from pipeline.ingest import FileSelection, scan_corpus
from tests.helpers import REPO, SEED_PATHS, read_tables

SEED = SEED_PATHS[0].read_text(encoding="utf-8")
NAMED = "Minutes of the meeting: the Chair’s report – £1.2m overspend; café “quoted”.\nSecond line\n"


# ---------------------------------------------------------------- generated inputs


def make_pdf(pages: list[list[str]], *, text_layer: bool = True) -> bytes:
    """A minimal valid PDF (Helvetica text lines, or a grey box standing in for a scan without OCR)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for _page_number, lines in enumerate(pages):
        esc = [s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for s in lines]
        body = (
            ("BT /F1 11 Tf 14 TL 72 740 Td " + " ".join(f"({s}) Tj T*" for s in esc) + " ET")
            if text_layer
            else "0.5 g 72 72 200 200 re f"
        )
        kids.append(f"{len(objs) + 1} 0 R")
        objs.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                f"/Contents {len(objs) + 2} 0 R >>"
            ).encode()
        )
        objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body.encode("latin-1")))
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (k, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([["Item 1: budget"]]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * 30_000_000)  # 30 MB from ~30 KB
    return buf.getvalue()


PARA = "Item 4. The committee noted that 21.3% of children were seen within 10 days.\n"

# name -> (bytes, expected): ("ok", substring the document text must contain) or ("error", stage, message part)
INPUTS: dict[str, tuple[bytes, tuple]] = {
    "empty.txt": (b"", ("error", "read", "empty file")),
    "whitespace.txt": (b"  \n\t \r\n \x0c ", ("error", "read", "empty file")),
    # not minute formats: left out by the scan, never read (with --include they are read: one detect error each)
    "image.png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, ("left out", "detect", "PNG image")),
    "random.bin": (random.Random(7).randbytes(4096), ("left out", "detect", "binary file")),
    "nul_inside.txt": (
        b"Minutes\x00 of the\x00 meeting of the Cabinet.\n",
        ("ok", "Minutes of the meeting of the Cabinet."),
    ),
    "nul_heavy.txt": (b"Minutes " + b"\x00" * 300 + b" of the meeting\n" * 20, ("error", "detect", "NUL bytes")),
    "invalid_utf8.txt": ("Café report.\n".encode() + b"Cost \xa35 \x96 agreed \xff.\n", ("ok", "Cost £5 – agreed ÿ.")),
    "utf16_bom.txt": (b"\xff\xfe" + NAMED.encode("utf-16-le"), ("ok", NAMED)),
    "utf16_nobom.txt": (NAMED.encode("utf-16-le"), ("ok", NAMED)),
    "utf16be_nobom.txt": (NAMED.encode("utf-16-be"), ("ok", NAMED)),
    "cp1252.txt": (NAMED.encode("cp1252"), ("ok", NAMED)),
    "line_5mb.txt": (
        (PARA.strip() + " ").encode() * (5_000_000 // len(PARA)),
        ("error", "limit", "over the 2,000,000 character limit"),
    ),
    "line_1_5mb.txt": ((PARA.strip() + " ").encode() * (1_500_000 // len(PARA)), ("error", "limit", "nlp.max_length")),
    "deep.html": (
        ("<html><body>" + "<div>" * 20_000 + "deep text" + "</div>" * 20_000 + "<p>after</p></body></html>").encode(),
        ("ok", "deep text"),
    ),
    "script.html": (
        b"<html><head><style>p{color:red}</style><script>var secret='script text'</script></head><body>"
        b"<iframe src='https://example.invalid/'>iframe text</iframe><p>Visible minutes</p>"
        b"<script>document.write('more script')</script></body></html>",
        ("ok", "Visible minutes"),
    ),
    "malformed.html": (
        b"<html><p>Minutes <b>of the<p>meeting <table><tr><td>Ann<td>Chair</table> end <div <<>> </i></x>",
        ("ok", "Ann\tChair"),
    ),
    "corrupt.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog garbage", ("error", "parse", "corrupt PDF")),
    "truncated.pdf": (make_pdf([["Item 1: budget"]] * 3)[:300], ("error", "parse", "PDF")),
    "encrypted.pdf": (encrypted_pdf(), ("error", "parse", "encrypted PDF: it needs a password")),
    "scan.pdf": (make_pdf([["x"], ["y"]], text_layer=False), ("error", "parse", "no text layer")),
    "good.pdf": (
        make_pdf([["Cabinet minutes", "Item 1: budget monitoring was noted."]]),
        ("ok", "Item 1: budget monitoring was noted."),
    ),
    "notzip.docx": (b"this is not a zip file at all", ("error", "parse", "not a readable zip")),
    "bomb.docx": (zip_bomb(), ("error", "limit", "zip bomb")),
    "legacy.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ("left out", "detect", "legacy Microsoft Office")),
    "with spaces in name.txt": (SEED.encode(), ("ok", SEED)),
    "ünïcødé – £ minutes.txt": ((SEED + "\nunicode variant\n").encode(), ("ok", "unicode variant")),
    "new\nline.txt": ((SEED + "\nnewline variant\n").encode(), ("ok", "newline variant")),
    "..dots..in..name...txt": ((SEED + "\ndots variant\n").encode(), ("skip",)),  # hidden (leading dot): skipped
    "dots..in..name.txt": ((SEED + "\ndots variant 2\n").encode(), ("ok", "dots variant 2")),
}
BIG_NAME = "big_50mb.txt"
SPECIAL = {  # entries that are not regular files with bytes: name -> (stage, message part)
    BIG_NAME: ("limit", "over the 50 MB limit"),
    "loop_a": ("read", "symbolic link does not lead to a regular file"),
    "loop_b": ("read", "symbolic link does not lead to a regular file"),
    "dangling.txt": ("read", "symbolic link does not lead to a regular file"),
    "fifo.txt": ("read", "not a regular file"),
    "unreadable.txt": ("read", "symbolic link leads outside the corpus folder"),
}
UNDECODABLE_NAME = b"latin1-caf\xe9.txt"  # not valid UTF-8: stored as 'latin1-caf\\xe9.txt'


def build_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, (data, _) in INPUTS.items():
        (root / name).write_bytes(data)
    with open(root / BIG_NAME, "wb") as fh:  # 50 MiB of real text: refused from its size, never read
        chunk = PARA.encode() * (1_048_576 // len(PARA) + 1)
        for _ in range(51):
            fh.write(chunk[:1_048_576])
    os.symlink("loop_b", root / "loop_a")
    os.symlink("loop_a", root / "loop_b")
    os.symlink("does-not-exist.txt", root / "dangling.txt")
    os.mkfifo(root / "fifo.txt")
    os.symlink("/proc/self/mem", root / "unreadable.txt")
    with open(os.path.join(os.fsencode(root), UNDECODABLE_NAME), "wb") as fh:
        fh.write((SEED + "\nlatin-1 name variant\n").encode())
    return root


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    if not os.path.exists("/proc/self/mem"):
        pytest.skip("needs Linux /proc for the unreadable-file case")
    base = tmp_path_factory.mktemp("bad")
    corpus = build_corpus(base / "corpus")
    out = base / "out"
    t0 = time.perf_counter()
    summary = run_extract(corpus, out, None, settings=ExtractSettings(doc_seconds=60))
    return corpus, out, summary, read_tables(out), time.perf_counter() - t0


# ---------------------------------------------------------------- the whole run over bad input


def test_exactly_one_error_row_per_bad_file(bad_run):
    _, _, summary, tables, _ = bad_run
    errors = tables["errors"]
    expected = {n: exp[1:] for n, (_, exp) in INPUTS.items() if exp[0] == "error"} | SPECIAL
    counts = errors.source_path.value_counts()
    assert sorted(counts.index) == sorted(expected), "one errors row per bad file, none for good ones"
    assert (counts == 1).all()
    for row in errors.itertuples():
        stage, part = expected[row.source_path]
        assert row.stage == stage, (row.source_path, row.stage, row.message)
        assert part in row.message, (row.source_path, row.message)
        assert row.error and len(row.message) >= 10
    assert summary.stats.failed_files == len(expected) == summary.stats.errors


def test_other_formats_left_out_unless_included(bad_run, tmp_path):
    """Files in formats that are not minutes are counted and never read; --include reads them, and their bytes
    say what each one is (one detect error each)."""
    _, _, summary, tables, _ = bad_run
    left_out = {name: exp[1:] for name, (_, exp) in INPUTS.items() if exp[0] == "left out"}
    assert summary.files_left_out == len(left_out)
    assert not set(left_out) & (set(tables["errors"].source_path) | set(tables["documents"].source_path))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in left_out:
        (corpus / name).write_bytes(INPUTS[name][0])
    included = run_extract(corpus, tmp_path / "out", None, selection=FileSelection(include=("*.png", "*.bin", "*.doc")))
    assert included.files_left_out == 0 and included.stats.failed_files == len(left_out)
    errors = pd.read_parquet(tmp_path / "out" / "errors").set_index("source_path")
    for name, (stage, part) in left_out.items():
        assert errors.loc[name, "stage"] == stage and part in errors.loc[name, "message"], name


def test_good_files_extracted_correctly(bad_run):
    corpus, _, _, tables, _ = bad_run
    docs = tables["documents"].set_index("source_path")
    good = {n: exp[1] for n, (_, exp) in INPUTS.items() if exp[0] == "ok"}
    assert sorted(docs.index) == sorted(list(good) + ["latin1-caf\\xe9.txt"])  # hidden files leave no row at all
    for name, must in good.items():
        text = docs.loc[name, "text"]
        assert must in text, name
        assert "\x00" not in text and "\ufffd" not in text
    assert "script text" not in docs.loc["script.html", "text"] and "iframe text" not in docs.loc["script.html", "text"]
    assert "color:red" not in docs.loc["script.html", "text"]
    assert docs.loc["with spaces in name.txt", "text"] == SEED
    assert docs.loc["utf16_bom.txt", "encoding"] == "utf-16-le" and docs.loc["cp1252.txt", "encoding"] == "cp1252"


def test_good_rows_intact_next_to_bad_ones(bad_run, tmp_path):
    """The seed copies' rows equal those of a run over the seed alone (bad neighbours change nothing)."""
    _, _, _, tables, _ = bad_run
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "with spaces in name.txt").write_bytes(SEED.encode())
    out = tmp_path / "out"
    run_extract(alone, out, None)
    single = read_tables(out)
    for name in ("documents", "sections", "entities", "metrics", "attendance"):
        doc_ids = set(single["documents"].doc_id)
        mine = tables[name][tables[name].doc_id.isin(doc_ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, single[name].reset_index(drop=True), obj=name)


def test_every_offset_slices_the_document_text(bad_run):
    _, _, _, tables, _ = bad_run
    texts = tables["documents"].set_index("doc_id").text
    for name in ("sections", "entities", "metrics"):
        for row in tables[name].itertuples():
            text = texts[row.doc_id]
            assert 0 <= row.start_char <= row.end_char <= len(text)
            if name != "sections":
                assert row.text == text[row.start_char : row.end_char]


def test_bad_run_is_not_slow(bad_run):
    # not a benchmark: a generous bound that only a hang or a quadratic blow-up would cross
    assert bad_run[4] < 120


def test_cli_exit_status(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(SEED, encoding="utf-8")
    runner = CliRunner()
    args = [
        "extract",
        str(corpus),
        "--out",
        str(tmp_path / "out"),
        "--rules-only",
        "--doc-seconds",
        "30",
    ]
    ok = runner.invoke(app, args)
    assert ok.exit_code == 0, ok.output
    (corpus / "corrupt.pdf").write_bytes(INPUTS["corrupt.pdf"][0])
    bad = runner.invoke(app, args)
    assert bad.exit_code == 1 and "1 errors" in bad.output
    errors = pd.read_parquet(tmp_path / "out" / "errors")
    assert list(errors.source_path) == ["corrupt.pdf"]


def test_names_never_crash_the_writer(tmp_path):
    """A name that is not valid UTF-8 once made Parquet refuse the part and crashed the run."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9 \n\xff.txt"), "wb") as fh:
        fh.write(SEED.encode())
    out = tmp_path / "out"
    run_extract(corpus, out, None)
    assert list(pd.read_parquet(out / "documents").source_path) == ["caf\\xe9 \n\\xff.txt"]


# ---------------------------------------------------------------- time limit (stage "timeout")

HANG = "HANG-IN-NLP"
SPIN = "SPIN-IN-NLP"
STUBBORN = "SWALLOWS-TIMEOUTS"


@Language.component("robustness_hang")
def _hang(doc):
    if HANG in doc.text:
        time.sleep(3600)  # a blocking call: SIGALRM interrupts it
    if SPIN in doc.text:
        while True:  # pure Python busy loop
            pass
    if STUBBORN in doc.text:  # library code that swallows exceptions: the deadline fires again
        swallowed = 0
        while swallowed < 3:
            try:
                while True:
                    pass
            except Exception:
                swallowed += 1
    return doc


@pytest.fixture
def hanging_nlp(monkeypatch):
    from pipeline.nlp import load_nlp

    nlp = load_nlp(None)
    nlp.add_pipe("robustness_hang", after="minutes_sections")
    monkeypatch.setattr(nlp_module, "cached_nlp", lambda model: nlp)
    real = batch_module.read_documents

    def slow_read(path, **kw):
        if "slow-ingest" in os.fspath(path):
            while True:
                time.sleep(0.01)
        return real(path, **kw)

    monkeypatch.setattr(batch_module, "read_documents", slow_read)
    return nlp


def _timeout_corpus(root: Path, blocking: bool = True) -> Path:
    root.mkdir()
    (root / "a-good.txt").write_text(SEED, encoding="utf-8")
    if blocking:
        (root / "b-hang.txt").write_text(f"Cabinet minutes. {HANG}\n", encoding="utf-8")
    (root / "c-spin.txt").write_text(f"Cabinet minutes. {SPIN}\n", encoding="utf-8")
    (root / "d-stubborn.txt").write_text(f"Cabinet minutes. {STUBBORN}\n", encoding="utf-8")
    (root / "e-slow-ingest.txt").write_text("Cabinet minutes.\n", encoding="utf-8")
    (root / "f-good.txt").write_text(SEED + "\nsecond good file\n", encoding="utf-8")
    return root


def _check_timeouts(errors: pd.DataFrame, docs: pd.DataFrame, blocking: bool = True) -> None:
    assert sorted(errors.source_path) == ["b-hang.txt"] * blocking + [
        "c-spin.txt",
        "d-stubborn.txt",
        "e-slow-ingest.txt",
    ]
    assert (errors.stage == "timeout").all() and (errors.error == "DocumentTimeout").all()
    assert errors.message.str.contains("limit per document").all()
    assert (
        errors.set_index("source_path").loc["e-slow-ingest.txt", "message"].startswith("reading the file took longer")
    )
    assert sorted(docs.source_path) == ["a-good.txt", "f-good.txt"]


def test_hanging_documents_time_out_in_the_run(tmp_path, hanging_nlp):
    corpus = _timeout_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    old = signal.getsignal(signal.SIGALRM)
    t0 = time.perf_counter()
    summary = run_extract(corpus, out, None, settings=ExtractSettings(doc_seconds=0.5))
    assert time.perf_counter() - t0 < 30
    assert signal.getsignal(signal.SIGALRM) == old and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    _check_timeouts(pd.read_parquet(out / "errors"), pd.read_parquet(out / "documents"))
    assert summary.stats.failed_files == 4


def test_time_limit_outside_the_main_thread(tmp_path, hanging_nlp):
    """Dask runs tasks in threads, where there is no SIGALRM: a watchdog thread raises the timeout there.
    It cannot interrupt one long blocking call (the sleeping document), so that case is left out here."""
    corpus = _timeout_corpus(tmp_path / "corpus", blocking=False)
    out = tmp_path / "out"
    files = scan_corpus(corpus)
    result: list = []
    settings = ExtractSettings(doc_seconds=0.5)
    worker = threading.Thread(target=lambda: result.append(extract_batch(files, str(out), None, settings)))
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and result, "the batch hung or raised"
    _check_timeouts(pd.read_parquet(out / "errors"), pd.read_parquet(out / "documents"), blocking=False)


def test_deadline_leaves_fast_code_alone_and_stops_slow_code():
    with Deadline(5) as d:
        for _ in range(3):
            sum(range(1000))
            d.restart()
    assert not d.expired
    with pytest.raises(DocumentTimeout):
        with Deadline(0.2):
            time.sleep(5)
    with Deadline(0):  # 0 turns the limit off
        time.sleep(0.01)
    assert Deadline(0.5).message == "took longer than the 0.5 s limit per document"


# ---------------------------------------------------------------- failures inside the pipeline

BREAK = "BREAK-THE-PIPELINE"
UNWRITABLE = "UNWRITABLE-METADATA"


@Language.component("robustness_break")
def _break(doc):
    if BREAK in doc.text:
        raise ValueError("component failed on this document")
    if UNWRITABLE in doc.text:
        doc._.meeting = {"council": "Bad \udcff council"}  # a lone surrogate: Parquet refuses the string
    return doc


def test_pipeline_and_writer_failures_are_per_document(tmp_path, monkeypatch):
    from pipeline.nlp import load_nlp

    nlp = load_nlp(None)
    nlp.add_pipe("robustness_break", after="minutes_sections")
    monkeypatch.setattr(nlp_module, "cached_nlp", lambda model: nlp)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SEED, encoding="utf-8")
    (corpus / "b.txt").write_text(f"Cabinet minutes. {BREAK}\n", encoding="utf-8")
    (corpus / "c.txt").write_text(f"Cabinet minutes. {UNWRITABLE}\n", encoding="utf-8")
    (corpus / "d.txt").write_text(SEED + "\nanother good one\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_extract(corpus, out, None)
    errors = pd.read_parquet(out / "errors").set_index("source_path")
    assert sorted(errors.index) == ["b.txt", "c.txt"]
    assert errors.loc["b.txt", "stage"] == "nlp" and "component failed" in errors.loc["b.txt", "message"]
    assert errors.loc["b.txt", "part"] == 0
    assert (
        errors.loc["c.txt", "stage"] == "write"
        and "documents table cannot be written" in errors.loc["c.txt", "message"]
    )
    tables = read_tables(out)
    assert sorted(tables["documents"].source_path) == ["a.txt", "d.txt"]
    assert summary.stats.failed_files == 2


# ---------------------------------------------------------------- memory


@pytest.mark.slow
def test_memory_bounded_on_the_largest_inputs(tmp_path):
    """A 50 MiB file (refused from its size), a 49.9 MB one-line file that is read and refused by max_chars,
    5 MB and 1.5 MB single lines: the run's peak RSS grows by far less than spaCy would need for them."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "line_5mb.txt").write_bytes(INPUTS["line_5mb.txt"][0])
    (corpus / "line_1_5mb.txt").write_bytes(INPUTS["line_1_5mb.txt"][0])
    with open(corpus / "near_limit.txt", "wb") as fh:
        fh.write((PARA.strip() + " ").encode() * (49_900_000 // len(PARA)))
    with open(corpus / BIG_NAME, "wb") as fh:
        fh.write(PARA.encode() * (52_500_000 // len(PARA)))
    (corpus / "good.txt").write_text(SEED, encoding="utf-8")
    code = (
        "import resource, sys\n"
        "from pipeline.nlp import cached_nlp\nfrom pipeline.engine import run_extract\n"
        "cached_nlp(None)\nbase = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "s = run_extract(sys.argv[1], sys.argv[2], None)\n"
        "print('RSS', base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, s.stats.documents)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(corpus), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    base_kib, peak_kib, documents = map(int, proc.stdout.split("RSS")[-1].split())
    assert documents == 1
    errors = pd.read_parquet(tmp_path / "out" / "errors").set_index("source_path")
    assert sorted(errors.index) == sorted([BIG_NAME, "line_1_5mb.txt", "line_5mb.txt", "near_limit.txt"])
    assert (errors.stage == "limit").all()
    # 49.9 MB of text is ~50 MB as bytes and ~50 MB as str; allow several copies, not a Doc of it
    assert peak_kib - base_kib < 600_000, f"peak RSS grew by {(peak_kib - base_kib) / 1024:.0f} MiB"


def test_unreadable_file_inside_corpus_is_one_read_error(tmp_path, monkeypatch):
    """As root nothing in a tmp folder is unreadable, so the read itself is made to fail (EIO)."""
    import errno

    import pipeline.ingest.scan as scan

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fine.txt").write_text("Kent County Council\n\nCabinet\n")
    (corpus / "bad.txt").write_text("anything")
    real = scan.sha256_file

    def failing(path, *a, **k):
        if path.endswith("bad.txt"):
            raise OSError(errno.EIO, "Input/output error")
        return real(path, *a, **k)

    monkeypatch.setattr(scan, "sha256_file", failing)
    files = {f.source_path: f for f in scan.scan_corpus(corpus)}
    assert files["fine.txt"].sha256 and files["bad.txt"].sha256 is None
    assert "Input/output error" in files["bad.txt"].read_error
