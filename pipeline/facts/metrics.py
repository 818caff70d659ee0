"""Metric attributes from text around a METRIC mention: indicator, period, comparison.

Pure functions over the document text and entity offsets, so they are testable without a model.
The rules follow how minutes report figures (FORMATS.md, "Metrics"):

- list lines, the label first: `Re-referral rate 21.3%`, `Visits in Timescale – 92%`,
  `Rate of CLA per 10,000 – 85.0`, `Average caseload – 17 for all social workers`;
- the counted noun after the number: `152 cases were looked at`, `90% of primary schools`,
  `£1.2m overspend`, `2000 days of tick sheet studies`;
- a clause before it: `the number of children looked after had increased to 1,548`;
- a heading line above a bare figure: `Children Protection Plans` / `1194 (48.2 per 10,000)`.

Period: a DATE in the same sentence (preferring `as at`, `in`, `for`, `during`, `at`), else an
`As at <DATE>` that governs the lines after it in the same section, else the meeting date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import cell_bounds, line_bounds

_BULLET = re.compile(r"[\s·•\-\*\u2022\u00b7\t]*(?:\(?[ivx]+\)|\(?\d+\)|[a-z]\))?\s*")
_SEP_END = re.compile(r"\s*(?:[–—:=]|-(?=\s)|\(|,)\s*$")
_STOP = {
    "was",
    "were",
    "is",
    "are",
    "had",
    "has",
    "have",
    "been",
    "be",
    "would",
    "will",
    "could",
    "should",
    "which",
    "that",
    "who",
    "with",
    "and",
    "but",
    "or",
    "to",
    "in",
    "on",
    "at",
    "for",
    "from",
    "by",
    "since",
    "than",
    "compared",
    "against",
    "this",
    "these",
    "it",
    "they",
    "as",
    "there",
    "per",
    "the",
    "a",
    "an",
    "we",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "reduced",
    "rose",
    "fell",
    "between",
    "within",
    "across",
    "currently",
    "now",
    "overall",
    "respectively",
    "whilst",
    "while",
    "when",
    "where",
    "being",
    "above",
    "below",
}
_CLAUSE = re.compile(
    r"\b((?:the\s+)?(?:total\s+)?(?:number|numbers|rate|percentage|proportion|level|average|count)"
    r"\s+of\s+[\w'’\- ]{3,80}?)"
    r"\s+(?:had|has|have|was|were|is|are|stood|increased|decreased|rose|fell|reduced|grew|dropped)\b",
    re.I,
)
# a unit after the number ("29 days", "12 weeks") says how it is counted, not what is measured
_UNIT_WORDS = frozenset(
    "day days week weeks month months year years hour hours minute minutes working days per cent percent".split()
    + "points percentage points nights miles km tonnes population".split()
)
_PRONOUNS = frozenset("them whom these those which it they this".split())  # "612 of them": no measure named
_PERIOD_CUE = re.compile(r"\b(as\s+at|as\s+of|at|in|for|during|by|since|until|to|from)\s*$", re.I)
_GOVERNING = re.compile(r"^\s*(?:as\s+at|as\s+of|at)\s+$", re.I)
_WORD = re.compile(r"[\w'’\-/&]+|[^\w\s]")


@dataclass
class MetricAttributes:
    """What `metric_attributes` finds around one METRIC mention (offsets into the document text)."""

    indicator: str | None
    indicator_start: int | None
    indicator_end: int | None
    period_text: str | None
    compare_to: tuple[int, int] | None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "·•-–—:,;(*\t"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "–—:,;(=-"):
        e -= 1
    return s, e


def _following_noun_phrase(text: str, start: int, limit: int) -> tuple[int, int] | None:
    """Words after the figure up to a verb, preposition (bar 'of' inside) or punctuation."""
    pos = start
    m = re.match(r"\s*(?:of\s+|in\s+(?=the\s)|)(?:the\s+|all\s+)?", text[pos:limit], re.I)
    pos += m.end() if m else 0
    words_start, words_end, n = None, None, 0
    for w in _WORD.finditer(text, pos, limit):
        tok = w.group()
        low = tok.lower()
        if not (tok[0].isalnum() or tok[0] in "'’"):
            break
        next_word = _WORD.match(text, w.end() + 1) if low == "and" else None
        coordinated = next_word and next_word.group()[0].isalpha() and next_word.group().lower() not in _STOP
        if low in _STOP and not (low == "of" and n and n < 4) and not (coordinated and n):
            break  # "bridges and highway structures" goes on; "and the Council", "and 82.6% were" end it
        if tok[0].isdigit():
            break
        if words_start is None:
            words_start = w.start()
        words_end = w.end()
        n += 1
        if n >= 6:
            break
    if words_start is None:
        return None
    s, e = words_start, words_end
    # do not end on "of"
    while text[s:e].lower().endswith(" of"):
        e -= 3
    return (s, e) if e > s else None


_LEAD = re.compile(
    r"^(?:an?\s+|the\s+)?(?:(?:increase|reduction|decrease|rise|fall|drop|improvement)\s+in\s+|(?:total\s+)?number\s+of\s+)",
    re.I,
)
_TRAIL = re.compile(
    r"(?:\s+(?:to|at|of|was|is|were|are|stood at|by|from|currently)|\s*\(.*?\)|\s+per\s+[\d,]+.*)+$", re.I
)


def _clean_label(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim a label to the words that name the indicator: no lead-ins, parentheticals, rate bases or sub-labels."""
    s, e = _trim(text, s, e)
    seg = text[s:e]
    m = _LEAD.match(seg)
    if m and m.end() < len(seg):
        s += m.end()
    seg = text[s:e]
    dash = re.search(r"\s[–—-]\s", seg)
    if dash and dash.start() > 0:
        e = s + dash.start()
    seg = text[s:e]
    m = _TRAIL.search(seg)
    if m and m.start() > 0:
        e = s + m.start()
    return _trim(text, s, e)


