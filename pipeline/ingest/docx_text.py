"""Word .docx -> text: body paragraphs and tables in document order (rows as lines, cells joined by a tab).

The zip is inspected before python-docx opens it, so a zip bomb is refused from its directory alone.
python-docx parses the XML with entity resolution off. Headers, footers, footnotes and text boxes are left
out: they are page furniture or asides, not the minutes' running text.
"""

from __future__ import annotations

import io
import zipfile

from .core import IngestError
from .encoding import clean_text

MAX_UNCOMPRESSED = 200_000_000
MAX_RATIO = 100
MAX_ENTRIES = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(data: bytes) -> None:
    """Refuse a broken zip or a zip bomb before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception as exc:  # BadZipFile, truncation, unsupported zip versions (NotImplementedError), …
        raise IngestError("parse", f"not a valid .docx: the file is not a readable zip archive ({exc})") from None
    if len(infos) > MAX_ENTRIES:
        raise IngestError("limit", f"zip archive has {len(infos):,} entries, over the {MAX_ENTRIES:,} limit")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise IngestError(
            "limit",
            f"zip archive unpacks to {total / 1e6:.1f} MB, over the {MAX_UNCOMPRESSED / 1e6:g} MB limit (zip bomb?)",
        )
    if total and total / max(packed, 1) > MAX_RATIO:
        raise IngestError(
            "limit", f"zip archive compression ratio is {total / max(packed, 1):.0f}:1, over {MAX_RATIO}:1 (zip bomb?)"
        )


def _paragraph_text(p, parent) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(p, parent).text


def _cell_text(tc, parent) -> str:
    # a cell's paragraphs (and nested tables) on one line, so each table row stays one line
    parts = [line for line in _block_lines(tc, parent) if line.strip()]
    return " ".join(" ".join(parts).split("\n"))


def _table_lines(tbl, parent) -> list[str]:
    lines = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells = [_cell_text(tc, parent) for tc in tr.iterchildren(f"{_W}tc")]
        lines.append("\t".join(cells).rstrip("\t"))
    return lines


def _block_lines(element, parent) -> list[str]:
    """Lines of w:p and w:tbl children in order; content controls (w:sdt) are looked into."""
    lines: list[str] = []
    for child in element.iterchildren():
        if child.tag == f"{_W}p":
            lines.append(_paragraph_text(child, parent))
        elif child.tag == f"{_W}tbl":
            lines.extend(_table_lines(child, parent))
        elif child.tag == f"{_W}sdt":
            for content in child.iterchildren(f"{_W}sdtContent"):
                lines.extend(_block_lines(content, parent))
    return lines


def docx_to_text(data: bytes) -> str:
    check_zip(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = _block_lines(document.element.body, document)
    except IngestError:
        raise
    except Exception as exc:  # missing parts, bad XML, wrong content type
        raise IngestError("parse", f"not a readable Word document ({type(exc).__name__}: {exc})") from exc
    return clean_text("\n".join(lines))
