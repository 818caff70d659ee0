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

_BULLET = re.compile(r"[\s·•\-\*\u2022\u00b7\t]*(?:\(?[ivx]+\)|\(?\d+\)|[a-z]\))?\s*")
_SEP_END = re.compile(r"\s*(?:[–—:=]|-(?=\s)|\(|,)\s*$")
_STOP = {
    "was", "were", "is", "are", "had", "has", "have", "been", "be", "would", "will", "could", "should", "which",
    "that", "who", "with", "and", "but", "or", "to", "in", "on", "at", "for", "from", "by", "since", "than",
    "compared", "against", "this", "these", "it", "they", "as", "there", "per", "the", "a", "an", "we",
    "increase", "increased", "decrease", "decreased", "reduced", "rose", "fell", "between", "within", "across",
    "currently", "now", "overall", "respectively", "whilst", "while", "when", "where", "being", "above", "below",
}
_CLAUSE = re.compile(
    r"\b((?:the\s+)?(?:total\s+)?(?:number|numbers|rate|percentage|proportion|level|average|count)\s+of\s+[\w'’\- ]{3,80}?)"
    r"\s+(?:had|has|have|was|were|is|are|stood|increased|decreased|rose|fell|reduced|grew|dropped)\b",
    re.I,
)
_PERIOD_CUE = re.compile(r"\b(as\s+at|as\s+of|at|in|for|during|by|since|until|to|from)\s*$", re.I)
_GOVERNING = re.compile(r"^\s*(?:as\s+at|as\s+of|at)\s+$", re.I)
_WORD = re.compile(r"[\w'’\-/&]+|[^\w\s]")


@dataclass
class MetricAttrs:
    indicator: str | None
    indicator_start: int | None
    indicator_end: int | None
    period_text: str | None
    compare_to: tuple[int, int] | None


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    return left, (len(text) if right == -1 else right)


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
        if low in _STOP and not (low == "of" and n and n < 4):
            break
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


_LEAD = re.compile(r"^(?:an?\s+|the\s+)?(?:(?:increase|reduction|decrease|rise|fall|drop|improvement)\s+in\s+|(?:total\s+)?number\s+of\s+)", re.I)
_TRAIL = re.compile(r"(?:\s+(?:to|at|of|was|is|were|are|stood at|by|from|currently)|\s*\(.*?\)|\s+per\s+[\d,]+.*)+$", re.I)


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


def _is_label(prefix: str) -> bool:
    """A list label before a figure ('Re-referral rate', 'Visits in Timescale –'), not running prose."""
    words = prefix.split()
    if not words or re.search(r"[.!?]\s", prefix):
        return False
    if _SEP_END.search(prefix):
        return len(words) <= 12
    lowered = {w.lower() for w in words}
    return len(words) <= 6 and not (lowered & {"was", "were", "had", "has", "have", "reported", "said", "that", "is", "are"})


def find_indicator(text: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int] | None:
    ls, le = line_bounds(text, start, end)
    # 1. the counted noun after the figure: "152 cases", "90% of primary schools", "£1.2m overspend"
    np = _following_noun_phrase(text, end, le)
    if np:
        return np
    # 2. a list label before the figure on its line
    prefix_s = _BULLET.match(text, ls, start).end() if start > ls else start
    prefix = text[prefix_s:start]
    if _is_label(prefix):
        seg = text[prefix_s:start]
        # a second figure on the line ("1194 (48.2 per 10,000), reduced from"): take what follows the first
        cut = max([m.end() for m in re.finditer(r"\d[^()]*\)|;", seg)], default=-1)
        s0 = prefix_s + cut if cut != -1 and cut < len(seg) - 2 else prefix_s
        s, e = _clean_label(text, s0, start)
        if e > s and any(c.isalpha() for c in text[s:e]):
            return s, e
    # 3. a clause before the figure in the same sentence: "the number of children looked after had increased to"
    ss = max(sentence[0], ls)
    best = None
    for m in _CLAUSE.finditer(text, ss, start):
        best = m.span(1)
    if best:
        return _clean_label(text, *best)
    # 4. a short heading line just above a bare figure
    prev_end = ls - 1
    while prev_end > 0:
        ps = text.rfind("\n", 0, prev_end) + 1
        line = text[ps:prev_end]
        if line.strip():
            if len(line.split()) <= 8 and not re.search(r"[.!?]\s*$", line.strip()):
                return _clean_label(text, ps, prev_end)
            break
        prev_end = ps - 1
    return None


def find_period(text: str, start: int, end: int, sentence: tuple[int, int], dates: list[tuple[int, int]],
                section: tuple[int, int] | None) -> str | None:
    """Text of the DATE that the figure refers to, or None (the caller falls back to the meeting date)."""
    s0, s1 = sentence
    ls, le = line_bounds(text, start, end)
    lo, hi = min(s0, ls), max(s1, le)
    near = [(ds, de) for ds, de in dates if lo <= ds and de <= hi]
    if near:
        def rank(d):
            cue = _PERIOD_CUE.search(text[max(lo, d[0] - 12) : d[0]])
            return (0 if cue else 1, abs(d[0] - start))

        ds, de = min(near, key=rank)
        return text[ds:de]
    # a governing "As at <DATE>" earlier in the section
    sec_s = section[0] if section else max(0, start - 3000)
    governing = None
    for ds, de in dates:
        if sec_s <= ds < start:
            before = text[text.rfind("\n", 0, ds) + 1 : ds]
            if _GOVERNING.match(before):
                governing = (ds, de)
    if governing:
        return text[governing[0] : governing[1]]
    return None


def find_comparisons(text: str, metrics: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """`from A to B`: B compares to A; `B …, reduced from A`: B compares to A."""
    out = {}
    ordered = sorted(metrics)
    for i, (s, e) in enumerate(ordered):
        before = text[max(0, s - 12) : s].lower()
        if not re.search(r"\bfrom\s+(?:around\s+|about\s+|approximately\s+)?$", before):
            continue
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        if nxt and re.match(r"^\s*(?:%|per cent)?\s*(?:to|down to|up to)\s+(?:around\s+|about\s+|approximately\s+)?(?:the\s+)?$", text[e : nxt[0]], re.I):
            out[nxt] = (s, e)
            continue
        prv = ordered[i - 1] if i > 0 else None
        if prv and "\n" not in text[prv[1] : s] and len(text[prv[1] : s]) < 120:
            out[prv] = (s, e)
    return out


def metric_attributes(text: str, metric: tuple[int, int], sentence: tuple[int, int], dates: list[tuple[int, int]],
                      section: tuple[int, int] | None, comparisons: dict) -> MetricAttrs:
    ind = find_indicator(text, metric[0], metric[1], sentence)
    period = find_period(text, metric[0], metric[1], sentence, dates, section)
    return MetricAttrs(
        indicator=text[ind[0] : ind[1]] if ind else None,
        indicator_start=ind[0] if ind else None,
        indicator_end=ind[1] if ind else None,
        period_text=period,
        compare_to=comparisons.get(metric),
    )
