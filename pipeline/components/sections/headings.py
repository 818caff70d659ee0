"""Heading heuristics: plain text lines that read as headings, for layouts with no heading markup.

Briefing notes (no numbered items at all): plain lines are item headings when conservative: the line
starts at column 0 with a capital letter, has at most ``max_heading_words`` (12) words, no colon, no
final punctuation; a blank line before and after it; the previous non-blank line does not end with
``:`` (a list follows a colon) nor contain the line (a link caption such as "Child Health Profile June
2015" after "See below link to the Child Health Profile June 2015."); and the next non-blank line is a
sentence: starts with a letter, has at least ``min_body_words`` (6) words and ends with ``.``, ``:``,
``?`` or ``!``. Before the first heading, header lines are skipped. The same test finds plain-line
sub-headings inside items (e.g. "Care Leavers Christmas Gifts" under "Any Other Business").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SplitSettings:
    """Switches and limits of the splitter (the `minutes_sections` config); the word limits are the
    heading heuristics' own."""

    plain_headings: bool = True
    subheadings: bool = True
    max_heading_words: int = 12
    min_body_words: int = 6


class Lines:
    """Line offsets of a text, for the heading heuristics."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def __len__(self) -> int:
        return len(self.starts)

    def bounds(self, i: int) -> tuple[int, int]:
        s = self.starts[i]
        e = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
        return s, e

    def line(self, i: int) -> str:
        s, e = self.bounds(i)
        return self.text[s:e]

    def index_at(self, pos: int) -> int:
        """Index of the first line starting at or after pos."""
        return bisect.bisect_left(self.starts, pos)

    def blank(self, i: int) -> bool:
        return not (0 <= i < len(self.starts)) or not self.line(i).strip()

    def prev_nonblank_index(self, i: int) -> int | None:
        for j in range(i - 1, -1, -1):
            if self.line(j).strip():
                return j
        return None

    def next_nonblank(self, i: int) -> str | None:
        for j in range(i + 1, len(self.starts)):
            if self.line(j).strip():
                return self.line(j).strip()
        return None


_HEADING_BAD_END = tuple(".,;:!?-–—")
_SENTENCE_END = tuple(".:?!")


def heading_text_ok(line: str, settings: SplitSettings) -> bool:
    return (
        bool(line)
        and line[0].isupper()
        and len(line) <= 100
        and len(line.split()) <= settings.max_heading_words
        and ":" not in line
        and not line.endswith(_HEADING_BAD_END)
    )


def sentence_ok(line: str | None, settings: SplitSettings) -> bool:
    if not line or not (line[0].isalpha() or line[0] in "'\"‘“"):
        return False
    return len(line.split()) >= settings.min_body_words and line.rstrip("'\"’”)").endswith(_SENTENCE_END)


def plain_headings(
    text: str,
    start: int,
    end: int,
    settings: SplitSettings,
    skip_until_first: Iterable[int] = (),
    lines: Lines | None = None,
) -> list[tuple[int, int, str]]:
    """Plain-line headings (start, end, title) of lines starting in [start, end); see the module docstring.

    Lines starting at an offset in `skip_until_first` (header lines) are passed over until a first
    heading has been accepted.
    """
    lines = lines or Lines(text)
    skip = set(skip_until_first)
    out: list[tuple[int, int, str]] = []
    for i in range(lines.index_at(start), len(lines)):
        s, e = lines.bounds(i)
        if s >= end:
            break
        raw = text[s:e]
        if not raw or raw[0].isspace():
            continue
        line = raw.strip()
        if not heading_text_ok(line, settings):
            continue
        if not out and s in skip:
            continue
        if not lines.blank(i - 1) or i + 1 >= len(lines) or not lines.blank(i + 1):
            continue
        j = lines.prev_nonblank_index(i)
        if j is not None:
            prev = lines.line(j).strip()
            if prev.endswith(":") or line.lower() in prev.lower():
                continue  # a list item after "...:" or a link caption announced by the paragraph above
            isolated_above = lines.blank(j - 1) and lines.blank(j + 1) and heading_text_ok(prev, settings)
            if isolated_above and j >= lines.index_at(start):
                # right under another isolated short line: a data line ("Caseloads" / "Average caseload – 17")
                continue
        if not sentence_ok(lines.next_nonblank(i), settings):
            continue
        out.append((s, s + len(raw.rstrip()), line))
    return out
