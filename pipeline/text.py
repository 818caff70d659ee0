"""Plain-text helpers shared by the spaCy components and the table export (no spaCy, no pipeline imports).

`sentence_bounds` finds the sentence or line around a span; `minutes_normalise` uses it for metric
attributes and `pipeline.export.rows` for the `sentence` column, so both see the same boundaries.
"""

from __future__ import annotations

import re

# A sentence ends at ., !, ? or ; before whitespace, or at a line break (minutes are full of lists).
SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")
# How far either side of a span the search for its sentence boundaries looks.
MAX_SENTENCE_REACH = 600


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence or line around [start, end): minutes are full of lists, so a line break also ends one."""
    left = start
    for boundary in SENTENCE_END.finditer(text, max(0, start - MAX_SENTENCE_REACH), start):
        left = boundary.end()
    if left == start and start > MAX_SENTENCE_REACH:
        left = start - MAX_SENTENCE_REACH
    boundary = SENTENCE_END.search(text, end)
    if boundary and boundary.group() != "\n":
        right = boundary.end()
    else:
        right = boundary.start() if boundary else len(text)
    right = min(right, end + MAX_SENTENCE_REACH)
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the line or lines holding [start, end), without the line breaks."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, (len(text) if right == -1 else right)


# a list marker or item number before the first tab of a line ("·\t", "a)\t", "4.3\t", "(ii)\t") opens no cell
LINE_MARKER = re.compile(r"[\s·•\-*\u2022\u00b7]*(?:\(?[ivx]+[.)]|\(?[a-z][.)]|\(?\d+(?:\.\d+)*[.)]?)?[\s.]*")
CELL_BREAKS = "|\t"


def cell_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the table cell holding [start, end): its line cut at `|` and tabs. A tab after a list
    marker only indents the line, and a line without separators is one cell."""
    line_start, line_end = line_bounds(text, start, end)
    left = max(text.rfind(mark, line_start, start) for mark in CELL_BREAKS) + 1
    if left and LINE_MARKER.fullmatch(text, line_start, left - 1):
        left = 0
    rights = [i for i in (text.find(mark, end, line_end) for mark in CELL_BREAKS) if i != -1]
    return max(left, line_start), min(rights, default=line_end)


# doc.user_data key of a Doc's text, kept by `doc_text`
DOC_TEXT_KEY = "minutes.text"


def doc_text(doc) -> str:
    """`doc.text`, built once per Doc: spaCy rebuilds it from the tokens on every access (about 1 ms for a
    2,500-token page, and the components read it many times), while a Doc's text never changes. The kept
    copy is trusted only while its length is the Doc's (`Span.as_doc(copy_user_data=True)` copies it)."""
    text = doc.user_data.get(DOC_TEXT_KEY)
    if text is None or not _same_length(doc, text):
        text = doc.text
        doc.user_data[DOC_TEXT_KEY] = text
    return text


def _same_length(doc, text: str) -> bool:
    if not len(doc):
        return text == ""
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text)
