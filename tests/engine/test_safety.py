"""Safety: corpus files are data, never code; parsing fetches nothing and expands no external entity; no output
path escapes --out; a model is loaded only from the configured folder.

Network attempts are caught two ways: Python-level connects are refused by a monkeypatched socket.connect,
and every URL in the inputs points at a local listener, which also sees any fetch made from C (libxml2).
"""

from __future__ import annotations

import io
import os
import pickle
import socket
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.engine import run_extract
from pipeline.export.writer import DatasetWriter
from tests.helpers import SEED_PATHS, read_tables

SEED = SEED_PATHS[0].read_text(encoding="utf-8")
SECRET = "TOP-SECRET-7d3f1c"
pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")  # xxe.html opens with <?xml


class Listener:
    """A local TCP server that records every connection made to it."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.5)
                try:
                    self.hits.append(conn.recv(1024) or b"<connected>")
                except OSError:
                    self.hits.append(b"<connected>")

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def no_network(monkeypatch):
    listener = Listener()
    attempts: list = []
    real_connect = socket.socket.connect

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network access attempted during extraction")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    yield listener, attempts
    monkeypatch.setattr(socket.socket, "connect", real_connect)
    listener.close()


def hostile_docx(url: str, secret_path: Path) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("PLACEHOLDER")
    d.add_paragraph("Item 1: the committee met.")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                decl_end = text.index("?>") + 2
                doctype = (
                    f'<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file://{secret_path}">'
                    f'<!ENTITY remote SYSTEM "{url}/docx-entity">]>'
                )
                text = text[:decl_end] + doctype + text[decl_end:]
                data = text.replace("PLACEHOLDER", "Before &secret; middle &remote; after").encode("utf-8")
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    (
                        '<Relationship Id="rIdX" '
                        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                        f'Target="{url}/docx-image.png" TargetMode="External"/></Relationships>'
                    ).encode(),
                )
            zf.writestr(item, data)
    return out.getvalue()


class Boom:
    """Unpickling this creates the sentinel file."""

    def __init__(self, sentinel: str):
        self.sentinel = sentinel

    def __reduce__(self):
        return (Path.touch, (Path(self.sentinel),))


def test_corpus_is_never_fetched_executed_or_unpickled(tmp_path, no_network, monkeypatch):
    listener, attempts = no_network
    url = f"http://127.0.0.1:{listener.port}"
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    sentinel = tmp_path / "EXECUTED"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    entities = f'<!ENTITY secret SYSTEM "file://{secret}"><!ENTITY remote SYSTEM "{url}/entity">'
    (corpus / "xxe.html").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE html [{entities}]>\n<html><head>'
        f'<link rel="stylesheet" href="{url}/style.css"><script src="{url}/app.js"></script>'
        f'<meta http-equiv="refresh" content="0; url={url}/refresh"><base href="{url}/"></head><body>'
        f'<p>Cabinet minutes. Before &secret; middle &remote; after</p><img src="{url}/img.png">'
        f'<iframe src="{url}/frame"></iframe><object data="{url}/obj"></object>'
        f'<svg><image href="{url}/svg.png"/></svg></body></html>',
        encoding="utf-8",
    )
    (corpus / "xxe.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE minutes [{entities}]>\n<minutes>Cabinet &secret; &remote;</minutes>\n',
        encoding="utf-8",
    )
    (corpus / "xxe.docx").write_bytes(hostile_docx(url, secret))
    payload = pickle.dumps(Boom(str(sentinel)))
    (corpus / "evil.pkl").write_bytes(payload)
    (corpus / "evil.txt").write_bytes(payload)
    code = f"from pathlib import Path\nPath({str(sentinel)!r}).touch()\n"
    (corpus / "evil.py").write_text(code)
    (corpus / "__init__.py").write_text(code)
    (corpus / "evil.html").write_text(f"<html><body><p>Minutes</p><script>{code}</script></body></html>")

    loads: list = []
    for name in ("loads", "load"):
        real = getattr(pickle, name)
        monkeypatch.setattr(
            pickle, name, lambda data, *a, _real=real, **k: (loads.append(data), _real(data, *a, **k))[1]
        )

    out = tmp_path / "out"
    run_extract(corpus, out, None)
    tables = read_tables(out)

    assert not sentinel.exists(), "corpus content was executed or unpickled"
    assert not any(payload == (d if isinstance(d, bytes) else b"") for d in loads)
    assert attempts == [], f"network access attempted: {attempts}"
    assert listener.hits == [], f"a URL from the corpus was fetched: {listener.hits}"
    everything = pd.concat([df.astype(str) for df in tables.values() if len(df)], ignore_index=True)
    assert not everything.apply(lambda col: col.str.contains(SECRET, regex=False)).any().any(), (
        "external entity expanded"
    )
    docs = tables["documents"].set_index("source_path")
    assert "Cabinet minutes. Before" in docs.loc["xxe.html", "text"]
    assert "Item 1: the committee met." in docs.loc["xxe.docx", "text"] if "xxe.docx" in docs.index else True
    errors = tables["errors"].set_index("source_path")
    assert "xxe.docx" in docs.index or errors.loc["xxe.docx", "stage"] == "parse"


def test_no_output_path_escapes_out(tmp_path):
    corpus = tmp_path / "corpus"
    sub = corpus / ".." / "corpus" / "sub"
    sub.mkdir(parents=True)
    names = ["up..\\..\\escape.txt", "a\nb\n..txt", "ünïcødé ✓.txt", "%2e%2e%2fescape.txt", "~", "-rf", " .txt", "CON"]
    for i, name in enumerate(names):
        (sub / name).write_text(SEED + f"\nvariant {i}\n", encoding="utf-8")
    (sub / "..\\..\\hidden.txt").write_text(SEED + "\nhidden\n", encoding="utf-8")  # leading dot: skipped
    with open(os.path.join(os.fsencode(sub), b"bad\xff.txt"), "wb") as fh:
        fh.write(b"not valid \xff UTF-8 name\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, corpus / "link-to-outside")  # a linked folder is not followed
    (outside / "not-in-corpus.txt").write_text(SEED)
    before = sorted(p for p in tmp_path.rglob("*"))
    out = tmp_path / "out"
    run_extract(corpus, out, None)
    after = sorted(p for p in tmp_path.rglob("*") if out not in p.parents and p != out)
    assert after == before, "files were written outside --out"
    root = out.resolve()
    for dirpath, dirnames, filenames in os.walk(out):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            assert not path.is_symlink()
            assert root in path.resolve().parents, path
            assert name.startswith(("part-", "_state", "done", ".")) or name.endswith(".json") or path.parent == out, (
                name
            )
    docs = pd.read_parquet(out / "documents")
    assert sorted(docs.source_path) == sorted([f"sub/{n}" for n in names] + ["sub/bad\\xff.txt"])


def test_writer_refuses_unsafe_part_keys(tmp_path):
    writer = DatasetWriter(tmp_path / "out")
    for key in ("../escape", "a/b", "", "..", "x\n", "a\\b", "/abs", "a.b"):
        with pytest.raises(ValueError):
            writer.part_path("entities", key)
        with pytest.raises(ValueError):
            writer.marker_path(key)


# ---------------------------------------------------------------- models


@pytest.fixture
def spy_loads(monkeypatch):
    import spacy
    import spacy.util

    calls: list = []

    def forbidden(name, *a, **k):
        calls.append(name)
        raise AssertionError(f"tried to load a model by name or URL: {name!r}")

    for mod, attr in ((spacy.util, "load_model_from_package"), (spacy.util, "get_package_path")):
        monkeypatch.setattr(mod, attr, forbidden)
    real_load = spacy.load
    monkeypatch.setattr(spacy, "load", lambda name, *a, **k: (calls.append(name), real_load(name, *a, **k))[1])
    return calls


@pytest.mark.parametrize(
    "name", ["en_core_web_sm", "https://example.invalid/model.tar.gz", "models/none-such", "blank:en"]
)
def test_missing_model_path_falls_back_to_rules_only(tmp_path, monkeypatch, spy_loads, no_network, name):
    from pipeline.nlp import load_nlp, model_version

    monkeypatch.chdir(tmp_path)
    nlp = load_nlp(name)
    assert model_version(nlp) == "rules-only" and "minutes_sections" in nlp.pipe_names
    assert spy_loads == [] and no_network[1] == [] and no_network[0].hits == []


def test_model_loaded_from_its_folder_only(tmp_path, monkeypatch, spy_loads):
    from pipeline.nlp import load_nlp
    from pipeline.tokenizer import blank_nlp

    folder = tmp_path / "models" / "en_core_web_sm"  # a folder named like a package is still a folder
    folder.parent.mkdir(parents=True)
    blank_nlp().to_disk(folder)
    monkeypatch.chdir(tmp_path)
    nlp = load_nlp(Path("models/en_core_web_sm"))
    assert [Path(c) for c in spy_loads] == [Path("models/en_core_web_sm")] and all(
        isinstance(c, Path) for c in spy_loads
    )
    assert "minutes_sections" in nlp.pipe_names


def test_cli_with_a_package_name_is_refused_not_loaded(tmp_path, monkeypatch, spy_loads):
    """--model names a folder: a package name that is no folder here is a missing model, never loaded by name."""
    from pipeline.cli import app
    from pipeline.errors import ExitCode

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "m.txt").write_text(SEED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["extract", str(corpus), "--out", str(tmp_path / "out"), "--model", "en_core_web_sm"]
    )
    assert result.exit_code == ExitCode.MODEL, result.output
    assert "no trained model at en_core_web_sm (--model)" in result.output
    assert spy_loads == [] and not (tmp_path / "out").exists()
    rules = CliRunner().invoke(app, ["extract", str(corpus), "--out", str(tmp_path / "out"), "--rules-only"])
    assert rules.exit_code == 0, rules.output
    assert spy_loads == []
    assert set(pd.read_parquet(tmp_path / "out" / "documents").model_version) == {"rules-only"}