_ADVERBIAL_OPENINGS = frozenset(
    "as at in by during since for on from between over across after before until of overall".split()
)


def _is_label(prefix: str) -> bool:
    """A list label before a figure ('Re-referral rate', 'Visits in Timescale –'), not running prose."""
    words = prefix.split()
    if not words or re.search(r"[.!?]\s", prefix):
        return False
    if prefix.rstrip().endswith(",") and words[0].casefold() in _ADVERBIAL_OPENINGS:
        return False  # "As at 30 June 2020, 92.4% of …", "In 2023, 41 …": a sentence opening, not a label
    if _SEP_END.search(prefix):
        return len(words) <= 12
    lowered = {w.lower() for w in words}
    return len(words) <= 6 and not (
        lowered & {"was", "were", "had", "has", "have", "reported", "said", "that", "is", "are"}
    )


def is_prose(text: str, start: int, end: int) -> bool:
    """The figure sits in running text, not on a label line ("Re-referral rate – 21%") or in a short table cell;
    a long cell of a table row ("| 26. | Highways Update | The Board received …") is running text."""
    cell_start, cell_end = cell_bounds(text, start, end)
    prefix_start = _BULLET.match(text, cell_start, start).end() if start > cell_start else start
    prefix = text[prefix_start:start]
    label = _is_label(prefix) and (_SEP_END.search(prefix) or not re.search(r"\d", prefix))
    return not label and len(text[cell_start:cell_end].split()) > 4


_SEPARATOR_ROW = re.compile(r"^[\s|:\-–—+]*$")


def _row_cells(text: str, line_start: int, line_end: int) -> list[tuple[int, int]] | None:
    """The cells of a table row, `| a | b |` or tab-separated (two separators at least), trimmed; None for a
    line that is no table row."""
    line = text[line_start:line_end]
    mark = "|" if line.count("|") >= 2 else "\t" if line.strip().count("\t") >= 2 else None
    if mark is None:
        return None
    cells, position = [], line_start
    for piece in line.split(mark):
        s, e = _trim(text, position, position + len(piece))
        cells.append((s, e))
        position += len(piece) + 1
    if mark == "|":  # "| a | b |": the empty edges are not cells
        cells = cells[1:] if not line[: line.find("|")].strip() else cells
        cells = cells[:-1] if not line[line.rfind("|") + 1 :].strip() else cells
    return cells


def table_position(text: str, start: int, end: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None] | None:
    """For a figure in a table cell: (the row's label cell, the column's header cell), either None when the
    table has none; None when the figure is in no table row or its cell is running text."""
    line_start, line_end = line_bounds(text, start, end)
    cells = _row_cells(text, line_start, line_end)
    if not cells:
        return None
    column = next((i for i, (s, e) in enumerate(cells) if s <= start and end <= e), None)
    if column is None or len(text[cells[column][0] : cells[column][1]].split()) > 6:
        return None
    label = cells[0] if column > 0 and re.search(r"[^\W\d_]{2}", text[cells[0][0] : cells[0][1]]) else None
    header = None
    above_end = line_start - 1
    while above_end > 0:  # the first row of the table block is its header
        above_start = text.rfind("\n", 0, above_end) + 1
        row = _row_cells(text, above_start, above_end)
        if row is None:
            break
        if not _SEPARATOR_ROW.match(text[above_start:above_end]) and len(row) == len(cells):
            header = row[column]
        above_end = above_start - 1
    return label, header


