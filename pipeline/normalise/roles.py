"""ROLE mentions -> tidy, consistently cased role titles.

``normalise_role("DIRECTOR OF CHILDREN'S SOCIAL CARE")`` -> ``"Director of Children's Social Care"``.

* whitespace is tidied (non-breaking spaces, tabs, line breaks), curly apostrophes made straight,
  leading bullets and trailing punctuation removed, one pair of enclosing brackets dropped
  (``(Chair)`` -> ``Chair``);
* a role written in ALL CAPS or all lower case is title-cased: small words stay lower ("of", "for",
  "and", "the", "in", ...) except first, known acronyms stay upper (``SEND``, ``NHS``, ``CLA``, plus
  any the caller passes, e.g. the keys of ``find_acronym_definitions``), mixed-case acronyms keep
  their form (``DfE``), and in ALL-CAPS input a short word without vowels is taken for an acronym
  (``HR``, ``CCG``);
* a role already in mixed case keeps its case.

Idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["normalise_role", "KNOWN_ACRONYMS"]

#: Acronyms kept upper-case (or in the mixed form given) when a role is re-cased.
KNOWN_ACRONYMS = frozenset(
    """SEND SEN SENCO SENCo NHS CLA LAC CIC CiC CIN CiN CP CPP CSE FGM LSCB LSCP MASH CART YOT YOS
    IRO IROs LADO CAMHS CCG CCGs ICB ICS DfE DCS DCLG DLUHC LCC UK HR IT ICT CEO CFO COO QA EHE EHCP
    EHCPs NEET NQSW PSHE GP GPs RSC MP MEP KC QC OBE MBE CBE JP DL CC ASYE ADCS LGA NHSE ONS CQC PCC
    DSL DSLs SLT SDQ BI CYP CYPS FE""".split()
)

_SPACE_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_DASH_RE = re.compile(r"[\u2010\u2011\u2012\u2212]")  # hyphen-like; en/em dashes stay (a role's separator)
_APOS_RE = re.compile(r"[\u2018\u2019\u02bc`]")
_LEAD_RE = re.compile(r"^(?:[•·*‣◦▪>]|-(?=\s))+\s*")
_TRAIL = " \t,;:.-–—|/\\"
_SMALL_WORDS = frozenset({"of", "for", "and", "the", "in", "to", "on", "at", "with", "a", "an", "or", "by", "&"})
# Prefixes after which a hyphenated word continues lower case ("Co-ordinator", "Non-voting").
_LOWER_AFTER = frozenset({"co", "re", "pre", "non", "sub", "anti", "self", "post", "inter"})
_VOWELS = frozenset("aeiouyAEIOUY")


def _tidy(text: str) -> str:
    s = _SPACE_RE.sub(" ", text)
    s = _DASH_RE.sub("-", _APOS_RE.sub("'", s))
    s = s.strip()
    for _ in range(len(s) + 1):
        before = s
        s = _LEAD_RE.sub("", s).strip()
        if len(s) >= 2 and s[0] in "([" and s[-1] in ")]" and "(" not in s[1:-1] and ")" not in s[1:-1]:
            s = s[1:-1].strip()
        s = s.rstrip(_TRAIL).lstrip(" ,;:")
        if s == before:
            break
    return s


def _cap(part: str) -> str:
    if not part:
        return part
    first = part[0].upper()
    if len(first) != 1:  # "ß" -> "SS" would change the word's length and case class
        first = part[0]
    return first + part[1:].lower()


def _case_word(word: str, index: int, acronyms: dict[str, str], caps_input: bool) -> str:
    core = word.strip("()[],;:'\"")
    lead = word[: word.find(core)] if core else word
    trail = word[len(lead) + len(core) :]
    if not core:
        return word
    folded = core.casefold()
    if folded in acronyms:
        return lead + acronyms[folded] + trail
    if folded.endswith("'s") and folded[:-2] in acronyms:  # "NHS's"
        return lead + acronyms[folded[:-2]] + "'s" + trail
    if index > 0 and folded in _SMALL_WORDS:
        return lead + folded + trail
    letters = [c for c in core if c.isalpha()]
    if caps_input and 2 <= len(letters) <= 3 and not any(c in _VOWELS for c in letters) and core.isalpha():
        return lead + core.upper() + trail
    pieces = re.split(r"([-'/])", core)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if piece in ("-", "'", "/"):
            out.append(piece)
            continue
        if i >= 2 and pieces[i - 1] == "'":
            out.append(piece.lower())  # "Children's", not "Children'S"
            continue
        if i >= 2 and pieces[i - 1] == "-" and pieces[i - 2].casefold() in _LOWER_AFTER:
            out.append(piece.lower())
            continue
        p_fold = piece.casefold()
        out.append(acronyms.get(p_fold, _cap(piece)))
    return lead + "".join(out) + trail


def normalise_role(text: str, acronyms: Iterable[str] | None = None) -> str:
    """Tidy a ROLE mention; re-case it only when it is ALL CAPS or all lower case.

    >>> normalise_role("cabinet member for children, young people and schools")
    'Cabinet Member for Children, Young People and Schools'
    >>> normalise_role("HEAD OF SEND")
    'Head of SEND'
    >>> normalise_role("Acting Director of Children's Social Care ,")
    "Acting Director of Children's Social Care"

    ``acronyms`` adds document-specific acronyms (for example the keys of
    :func:`pipeline.normalise.orgs.find_acronym_definitions`) to :data:`KNOWN_ACRONYMS`.
    """
    if not isinstance(text, str):
        return ""
    s = _tidy(text[:500])
    if not s:
        return ""
    has_upper = any(c.isupper() for c in s)
    has_lower = any(c.islower() for c in s)
    if has_upper == has_lower:  # mixed case (or no letters): keep as written
        return s
    table = {a.casefold(): a for a in KNOWN_ACRONYMS}
    if acronyms:
        for a in acronyms:
            if isinstance(a, str) and a.strip():
                table[a.strip().casefold()] = a.strip()
    words = s.split(" ")
    out = " ".join(_case_word(w, i, table, caps_input=has_upper) for i, w in enumerate(words))
    return out
