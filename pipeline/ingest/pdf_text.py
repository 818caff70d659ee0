"""PDF -> text from the text layer (pypdf), page by page, without the running headers and footers.

A line is a running header/footer when, after normalising digits and spaces ("Page 3 of 7" == "Page 4 of 7"),
it sits among the first or last 3 lines of at least 60% of the pages, with at least 3 pages. Pages are
joined by a blank line; words hyphenated at a line end ("safe-\\nguarding") are re-joined when the next line
starts in lower case, also across a page break.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from .core import IngestError
from .encoding import clean_text

EDGE_LINES = 3  # how many lines at the top and bottom of a page may be header/footer
REPEAT_SHARE = 0.6
MIN_PAGES = 3

_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])(?:-|\u00ad)[ \t]*\n[ \t]*(?=[a-z])")


def _key(line: str) -> str | None:
    s = " ".join(line.split())
    return re.sub(r"\d+", "#", s).casefold() if s else None


def _edges(lines: list[str]) -> list[int]:
    """Indices of the first and last EDGE_LINES non-empty lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def strip_running_lines(pages: list[str]) -> list[str]:
    """Remove header/footer lines that repeat on most pages (only from the page edges)."""
    page_lines = [p.split("\n") for p in pages]
    live = [i for i, p in enumerate(pages) if p.strip()]
    if len(live) < MIN_PAGES:
        return pages
    counts: Counter[str] = Counter()
    for i in live:
        counts.update({_key(page_lines[i][j]) for j in _edges(page_lines[i])})
    repeated = {k for k, c in counts.items() if k and c >= REPEAT_SHARE * len(live)}
    if not repeated:
        return pages
    out = []
    for lines in page_lines:
        drop = {j for j in _edges(lines) if _key(lines[j]) in repeated}
        out.append("\n".join(line for j, line in enumerate(lines) if j not in drop))
    return out


def join_pages(pages: list[str]) -> str:
    text = ""
    for page in pages:
        page = page.strip("\n")
        if not page.strip():
            continue
        if text and re.search(r"[^\W\d_](?:-|\u00ad)[ \t]*$", text) and page.lstrip()[:1].islower():
            text = re.sub(r"(?:-|\u00ad)[ \t]*$", "", text) + page.lstrip()  # word hyphenated over a page break
        else:
            text = f"{text}\n\n{page}" if text else page
    return _HYPHEN_BREAK.sub("", text)


def pdf_to_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    if b"%PDF-" not in data[:1024]:
        raise IngestError("parse", "not a PDF: the file has no %PDF header")
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise IngestError("parse", f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    if encrypted:
        try:
            opened = reader.decrypt("")  # many "protected" PDFs only restrict printing/copying
        except DependencyError as exc:
            raise IngestError("parse", f"encrypted PDF that needs an extra package to decrypt ({exc})") from exc
        except Exception as exc:
            raise IngestError(
                "parse", f"encrypted PDF that could not be decrypted ({type(exc).__name__}: {exc})"
            ) from exc
        if not opened:
            raise IngestError("parse", "encrypted PDF: it needs a password to open")
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise IngestError("parse", f"corrupt PDF: its pages cannot be read ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise IngestError("parse", "corrupt PDF: it has no pages")
    texts: list[str] = []
    failures: list[Exception] = []
    for page in pages:
        try:
            texts.append(clean_text(page.extract_text() or ""))
        except Exception as exc:  # one damaged page should not lose the others
            failures.append(exc)
            texts.append("")
    if not any(t.strip() for t in texts):
        if failures:
            first = failures[0]
            raise IngestError("parse", f"corrupt PDF: no page could be read ({type(first).__name__}: {first})")
        raise IngestError("parse", "PDF has no text layer (scanned image?)")
    return join_pages(strip_running_lines(texts))