def find_indicator(
    text: str, start: int, end: int, sentence: tuple[int, int], headings: bool = True
) -> tuple[int, int] | None:
    """What the figure at [start, end) measures by the layout; `headings=False` for a figure in running text,
    whose measure is never a heading line above it."""
    line_start, line_end = line_bounds(text, start, end)
    # 1. the counted noun after the figure: "152 cases", "90% of primary schools", "£1.2m overspend"
    noun_phrase = _following_noun_phrase(text, end, line_end)
    words = text[noun_phrase[0] : noun_phrase[1]].casefold() if noun_phrase else ""
    if words and words not in _UNIT_WORDS and words.split()[0] not in _PRONOUNS:
        return noun_phrase
    # 2. a list label before the figure on its line
    prefix_start = _BULLET.match(text, line_start, start).end() if start > line_start else start
    prefix = text[prefix_start:start]
    if _is_label(prefix):
        segment = text[prefix_start:start]
        # a second figure on the line ("1194 (48.2 per 10,000), reduced from"): take what follows the first
        cut = max([m.end() for m in re.finditer(r"\d[^()]*\)|;", segment)], default=-1)
        label_start = prefix_start + cut if cut != -1 and cut < len(segment) - 2 else prefix_start
        s, e = _clean_label(text, label_start, start)
        if e > s and any(c.isalpha() for c in text[s:e]):
            return s, e
    # 3. a clause before the figure in the same sentence: "the number of children looked after had increased to"
    clause_start = max(sentence[0], line_start)
    best = None
    for m in _CLAUSE.finditer(text, clause_start, start):
        best = m.span(1)
    if best:
        return _clean_label(text, *best)
    # 4. a short heading line just above a bare figure
    prev_end = line_start - 1 if headings else 0
    while prev_end > 0:
        previous_start = text.rfind("\n", 0, prev_end) + 1
        line = text[previous_start:prev_end]
        if line.strip():
            if len(line.split()) <= 8 and not re.search(r"[.!?]\s*$", line.strip()):
                return _clean_label(text, previous_start, prev_end)
            break
        prev_end = previous_start - 1
    return None


_OWN_DATE_AFTER = re.compile(
    r"^\s*(?:%|per\s+cent)?\s*(?:\w+\s+)?(?:in|at|for|during|as\s+at|as\s+of|by|on)\s+(?:the\s+(?:end|start)\s+of\s+)?$",
    re.I,
)
_OWN_DATE_BEFORE = re.compile(r"^\s*[:=]\s*$")  # "(October 2021: 1,310)"
_HEADING_PERIOD_CUE = re.compile(
    r"(?:as\s+at|as\s+of|position\s+at|(?:to|at)\s+the\s+end\s+of|(?:at\s+)?end\s+of|data\s+to|up\s+to|to\s+date\s*\()\s*$",
    re.I,
)


