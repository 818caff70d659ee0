"""Attendance per person per meeting, from attendance lists and from sentences.

Statuses: present, apologies, substitute, in_attendance, chair. One row per person: when a person gets
several statuses the strongest wins, in the order chair > substitute > apologies > present > in_attendance
(a member listed as present and then named as the substitute is a substitute). Names are merged within
the document by canonical name, and "B Dawson" joins "Bernard Dawson" when exactly one full name fits.

Sentence rules (FORMATS.md, "Attendance phrasing"):
- "Apologies (for absence) were received from A, B and C" -> apologies;
- "A and B replaced C and D (respectively)" / "A substituted for C" -> A, B substitute; C, D apologies, paired in order;
- "A attended on behalf of B" -> B apologies; A substitute when B is a person, else in_attendance;
- "A chaired the meeting in the absence of B" / "(jointly) chaired by A (and B)" -> chair (B apologies);
- "The Chair welcomed A, Role; B, Role ... to the meeting" / "introduced A (Role)" /
  "Also in attendance was A" -> in_attendance.
Lists: people in an attendance section are present, except under sub-headings naming officers or
other attendees (in_attendance) or apologies; "(Chair)" after a listed name makes them chair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RANK = {"chair": 5, "substitute": 4, "apologies": 3, "present": 2, "in_attendance": 1}

_IN_ATT_GROUP = re.compile(
    r"officer|other attendee|in attendance|also (?:present|in attendance)|others present|"
    r"guest|speaker|partner|advis|support",
    re.I,
)
_APOLOGY_GROUP = re.compile(r"apolog|absent", re.I)
_APOLOGIES = re.compile(
    r"apologies(?:\s+for\s+absence)?\s+(?:were|was|had been|have been)\s+"
    r"(?:received|submitted|given|noted|tendered)\s+(?:from|on behalf of)"
    r"|^\s*apologies(?:\s+for\s+absence)?\s*[:\-–]"
    r"|apologies\s+were\s+received\s+from"
    r"|sent\s+(?:their\s+)?apologies"
    r"|gave\s+apologies",
    re.I | re.M,
)
_REPLACED = re.compile(
    r"\b(replaced|substituted\s+for|deputised\s+for|was\s+substitute\s+for|as\s+substitutes?\s+for|in\s+place\s+of)\b",
    re.I,
)
_ON_BEHALF = re.compile(
    r"\battended\s+(?:the\s+meeting\s+)?on\s+behalf\s+of\b"
    r"|\bwas\s+(?:present|in attendance)\s+on\s+behalf\s+of\b"
    r"|\brepresent(?:ed|ing)\b",
    re.I,
)
_CHAIRED_ABSENCE = re.compile(
    r"\b(?:chaired|chaired\s+the\s+meeting|took\s+the\s+chair|presided)\b[^.]*?\bin\s+the\s+absence\s+of\b", re.I
)
_CHAIRED_BY = re.compile(r"\b(?:jointly\s+)?(?:chaired|co-chaired)\s+by\b", re.I)
_WELCOME = re.compile(
    r"\b(?:welcomed|introduced|also\s+in\s+attendance\s+(?:was|were)|in\s+attendance\s+(?:was|were)|also\s+present\s+(?:was|were)|were\s+also\s+present|was\s+also\s+present|(?:attended|joined)\s+(?:the\s+meeting|for\s+(?:this|the)\s+item))\b",
    re.I,
)
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n\s*\n")


@dataclass
class Mention:
    start: int
    end: int
    label: str
    text: str


@dataclass
class Row:
    person: str
    status: str
    entity: tuple[int, int]
    evidence: str
    role: str | None = None
    org: str | None = None
    aliases: set = field(default_factory=set)


def _sentences(text: str, lo: int, hi: int):
    pos = lo
    for m in _SENT_SPLIT.finditer(text, lo, hi):
        yield pos, m.start()
        pos = m.end()
    yield pos, hi


def _persons_in(mentions: list[Mention], lo: int, hi: int) -> list[Mention]:
    return [m for m in mentions if m.label == "PERSON" and lo <= m.start and m.end <= hi]


def sentence_statuses(text: str, mentions: list[Mention]) -> list[tuple[Mention, str, str]]:
    out: list[tuple[Mention, str, str]] = []
    for s, e in _sentences(text, 0, len(text)):
        persons = _persons_in(mentions, s, e)
        if not persons:
            continue
        sent = text[s:e]
        m = _CHAIRED_ABSENCE.search(sent)
        if m:
            before, after = _around(persons, s + m.start(), s + m.end())
            out += [(p, "chair", "chaired_in_absence") for p in before]
            out += [(p, "apologies", "chaired_in_absence") for p in after]
            continue
        m = _CHAIRED_BY.search(sent)
        if m:
            out += [(p, "chair", "chaired_by") for p in persons if p.start >= s + m.end()]
            continue
        m = _REPLACED.search(sent)
        if m:
            before, after = _around(persons, s + m.start(), s + m.end())
            out += [(p, "substitute", "replaced") for p in before]
            out += [(p, "apologies", "replaced") for p in after]
            continue
        m = _ON_BEHALF.search(sent)
        if m and "apolog" not in sent.lower():
            # several "A attended on behalf of B" clauses can share a sentence; pair each A with what follows it
            for clause_s, clause_e in _clauses(sent, s):
                cm = _ON_BEHALF.search(text, clause_s, clause_e)
                if not cm:
                    continue
                before, after = _around(persons, cm.start(), cm.end(), clause_s, clause_e)
                status = "substitute" if after else "in_attendance"
                out += [(p, status, "on_behalf_of") for p in before]
                out += [(p, "apologies", "on_behalf_of") for p in after]
            continue
        m = _APOLOGIES.search(sent)
        if m:
            out += [(p, "apologies", "apologies_sentence") for p in persons if p.start >= s + m.start()]
            continue
        m = _WELCOME.search(sent)
        if m:
            out += [(p, "in_attendance", "welcomed") for p in persons]
    return out


def _around(persons: list[Mention], cue_start: int, cue_end: int, lo: int = 0, hi: int | None = None):
    """The people before a cue ("replaced", "in the absence of") and after it, within [lo, hi)."""
    hi = float("inf") if hi is None else hi
    return (
        [p for p in persons if lo <= p.start and p.end <= cue_start],
        [p for p in persons if cue_end <= p.start and p.end <= hi],
    )


def _clauses(sent: str, offset: int):
    pos = 0
    for m in re.finditer(r"\s+and\s+(?=[A-Z])|;\s*", sent):
        yield offset + pos, offset + m.start()
        pos = m.end()
    yield offset + pos, offset + len(sent)


def list_statuses(text: str, mentions: list[Mention], sections: list[dict]) -> list[tuple[Mention, str, str]]:
    """People in attendance/apologies sections, by the sub-heading they sit under."""
    out = []
    blocks = [s for s in sections if s["kind"] in ("attendance", "apologies", "attendance_group")]
    for p in (m for m in mentions if m.label == "PERSON"):
        containing = [b for b in blocks if b["start_char"] <= p.start < b["end_char"]]
        if not containing:
            continue
        inner = min(containing, key=lambda b: b["end_char"] - b["start_char"])
        title = inner.get("title") or ""
        # a heading line inside the block (e.g. "Officers") that the splitter did not nest
        heading = _nearest_heading(text, inner["start_char"], p.start)
        label = " ".join(x for x in (title, heading) if x)
        if inner["kind"] == "apologies" or _APOLOGY_GROUP.search(heading or title):
            status = "apologies"
        elif _IN_ATT_GROUP.search(heading or title):
            status = "in_attendance"
        else:
            status = "present"
        line_end = text.find("\n", p.end)
        tail = text[p.end : line_end if line_end != -1 else len(text)]
        if re.match(r"^[\s,]*\((?:vice[- ])?chair(?:man|person)?\)", tail, re.I) and "vice" not in tail[:12].lower():
            status = "chair"
        out.append((p, status, f"list:{label or inner['kind']}"))
    return out


def _nearest_heading(text: str, block_start: int, pos: int) -> str | None:
    """The last short heading-like line (no names-with-commas, ends with ':' or is a known group word) above pos."""
    chunk = text[block_start:pos]
    heading = None
    for line in chunk.split("\n"):
        t = line.strip(" \t\u00a0:·•")
        if (
            t
            and len(t.split()) <= 5
            and (
                line.strip().endswith(":")
                or re.fullmatch(
                    r"(?i)(members?|committee members|co-opted members?|officers?(?: in attendance| present)?"
                    r"|other attendees|in attendance|also present|partners|apologies(?: for absence)?"
                    r"|present|others present|members present|substitutes?)",
                    t,
                )
            )
        ):
            heading = t
    return heading


def merge(items: list[tuple[Mention, str, str]], canonical, relations: dict[tuple[int, int], dict]) -> list[Row]:
    """One row per person: canonical name, strongest status, role/org from relations of their mentions."""
    rows: dict[str, Row] = {}
    for mention, status, evidence in items:
        name = canonical(mention.text)
        if not name:
            continue
        key = name.casefold()
        rel = relations.get((mention.start, mention.end), {})
        row = rows.get(key)
        if row is None:
            rows[key] = Row(name, status, (mention.start, mention.end), evidence, rel.get("role"), rel.get("org"))
            continue
        if RANK[status] > RANK[row.status]:
            row.status, row.evidence = status, evidence
        row.role = row.role or rel.get("role")
        row.org = row.org or rel.get("org")
    return _merge_initials(list(rows.values()))


def _initial_form(name: str) -> tuple[str, str] | None:
    parts = name.split()
    if len(parts) < 2:
        return None
    return parts[0][0].casefold(), parts[-1].casefold()


def _merge_initials(rows: list[Row]) -> list[Row]:
    """'B Dawson' or 'Dawson' joins 'Bernard Dawson' when exactly one fuller name fits (within one meeting)."""
    full = [r for r in rows if len(r.person.split()) >= 2 and len(r.person.split()[0]) > 1]
    keep: list[Row] = []
    for r in rows:
        parts = r.person.split()
        short = len(parts) == 1 or all(len(p) == 1 for p in parts[:-1])
        if short and r not in full:
            surname = parts[-1].casefold()
            initial = parts[0][0].casefold() if len(parts) > 1 else None
            fits = [
                f
                for f in full
                if f.person.split()[-1].casefold() == surname and (initial is None or f.person[0].casefold() == initial)
            ]
            if len(fits) == 1:
                target = fits[0]
                target.aliases.add(r.person)
                if RANK[r.status] > RANK[target.status]:
                    target.status, target.evidence = r.status, r.evidence
                target.role = target.role or r.role
                target.org = target.org or r.org
                continue
        keep.append(r)
    return keep


def attendance_rows(text: str, mentions: list[Mention], sections: list[dict], relations: dict, canonical) -> list[dict]:
    items = list_statuses(text, mentions, sections) + sentence_statuses(text, mentions)
    rows = merge(items, canonical, relations)
    return [
        {
            "person": r.person,
            "status": r.status,
            "role": r.role,
            "org": r.org,
            "entity": list(r.entity),
            "evidence": r.evidence,
        }
        for r in sorted(rows, key=lambda r: r.entity)
    ]
