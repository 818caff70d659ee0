"""PERSON mentions -> canonical names and matching keys.

``canonical_person("County Councillor ANDREA KAY (Chair)")`` -> ``"Andrea Kay"``.

* titles and honorifics before the name are removed (``County Councillor``, ``Cllr``, ``CC``, ``Mrs``,
  ``Dr``, ``Professor``, ``the Revd``, ...), but never the last word (``Councillor Lord`` -> ``Lord``);
* post-nominals and party tags after it are removed (``OBE``, ``JP``, ``PSC``, ``(Lab)``, ``(Chair)``,
  any bracketed tail, ``, MBE``);
* whitespace is tidied (non-breaking spaces, tabs, line breaks), dots dropped from initials
  (``D. T. Smith`` -> ``D T Smith``), curly apostrophes made straight;
* letter case is fixed only when the input is ALL CAPS or all lower case (``JOHN O'BRIEN`` ->
  ``John O'Brien``, ``MCDONALD`` -> ``McDonald``, ``marquis-carr`` -> ``Marquis-Carr``,
  ``PIETER VAN DER BERG`` -> ``Pieter van der Berg``); mixed-case input keeps its case.

``canonical_person`` is idempotent.  ``person_key`` gives a casefolded, accent- and
punctuation-insensitive key for exact matching; ``initials_key`` gives ``(first initial, surname)``
for the conservative initials-plus-surname merge (the caller decides whether it is unambiguous).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["canonical_person", "person_key", "initials_key", "strip_titles"]

_SPACE_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_DASH_RE = re.compile(r"[\u2010-\u2015\u2212]")
_APOS_RE = re.compile(r"[\u2018\u2019\u02bc`\u00b4]")
_BRACKETED_RE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_OPEN_TAIL_RE = re.compile(r"\s*[(\[].*$")
_EDGE_JUNK = " \t,;:.-*·•‣◦▪–—|/\\\"'()[]{}"

_TITLE_RE = re.compile(
    r"^(?:"
    r"county\s+councill?ors?|councill?ors?|cllrs?|cc|"
    r"mr|mrs|ms|miss|mx|messrs|dr|doctor|professor|prof|sir|dame|lord|lady|baroness|baron|"
    r"the\s+rt\.?\s+hon(?:ourable)?|the\s+right\s+hon(?:ourable)?|rt\.?\s+hon(?:ourable)?|"
    r"right\s+hon(?:ourable)?|hon|"
    r"the\s+revd|the\s+rev(?:erend)?|revd|rev(?:erend)?|canon|alderman|ald"
    r")\.?(?=\s)",
    re.IGNORECASE,
)

# Honours, offices and degrees written after a name.  Matched case-sensitively as written
# (so "Jack Ma" keeps "Ma"); in ALL-CAPS input the ones that are also surnames are kept.
_POST_NOMINALS = frozenset(
    """OBE MBE CBE KBE DBE GBE BEM QPM KPM JP DL CC PSC QC KC MP MEP MSP MS AM MLA FRS FREng FBA
    PhD DPhil MBA MSc BSc BA MA LLB LLM BEd MEd MPhil FCA ACA CPFA CIPFA FCCA ACCA RIBA MRTPI
    FRCP FRCS FRCPsych FRCN RGN RMN RN MRCGP FRCGP CEng FIMechE FRSA""".split()
)
_CAPS_AMBIGUOUS = frozenset({"MA", "BA", "MS", "AM", "RN", "MLA", "BED", "MED"})
_POST_NOMINALS_UPPER = frozenset(p.upper() for p in _POST_NOMINALS) - _CAPS_AMBIGUOUS
_PARTY_TAGS = frozenset(
    """lab labour con conservative ld libdem lib dem liberal democrat liberal democrats ind
    independent green greens reform ukip snp plaid""".split()
)
_PARTY_PHRASES = frozenset(
    {
        "lab",
        "labour",
        "con",
        "conservative",
        "ld",
        "lib dem",
        "lib dems",
        "liberal democrat",
        "liberal democrats",
        "ind",
        "independent",
        "green",
        "green party",
        "reform",
        "reform uk",
        "ukip",
        "snp",
        "plaid cymru",
        "lab co-op",
        "labour co-op",
    }
)
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "dos", "das", "ter", "ten", "bin", "ibn"}
)
_VOWELS = frozenset("aeiouyAEIOUY")


def _tidy(text: str) -> str:
    s = unicodedata.normalize("NFC", text)
    s = _SPACE_RE.sub(" ", s)
    s = _DASH_RE.sub("-", s)
    s = _APOS_RE.sub("'", s)
    return s.strip()


def _is_post_nominal(token: str, caps_input: bool) -> bool:
    t = token.replace(".", "").strip(",;:")
    if not t:
        return False
    if caps_input:
        return t in _POST_NOMINALS_UPPER
    return t in _POST_NOMINALS


def strip_titles(text: str) -> str:
    """Remove leading titles (repeatedly) while at least one word would remain."""
    s = text
    for _ in range(6):
        m = _TITLE_RE.match(s + " ")
        if not m:
            break
        rest = s[m.end() :].lstrip(" .,")
        if not rest or not any(c.isalnum() for c in rest):
            break
        s = rest
    return s


def _strip_tail(s: str, caps_input: bool) -> str:
    # ", MBE", ", Lab", "OBE JP"
    for _ in range(8):
        s = s.rstrip(" ,;:")
        if "," in s:
            head, _, last = s.rpartition(",")
            seg = last.strip()
            seg_tokens = seg.split()
            if (
                seg
                and head.strip()
                and (
                    seg.casefold().replace(".", "") in _PARTY_PHRASES
                    or (seg_tokens and all(_is_post_nominal(t, caps_input) for t in seg_tokens))
                )
            ):
                s = head
                continue
        tokens = s.split(" ")
        if len(tokens) > 1 and _is_post_nominal(tokens[-1], caps_input):
            s = " ".join(tokens[:-1])
            continue
        break
    return s


def _split_initials(s: str) -> str:
    """``D.T. Smith`` -> ``D T Smith``; dots elsewhere go too (``St. John`` -> ``St John``)."""
    return _SPACE_RE.sub(" ", s.replace(".", " ")).strip()


def _upper(s: str) -> str:
    """Upper case without changing length ("ß" stays "ß")."""
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in s)


def _cap(part: str) -> str:
    if not part:
        return part
    return _upper(part[0]) + part[1:].lower()


def _fix_word(word: str, index: int, count: int) -> str:
    low = word.lower()
    if low in _PARTICLES and 0 < index < count - 1:
        return low
    letters = [c for c in word if c.isalpha()]
    if len(letters) <= 1:
        return _upper(word)
    if len(letters) <= 3 and not any(c in _VOWELS for c in letters) and "'" not in word and "-" not in word:
        return _upper(word)  # joined initials: "DT", "JRR"
    pieces = re.split(r"([-'])", word)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if piece in ("-", "'"):
            out.append(piece)
            continue
        if i >= 2 and pieces[i - 1] == "'":
            prev = pieces[i - 2]
            # O'Brien, D'Souza; but an apostrophe after a longer stem keeps the rest lower.
            out.append(_cap(piece) if len(prev) == 1 else piece.lower())
            continue
        p = _cap(piece)
        if len(p) > 2 and p.startswith("Mc"):
            p = "Mc" + _upper(p[2]) + p[3:]
        out.append(p)
    return "".join(out)


def _fix_case(s: str) -> str:
    has_upper = any(c.isupper() for c in s)
    has_lower = any(c.islower() for c in s)
    if has_upper == has_lower:  # mixed case, or no cased letters: leave as written
        return s
    words = s.split(" ")
    return " ".join(_fix_word(w, i, len(words)) for i, w in enumerate(words))


def _canonical_once(text: str) -> str:
    s = _tidy(text)
    # bracketed tags anywhere: "(Lab)", "(Chair)", "(Co-optee Non-voting)"; an unclosed one at the end
    s = _BRACKETED_RE.sub(" ", s)
    s = s.strip(_EDGE_JUNK)
    if not s:
        return ""
    s = _OPEN_TAIL_RE.sub("", s)
    s = _SPACE_RE.sub(" ", s).strip(_EDGE_JUNK)
    s = strip_titles(s)
    # letter case is judged on the name without its title: "Cllr JOHN SMITH" is an ALL-CAPS name
    caps_input = any(c.isupper() for c in s) and not any(c.islower() for c in s)
    s = _strip_tail(s, caps_input)
    s = _split_initials(s)
    s = s.strip(_EDGE_JUNK)
    s = strip_titles(s)  # a title that was hidden behind dots: "Dr. D. Smith"
    s = _fix_case(s)
    return _SPACE_RE.sub(" ", s).strip(_EDGE_JUNK)


def canonical_person(text: str) -> str:
    """Canonical form of a PERSON mention: no titles, post-nominals or tags; tidy spacing; fixed case.

    >>> canonical_person("County Councillor Andrea Kay (Chair)")
    'Andrea Kay'
    >>> canonical_person("Cllr D. T. SMITH OBE")
    'D T Smith'
    >>> canonical_person("MR JOHN O'BRIEN")
    "John O'Brien"

    Returns ``""`` when nothing name-like is left.  Idempotent.
    """
    if not isinstance(text, str):
        return ""
    return _canonical_person(text[:300])


# the attendance and relation steps ask for the same few names many times a document; the function is pure
@lru_cache(maxsize=8192)
def _canonical_person(s: str) -> str:
    for _ in range(5):  # reach the fixed point (stripping can expose a further title or tag)
        new = _canonical_once(s)
        if new == s:
            break
        s = new
    return s


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("'", "")
    s = re.sub(r"[^\w\s-]", " ", s)
    s = re.sub(r"\s*-\s*", "-", s)
    return _SPACE_RE.sub(" ", s).strip(" -")


def person_key(name: str) -> str:
    """Casefolded key for exact matching: ``"Mr John O’Brien (Lab)"`` -> ``"john obrien"``.

    Accents, apostrophes, dots and case are ignored; hyphens are kept (``marquis-carr``)."""
    return _fold(canonical_person(name))


def initials_key(name: str) -> tuple[str, str]:
    """``(first initial, surname)`` from the canonical name, casefolded: ``D T Smith`` -> ``("d", "smith")``.

    The surname keeps its particles (``("p", "van der berg")``).  A single word gives
    ``("", word)`` (a surname or a first name alone cannot be merged on initials); an empty
    name gives ``("", "")``.  Whether the key is unambiguous within a council is the caller's
    decision.
    """
    tokens = person_key(name).split()
    if not tokens:
        return ("", "")
    if len(tokens) == 1:
        return ("", tokens[0])
    i = len(tokens) - 1
    while i > 0 and tokens[i - 1] in _PARTICLES:
        i -= 1
    if i == 0:  # "van der Berg": a surname alone
        return ("", " ".join(tokens))
    return (tokens[0][0], " ".join(tokens[i:]))
