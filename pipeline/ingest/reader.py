"""read_documents: one file -> its documents, or an IngestError that says why not."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .core import IngestError, SourceDocument
from .docx_text import docx_to_text
from .encoding import decode_text
from .html_text import decode_html, html_to_text
from .pdf_text import pdf_to_text
from .sniff import sniff_format
from .split import split_documents

_NO_TEXT = {
    "html": "HTML page has no visible text",
    "pdf": "PDF has no text once repeated page headers and footers are removed",
    "docx": "Word document has no text",
}


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IngestError("read", "is a folder, not a file")
        if size > max_bytes:  # refuse before reading it into memory
            raise IngestError("limit", f"file is {_mb(size)}, over the {max_bytes / 1e6:g} MB limit")
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may grow between stat and read
    except OSError as exc:
        raise IngestError("read", f"cannot read the file ({type(exc).__name__}: {exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise IngestError("limit", f"file is over the {max_bytes / 1e6:g} MB limit")
    return data


def to_text(data: bytes, fmt: str) -> tuple[str, str | None]:
    """The whole file's text in a known format, and its encoding (text formats only)."""
    if fmt == "txt":
        return decode_text(data)
    if fmt == "html":
        markup, encoding = decode_html(data)
        return html_to_text(markup), encoding
    if fmt == "pdf":
        return pdf_to_text(data), None
    if fmt == "docx":
        return docx_to_text(data), None
    raise IngestError("detect", f"unsupported format {fmt!r}")


def read_documents(
    path: str | Path, *, max_bytes: int = 50_000_000, max_chars: int = 2_000_000
) -> list[SourceDocument]:
    """Read a file, detect its format from its bytes, convert it to text and split it into documents."""
    path_str = os.fspath(path)
    p = Path(path_str)
    data = _read_bytes(p, max_bytes)
    if not data.strip():
        raise IngestError("read", "empty file")
    sha = hashlib.sha256(data).hexdigest()
    fmt = sniff_format(data, p.suffix)
    text, encoding = to_text(data, fmt)
    if not text.strip():
        if fmt == "txt":
            raise IngestError("read", "empty file")
        raise IngestError("parse", _NO_TEXT[fmt])
    try:
        ranges = split_documents(text)
    except Exception as exc:  # a splitter bug must not lose the file: report it under its stage
        raise IngestError("split", f"document splitting failed ({type(exc).__name__}: {exc})") from exc
    docs = []
    for part, (start, end) in enumerate(ranges):
        if end - start > max_chars:
            raise IngestError(
                "limit", f"document {part} is {end - start:,} characters long, over the {max_chars:,} character limit"
            )
        docs.append(SourceDocument(path_str, part, sha, fmt, encoding, text[start:end]))
    return docs