def own_date(text: str, metric: tuple[int, int], dates: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The date written with the figure itself: "212 in 2021/22", "318 families at the end of December 2019",
    "(October 2021: 1,310)"."""
    start, end = metric
    for date in dates:
        if date[0] >= end and date[0] - end <= 40 and _OWN_DATE_AFTER.match(text[end : date[0]]):
            return date
        if date[1] <= start and _OWN_DATE_BEFORE.match(text[date[1] : start]):
            return date
    return None


def own_dates(text: str, metrics, dates: list[tuple[int, int]]) -> dict:
    """Each METRIC span's own date (`own_date`), or None."""
    return {metric: own_date(text, metric, dates) for metric in metrics}


def find_period(
    text: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    dates: list[tuple[int, int]],
    section: tuple[int, int] | None,
    metrics: list[tuple[int, int]] | dict = (),
) -> str | None:
    """Text of the DATE that the figure refers to, or None (the caller falls back to the meeting date).
    `metrics`: the document's METRIC spans, or their `own_dates` (computed once per document by the caller).

    The figure's own date first ("212 in 2021/22"); then the nearest date of its sentence that is not another
    figure's own date ("By the end of December 2019 … 318 families, up from 264 in June 2019": December for
    318); then a date that governs the section ("As at 31 March", a heading "position at end of December").
    """
    # the figure a change starts from ("reduced from 1296 since September 2019") is the one at that date
    baseline = re.search(r"\bfrom\s+(?:around\s+|about\s+)?$", text[max(0, start - 20) : start], re.I)
    with_cue = (lambda _text, s, e: _text[s:e]) if baseline else _with_range_cue
    own = metrics if isinstance(metrics, dict) else own_dates(text, metrics, dates)
    mine = own[(start, end)] if (start, end) in own else own_date(text, (start, end), dates)
    if mine:
        return with_cue(text, *mine)
    others = {date for other, date in own.items() if other != (start, end)} - {None}
    sentence_start, sentence_end = sentence
    line_start, line_end = line_bounds(text, start, end)
    lo, hi = min(sentence_start, line_start), max(sentence_end, line_end)
    if line_start <= sentence_start and sentence_end <= line_end:
        lo, hi = sentence_start, sentence_end  # one sentence of several on a line: the others' dates are theirs
    near = [(ds, de) for ds, de in dates if lo <= ds and de <= hi and (ds, de) not in others]
    if near:

        def rank(date):
            cue = _PERIOD_CUE.search(text[max(lo, date[0] - 12) : date[0]])
            return (0 if cue else 1, abs(date[0] - start))

        return with_cue(text, *min(near, key=rank))
    # every date of the sentence is another figure's: the figure just before this one in it, whose words this
    # one goes on with ("… to 96 in 2016/17, a rate per 100,000 of 412"), shares its date
    before = [(other, date) for other, date in own.items() if date and lo <= other[0] and other[1] <= start]
    if before and not baseline:
        return text[slice(*max(before)[1])]
    # a governing "As at <DATE>" earlier in the section, or a heading "position at end of <DATE>"
    section_start = section[0] if section else max(0, start - 3000)
    above = line_start
    for _ in range(3):  # a heading just above the figure may sit in the section before (the splitter's header)
        above = text.rfind("\n", 0, max(0, above - 1)) + 1
    section_start = min(section_start, above)
    governing = None
    for date_start, date_end in dates:
        if section_start <= date_start < start and (date_start, date_end) not in others:
            before = text[text.rfind("\n", 0, date_start) + 1 : date_start]
            heading = date_start < line_start and len(text[date_start : text.find("\n", date_start)].split()) < 12
            if _GOVERNING.match(before) or (heading and _HEADING_PERIOD_CUE.search(before)):
                governing = (date_start, date_end)
    if governing:
        return text[governing[0] : governing[1]]
    return None


# words before a DATE that make a range of it (read by `pipeline.normalise.dates.normalise_period`)
_RANGE_CUE = re.compile(
    r"\b(?:since|between(?:\s+[^,;.\n]{2,30}?\s+and)?"
    r"|(?:the\s+)?(?:first|second|last)\s+(?:half|quarter|(?:two|three)\s+quarters|(?:six|nine)\s+months)\s+of"
    r"|(?:the\s+)?(?:year|twelve\s+months|12\s+months)\s+(?:to|ending)(?:\s+the\s+end\s+of)?)\s+(?:the\s+)?$",
    re.I,
)


def _with_range_cue(text: str, date_start: int, date_end: int) -> str:
    """The DATE's text with the words before it that make a range of it: "since January 2024" (to the
    meeting), "between October and December 2023", "the first half of 2019/20", "the year to September 2021"."""
    cue = _RANGE_CUE.search(text, max(0, date_start - 48), date_start)
    return text[cue.start() if cue else date_start : date_end]


def find_comparisons(text: str, metrics: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """`from A to B`: B compares to A; `B …, reduced from A`: B compares to A."""
    out = {}
    ordered = sorted(metrics)
    for position, (start, end) in enumerate(ordered):
        before = text[max(0, start - 12) : start].lower()
        if not re.search(r"\bfrom\s+(?:around\s+|about\s+|approximately\s+)?$", before):
            continue
        following = ordered[position + 1] if position + 1 < len(ordered) else None
        if following and re.match(
            r"^\s*(?:%|per cent)?\s*(?:to|down to|up to)\s+(?:around\s+|about\s+|approximately\s+)?(?:the\s+)?$",
            text[end : following[0]],
            re.I,
        ):
            out[following] = (start, end)
            continue
        preceding = ordered[position - 1] if position > 0 else None
        if preceding and "\n" not in text[preceding[1] : start] and len(text[preceding[1] : start]) < 120:
            out[preceding] = (start, end)
    return out


def metric_attributes(
    text: str,
    metric: tuple[int, int],
    sentence: tuple[int, int],
    dates: list[tuple[int, int]],
    section: tuple[int, int] | None,
    comparisons: dict,
    parsed_indicator: tuple[int, int] | None = None,
    metrics: list[tuple[int, int]] | dict = (),
) -> MetricAttributes:
    """Indicator, period text and compared figure of the METRIC at `metric` (start, end).

    `parsed_indicator` is what the parse says the figure measures (`pipeline.facts.indicators`); it is taken
    for a figure in prose, and the layout rules decide on list lines and table rows.
    """
    indicator_span = None
    prose = is_prose(text, metric[0], metric[1])
    table = None if prose else table_position(text, metric[0], metric[1])
    if table:  # a table row: the row's label says what, the column's header when
        label, header = table
        header_dates = [d for d in dates if header and header[0] <= d[0] and d[1] <= header[1]]
        return MetricAttributes(
            indicator=text[label[0] : label[1]] if label else None,
            indicator_start=label[0] if label else None,
            indicator_end=label[1] if label else None,
            # the header's DATE, else the header itself ("2019/20" the NER left unmarked; normalised or dropped)
            period_text=text[slice(*header_dates[-1])] if header_dates else text[slice(*header)] if header else None,
            compare_to=comparisons.get(metric),
        )
    if parsed_indicator and prose:
        indicator_span = parsed_indicator
    if indicator_span is None:
        # a heading names the figure that opens the line under it, never one inside running text
        opens_line = not text[line_bounds(text, *metric)[0] : metric[0]].strip(" \t·•-*")
        indicator_span = find_indicator(text, metric[0], metric[1], sentence, headings=not prose or opens_line)
    period = find_period(text, metric[0], metric[1], sentence, dates, section, metrics)
    return MetricAttributes(
        indicator=text[indicator_span[0] : indicator_span[1]] if indicator_span else None,
        indicator_start=indicator_span[0] if indicator_span else None,
        indicator_end=indicator_span[1] if indicator_span else None,
        period_text=period,
        compare_to=comparisons.get(metric),
    )


# nouns that point back to the measure named before them rather than name one
ANAPHORIC = frozenset({"figure", "figures", "rate", "number", "performance", "level", "total", "result", "score"})
_COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|as\s+against)\s+(?:around\s+|about\s+|approximately\s+)?$", re.I)
_DATED_ASIDE = re.compile(r"\(\s*[^()]{2,30}:\s*$")  # "(2017/18: 79%)": the same measure in another period
MAX_SHARE_DISTANCE = 400  # characters between a figure and the measure it points back to


def share_indicators(text: str, rows: list[dict], comparisons: dict) -> list[dict]:
    """Figures that name no measure of their own take the one they are compared with or point back to:
    the earlier figure of a change ("58%, from 61% in 2019/20"), a figure after "compared with", a dated
    aside ("86% (2017/18: 79%)"), and "the figure", "September performance", "May figure". `rows` are the
    `doc._.metrics` dicts in text order; returns them, updated."""
    baseline_of = {baseline: main for main, baseline in comparisons.items()}
    previous = None
    for row in rows:
        span = (row["start_char"], row["end_char"])
        main = None
        if previous is not None and "\n" not in text[previous["end_char"] : span[0]]:
            before = text[max(0, span[0] - 40) : span[0]]
            if baseline_of.get(span) == (previous["start_char"], previous["end_char"]) or (
                _COMPARED.search(before) or _DATED_ASIDE.search(before)
            ):
                main = previous
        indicator = (row.get("indicator") or "").casefold().split()
        # "the figure", "May figure", "September performance"; no measure at all on the line of one that has
        pointing_back = len(indicator) <= 2 and indicator and indicator[-1] in ANAPHORIC
        if not indicator and previous is not None and "\n" in text[previous["end_char"] : span[0]]:
            indicator = ["-"]  # a figure on another line with no measure keeps none
        if main is None and (pointing_back or not indicator) and previous is not None:
            gap = text[previous["end_char"] : span[0]]
            if len(gap) < MAX_SHARE_DISTANCE and "\n\n" not in gap:
                main = previous
        if main is not None and main.get("indicator"):
            row.update({key: main[key] for key in ("indicator", "indicator_start", "indicator_end")})
        if row.get("indicator"):
            previous = row
    return rows
