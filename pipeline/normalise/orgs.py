"""Acronym definitions for ORG mentions.

``find_acronym_definitions`` reads a document and returns ``{acronym: full name}`` from

* running text, ``Full Name (ACR)``: the acronym's letters must be the initials of the words just
  before the bracket, where "and", "of", "for", "&", "the", "in", "or", ... may be skipped or count
  (``Department for Education (DfE)``, ``Special Educational Needs and Disabilities (SEND)``,
  ``Not in Education, Employment or Training (NEET)``); a plural acronym is stored singular
  (``Independent Reviewing Officers (IROs)`` -> ``IRO``);
* running text, ``ACR (Full Name)`` with the same check (``YPS (Young People's Service)``);
* glossary lines, ``CART – Contact & Referral Team``, ``CART - ...``, ``CART: ...``, ``CART<TAB>...``.
  A glossary is laid out on purpose, so a looser check applies there (the first letter agrees and
  most letters appear as initials in order: ``SCAYT+ - Supporting Carers and Young People Together``).

Glossary entries win over bracket definitions; among bracket definitions the first one wins.
``expand_acronym`` looks a mention up (``the LSCB's`` -> ``LSCB``; ``IROs`` -> ``IRO``).
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache

__all__ = ["find_acronym_definitions", "expand_acronym", "initials_match"]

_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_DASH_RE = re.compile(r"[\u2010-\u2015\u2212]")
_APOS_RE = re.compile(r"[\u2018\u2019\u02bc`]")

#: Words that may be left out of an acronym, or may give it a letter.
SKIPPABLE = frozenset(
    {"and", "&", "of", "for", "the", "in", "or", "to", "on", "with", "at", "by", "a", "an", "de", "du", "la", "le"}
)
_MAX_WORDS = 16

# "(LSCB)", "(DfE)", "(IROs)", "(SCAYT +)"
_BRACKET_ACR_RE = re.compile(r"\(\s*([A-Za-z][A-Za-z&]{0,11}(?:\s?\+)?)\s*\)")
# "YPS (Young People's Service)"
_ACR_BRACKET_RE = re.compile(r"(?<![\w&])([A-Z][A-Za-z&]{0,11}(?:\s?\+)?)\s*\(([^()\n]{3,150})\)")
_GLOSSARY_LINE_RE = re.compile(
    r"^[ \t]*(?:[•·*\-–][ \t]*)?"
    r"(?P<acr>[A-Za-z][A-Za-z0-9&]{0,11}(?:[ ]?\+)?)"
    r"(?:[ \t]*[–—:=][ \t]*|[ \t]+-[ \t]*|-[ \t]+|\t+[ \t]*)"
    r"(?P<full>[A-Za-z(][^\n]{1,150}?)[ \t]*$",
    re.MULTILINE,
)
_WORD_RE = re.compile(r"&|[A-Za-z0-9][A-Za-z0-9']*")
_BOUNDARY_RE = re.compile(r"[.;:!?()\[\]\n\t•·]|\s[–—-]\s")


def _tidy(s: str) -> str:
    s = _DASH_RE.sub("-", _APOS_RE.sub("'", s))
    s = _SPACE_RE.sub(" ", s)
    s = re.sub(r"(\w)- (\w)", r"\1-\2", s)  # "Multi- Agency" (a line wrapped after its hyphen)
    return s.strip(" ,;:-")


def _acronym_letters(acr: str) -> str:
    return "".join(c for c in acr if c.isalpha()).lower()


def _valid_acronym(acr: str) -> bool:
    letters = [c for c in acr if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return 2 <= len(letters) <= 12 and upper >= 2 and upper * 2 >= len(letters)


def _key(acr: str) -> str:
    return acr.replace(" ", "")


@lru_cache(maxsize=8192)
def _match(words: tuple[str, ...], letters: str) -> bool:
    """Every word gives its initial in order, except skippable words, which may give one or not;
    the first word always gives its initial."""
    n, m = len(words), len(letters)

    @cache
    def f(i: int, j: int) -> bool:
        if i == n:
            return j == m
        w = words[i]
        if j < m and w[0] == letters[j] and f(i + 1, j + 1):
            return True
        return i > 0 and w in SKIPPABLE and f(i + 1, j)

    return n > 0 and f(0, 0)


def _words(text: str) -> tuple[str, ...]:
    """Lower-cased words; hyphenated parts are words; "&" reads as "and"."""
    return tuple("and" if w == "&" else w.lower() for w in _WORD_RE.findall(text.replace("-", " ")))


def initials_match(full_name: str, acronym: str) -> bool:
    """Whether ``acronym`` is made of the initials of ``full_name`` (skippable words optional)."""
    words = _words(full_name)
    letters = _acronym_letters(acronym)
    if not words or not letters or len(words) > _MAX_WORDS:
        return False
    return _match(words, letters)


def _loose_match(full_name: str, acronym: str) -> bool:
    """Glossary check: strict match, or same first letter and most letters found as initials in order."""
    if initials_match(full_name, acronym):
        return True
    words = list(_words(full_name))
    letters = _acronym_letters(acronym)
    if not words or not letters or len(words) > _MAX_WORDS:
        return False
    significant = [w for w in words if w not in SKIPPABLE] or words
    if significant[0][0] != letters[0] and words[0][0] != letters[0]:
        return False
    initials = [w[0] for w in words]
    found, k = 0, 0
    for ch in letters:
        nxt = next((i for i in range(k, len(initials)) if initials[i] == ch), None)
        if nxt is not None:
            found += 1
            k = nxt + 1
    return found >= max(2, math.ceil(0.6 * len(letters)))


def _definition_before(text: str, open_pos: int, acronym: str) -> tuple[str, str] | None:
    """The shortest run of words ending at ``open_pos`` whose initials spell ``acronym``
    (or its singular), with the acronym form that matched."""
    window_start = max(0, open_pos - 250)
    window = text[window_start:open_pos]
    cut = 0
    for m in _BOUNDARY_RE.finditer(window):
        cut = m.end()
    segment = window[cut:]
    base = window_start + cut
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(segment.replace("-", " "))]
    if not tokens:
        return None
    candidates = [acronym]
    if acronym.endswith("s") and len(acronym) > 2 and acronym[-2].isupper():
        candidates.append(acronym[:-1])  # plural: "IROs"
    for acr in candidates:
        letters = _acronym_letters(acr)
        for k in range(1, min(len(tokens), len(letters) * 2 + 2) + 1):
            words = tuple("and" if t[2] == "&" else t[2].lower() for t in tokens[-k:])
            if _match(words, letters):
                start = base + tokens[-k][0]
                end = base + tokens[-1][1]
                return _tidy(text[start:end]), acr
    return None


def find_acronym_definitions(text: str) -> dict[str, str]:
    """Acronym -> full name, from ``Full Name (ACR)``, ``ACR (Full Name)`` and glossary lines.

    >>> find_acronym_definitions("referred to the Multi Agency Safeguarding Hub (MASH) today")
    {'MASH': 'Multi Agency Safeguarding Hub'}
    >>> find_acronym_definitions("CART – Contact & Referral Team")
    {'CART': 'Contact & Referral Team'}
    """
    if not isinstance(text, str) or not text:
        return {}
    brackets: dict[str, str] = {}
    glossary: dict[str, str] = {}

    for m in _BRACKET_ACR_RE.finditer(text):
        acr = m.group(1)
        if not _valid_acronym(acr):
            continue
        found = _definition_before(text, m.start(), acr)
        if found:
            full, used = found
            brackets.setdefault(_key(used), full)

    for m in _ACR_BRACKET_RE.finditer(text):
        acr, inner = m.group(1), _tidy(m.group(2))
        if not _valid_acronym(acr) or _key(acr) in brackets:
            continue
        inner_core = re.sub(r"^the\s+", "", inner, flags=re.I)
        for cand in (acr, acr[:-1] if acr.endswith("s") and acr[-2:-1].isupper() else None):
            if cand and initials_match(inner_core, cand):
                brackets.setdefault(_key(cand), inner_core)
                break

    for m in _GLOSSARY_LINE_RE.finditer(text):
        acr = m.group("acr").strip()
        full = _tidy(m.group("full")).rstrip(".")
        if not _valid_acronym(acr) or not full or len(full.split()) > _MAX_WORDS:
            continue
        if _loose_match(full, acr):
            glossary.setdefault(_key(acr), full)

    out = dict(brackets)
    out.update(glossary)
    return out


def expand_acronym(text: str, definitions: dict[str, str]) -> str | None:
    """The full name for an acronym mention, or None.

    Tries the mention as written (``the`` and a possessive ``'s`` removed), without spaces
    (``SCAYT +``), singular (``IROs`` -> ``IRO``), then a unique case-insensitive match when the
    mention has at least two capitals (``DFE`` -> ``DfE``).
    """
    if not isinstance(text, str) or not definitions:
        return None
    s = _APOS_RE.sub("'", _SPACE_RE.sub(" ", text)).strip(' .,;:()[]"')
    s = re.sub(r"^the\s+", "", s, flags=re.I)
    s = re.sub(r"'s$", "", s)
    if not s:
        return None
    variants = [s, s.replace(" ", "")]
    if len(s) > 2 and s.endswith("s") and s[-2].isupper():
        variants.append(s[:-1])
    for v in variants:
        if v in definitions:
            return definitions[v]
    if sum(c.isupper() for c in s) >= 2:
        folded = {}
        for k, v in definitions.items():
            folded.setdefault(k.casefold(), []).append(v)
        for v in variants:
            hits = folded.get(v.casefold())
            if hits and len(set(hits)) == 1:
                return hits[0]
    return None
