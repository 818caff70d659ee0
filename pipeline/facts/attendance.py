"""Attendance per person per meeting: cues and their scope in sentences, the layout of attendance lists.

Statuses: present, apologies, substitute, in_attendance, chair. Each PERSON mention is decided once:

1. **a cue** (`pipeline/patterns/attendance_cues.jsonl`) that governs it, found by the dependency parse or the
   order of the sentence (`pipeline.facts.cues`): "apologies were received from A" → apologies; "A replaced B"
   → A substitute, B apologies; "has replaced B", "the appointment of A", "Contact: A" → not attendance;
2. otherwise **the layout**: people in an attendance section are present, except under sub-headings naming
   officers or other attendees (in_attendance) or apologies; "(Chair)" after a listed name makes them chair;
3. otherwise a learned classifier decides (`pipeline.facts.attendance_model`), for people no cue or list
   gave a row: "Councillor A asked about …" → present, "B, Head of Service, explained …" → in attendance.

Then one row per person: when a person's mentions give several statuses the strongest wins, in the order
chair > substitute > apologies > present > in_attendance (a member listed as present and then named as the
substitute is a substitute). Names are merged within the document by canonical name, and "B Dawson" joins
"Bernard Dawson" when exactly one full name fits. `evidence` says what decided (`cue:<id>/parse`,
`cue:<id>/order`, `list:<heading>`) and `score` how sure that kind of evidence is (a reviewer sorts by it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import line_bounds
from .attendance_model import AttendanceClassifier, Candidate, mention_features
from .cues import find_cues, govern, load_cue_rules
from .titles import HONORIFIC_WORDS, titled_persons

RANK = {"chair": 5, "substitute": 4, "apologies": 3, "present": 2, "in_attendance": 1}
# how often each kind of evidence is right, rounded from the seeds and written gold (the model card's table)
SCORES = {"adjacent": 0.95, "parse": 0.95, "order": 0.85, "list": 0.9}

_IN_ATT_GROUP = re.compile(
    r"officer|other attendee|in attendance|also (?:present|in attendance)|others present|"
    r"guest|speaker|advis|support",  # not "partners": on a partnership board the partners are its members
    re.I,
)
_APOLOGY_GROUP = re.compile(r"apolog|absent", re.I)
_PRESENT_GROUP = re.compile(r"present|member|attend|councillor", re.I)
_SUBSTITUTE_GROUP = re.compile(r"substitut", re.I)
_HONORIFIC_BEFORE = re.compile(rf"\b{HONORIFIC_WORDS}\.?[ \t\u00a0]+$")
# words that begin a surname ("Ní Bhriain", "ap Gwilym", "van der Berg"): such a name can stand without a given name
_SURNAME_PARTICLES = frozenset(
    "ní nic ní ó o' ap ab van von der den de del della da di du le la mac mc bin al el st".split()
)
_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n\s*\n")


@lru_cache(maxsize=1)
def cue_rules():
    return load_cue_rules()


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
    score: float
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


def cue_statuses(
    text: str,
    mentions: list[Mention],
    ancestors: dict[tuple[int, int], list] | None = None,
    members: set[tuple[int, int]] = frozenset(),
    rules=None,
) -> dict[tuple[int, int], tuple[str, str, float]]:
    """(start, end) of each PERSON mention a cue governs -> (status or "none", evidence, score)."""
    rules = cue_rules() if rules is None else rules
    ancestors = ancestors or {}
    out = {}
    for s, e in _sentences(text, 0, len(text)):
        persons = _persons_in(mentions, s, e)
        if not persons:
            continue
        cues = find_cues(text, s, e, rules)
        if not cues:
            continue
        spans = [(p.start, p.end) for p in persons]
        for span in spans:
            governed = govern(text, span, cues, spans, ancestors.get(span), members)
            if governed:
                out[span] = (governed.effect, f"cue:{governed.cue}/{governed.how}", SCORES[governed.how])
    return out


def list_statuses(text: str, mentions: list[Mention], sections: list[dict]) -> list[tuple[Mention, str, str]]:
    """People in attendance/apologies sections, by the sub-heading they sit under."""
    out = []
    blocks = [s for s in sections if s["kind"] in ("attendance", "apologies", "attendance_group")]
    for p in (m for m in mentions if m.label == "PERSON"):
        containing = [b for b in blocks if b["start_char"] <= p.start < b["end_char"]]
        if not containing:
            continue
        if _is_prose_line(text, p.start):
            continue  # a sentence inside an attendance section ("Fenella Quartly presented ...") is the cues' to read
        inner = min(containing, key=lambda b: b["end_char"] - b["start_char"])
        if _STAR_KEY.search(text, inner["start_char"], p.start) and not _starred(text, p.start):
            continue  # "(* = present at the meeting)": an unstarred member was not there
        title = inner.get("title") or ""
        # a heading line inside the block (e.g. "Officers") that the splitter did not nest
        heading = _nearest_heading(text, inner["start_char"], p.start)
        label = " ".join(x for x in (title, heading) if x)
        # a heading inside the block speaks for the names under it ("Apologies: A" then "Officers: B, C")
        status = _group_status(heading) if heading else None
        if status is None:
            status = "apologies" if inner["kind"] == "apologies" else (_group_status(title) or "present")
        line_end = text.find("\n", p.end)
        tail = text[p.end : line_end if line_end != -1 else len(text)]
        if re.match(r"^[\s,]*\((?:vice[- ])?chair(?:man|person)?\)", tail, re.I) and "vice" not in tail[:12].lower():
            status = "chair"
        out.append((p, status, f"list:{label or inner['kind']}"))
    return out


_STAR_KEY = re.compile(r"\(\s*\*\s*=\s*present", re.I)  # a members list that stars who was present


def _starred(text: str, pos: int) -> bool:
    start = text.rfind("\n", 0, pos) + 1
    return text[start:pos].lstrip(" \t\u00a0").startswith("*")


PROSE_WORDS = 10  # a line of this many words ending a sentence is prose, not a list line


def _is_prose_line(text: str, pos: int) -> bool:
    start, end = line_bounds(text, pos, pos)
    line = text[start:end].strip()
    labelled = re.match(r"^[^\W\d][\w'’ -]{0,40}:", line)  # "Present: Councillors A, B and C." is a list
    return len(line.split()) >= PROSE_WORDS and line[-1:] in ".!?" and not labelled


def _group_status(heading: str) -> str | None:
    """The status a list heading gives its names, or None when it names no group."""
    if _APOLOGY_GROUP.search(heading):
        return "apologies"
    if _SUBSTITUTE_GROUP.search(heading):
        return "substitute"
    if _IN_ATT_GROUP.search(heading):
        return "in_attendance"
    return "present" if _PRESENT_GROUP.search(heading) else None


# words a list's sub-heading is made of ("Officers and partners", "Board Members Present:-", "Young people")
_HEADING_WORDS = frozenset(
    "members member officers officer partners partner and in attendance present also others other attendees "
    "co-opted coopted committee board panel voting non-voting elected substitutes substitute apologies apology for "
    "absence advisers advisors guests guest representatives councillors young people observers speakers".split()
)


def _nearest_heading(text: str, block_start: int, pos: int) -> str | None:
    """The last short heading-like line above pos: one ending with ':' (or ':-'), or one made of group words."""
    chunk = text[block_start:pos]
    heading = None
    for line in chunk.split("\n"):
        t = line.strip(" \t\u00a0:·•-–—")
        words = t.casefold().split()
        if (
            t
            and len(words) <= 5
            and (
                line.strip().rstrip("-–— ").endswith(":") or all(word.strip(",()") in _HEADING_WORDS for word in words)
            )
        ):
            heading = t
    return heading


def merge(items: list[tuple[Mention, str, str, float]], canonical, relations: dict[tuple[int, int], dict]) -> list[Row]:
    """One row per person: canonical name, strongest status, role/org from relations of their mentions."""
    rows: dict[str, Row] = {}
    for mention, status, evidence, score in items:
        name = canonical(mention.text)
        if not name:
            continue
        key = name.casefold()
        rel = relations.get((mention.start, mention.end), {})
        row = rows.get(key)
        if row is None:
            rows[key] = Row(
                name, status, (mention.start, mention.end), evidence, score, rel.get("role"), rel.get("org")
            )
            continue
        if RANK[status] > RANK[row.status]:
            row.status, row.evidence, row.score = status, evidence, score
        row.role = row.role or rel.get("role")
        row.org = row.org or rel.get("org")
    return _merge_initials(list(rows.values()))


def _initial_form(name: str) -> tuple[str, str] | None:
    parts = name.split()
    if len(parts) < 2:
        return None
    return parts[0][0].casefold(), parts[-1].casefold()


def _name_words(name: str) -> list[str]:
    """The casefolded words of a name, as the short-form tests compare them."""
    return name.casefold().split()


def _short_form_of(parts: list[str], full_parts: list[str]) -> bool:
    """'B Dawson', 'Dawson' or 'Ní Bhriain' is a short form of 'Bernard Dawson' / 'Siobhán Ní Bhriain'
    (both names as `_name_words`: the comparisons are pairwise, so each name is split once)."""
    if len(parts) >= 2 and all(len(p) == 1 for p in parts[:-1]):  # initials and a surname
        return len(full_parts[0]) > 1 and full_parts[-1] == parts[-1] and full_parts[0][0] == parts[0]
    if len(full_parts) > len(parts) and (len(parts) == 1 or parts[0] in _SURNAME_PARTICLES):
        return full_parts[-len(parts) :] == parts
    return False


def _merge_initials(rows: list[Row]) -> list[Row]:
    """A short form ('B Dawson', 'Dawson', 'Ní Bhriain') joins the one fuller name it fits (within one meeting)."""
    keep: list[Row] = []
    words = [(row, _name_words(row.person)) for row in rows]  # names do not change here, only aliases and status
    for r, r_words in words:
        fits = [f for f, f_words in words if f is not r and _short_form_of(r_words, f_words)]
        if len(fits) == 1:
            target = fits[0]
            target.aliases.add(r.person)
            if RANK[r.status] > RANK[target.status]:
                target.status, target.evidence, target.score = r.status, r.evidence, r.score
            target.role = target.role or r.role
            target.org = target.org or r.org
            continue
        keep.append(r)
    return keep


def listed_members(mentions: list[Mention], listed, canonical) -> set[tuple[int, int]]:
    """Every PERSON mention of a person the attendance list gives as a member (present or chair): a partner
    on a board's members list who "attended on behalf of" another sits as a substitute, like a councillor."""
    names = {(canonical(m.text) or "").casefold() for m, status, _ in listed if status in ("present", "chair")}
    names.discard("")
    return {(m.start, m.end) for m in mentions if m.label == "PERSON" and (canonical(m.text) or "").casefold() in names}


def _given_name_of(parts: list[str], full_parts: list[str]) -> bool:
    """'Meera' is the given name of 'Meera Joshi' ("presented by Meera" after "Meera Joshi, Head of SEND");
    both names as `_name_words`."""
    return len(parts) == 1 and len(full_parts) > 1 and full_parts[0] == parts[0] and len(parts[0]) > 1


def _full_names(rows: list[Row], names: list[str]) -> list[Row]:
    """A row under a short form ("Apologies were received from Mr Pemberton-Hughes", "presented by Meera") takes the
    one fuller name of the document it fits ("Mr Alan Pemberton-Hughes" in the members list), though that name
    has no row."""
    distinct = {name.casefold(): name for name in names if name}
    distinct_words = [(key, key.split()) for key in distinct]  # the keys are casefolded: their words are `_name_words`
    for row in rows:
        words = _name_words(row.person)
        fits = {key for key, full in distinct_words if _short_form_of(words, full) or _given_name_of(words, full)}
        if len(fits) == 1:
            row.aliases.add(row.person)
            row.person = distinct[fits.pop()]
    return rows


def undecided_mentions(
    text: str,
    mentions: list[Mention],
    members: set[tuple[int, int]],
    with_role: set[tuple[int, int]],
    decided: set[tuple[int, int]],
) -> list[Candidate]:
    """PERSON mentions not in `decided` (the spans a cue or a list decided): what the classifier learns and decides."""
    return [
        Candidate(m.start, m.end, (m.start, m.end) in members, (m.start, m.end) in with_role)
        for m in mentions
        if m.label == "PERSON" and (m.start, m.end) not in decided
    ]


def attendance_rows(
    text: str,
    mentions: list[Mention],
    sections: list[dict],
    relations: dict,
    canonical,
    ancestors: dict[tuple[int, int], list] | None = None,
    members: set[tuple[int, int]] | None = None,
    classifier: AttendanceClassifier | None = None,
) -> list[dict]:
    """Attendance rows of one document; `ancestors` is each PERSON mention's dependency path and `members` the
    mentions with an elected member's office title (see cues.govern; found in the text when not given)."""
    if members is None:
        members = titled_persons(text, mentions)
    listed = list_statuses(text, mentions, sections)
    members = set(members) | listed_members(mentions, listed, canonical)
    by_cue = cue_statuses(text, mentions, ancestors, members)
    items = []
    for mention, status, evidence in listed:
        if (mention.start, mention.end) not in by_cue:
            items.append((mention, status, evidence, SCORES["list"]))
    persons = {(m.start, m.end): m for m in mentions if m.label == "PERSON"}
    for span, (status, evidence, score) in by_cue.items():
        if status != "none":
            items.append((persons[span], status, evidence, score))
    if classifier is not None and classifier.is_trained:
        known = {(canonical(m.text) or "").casefold() for m, *_ in items}
        with_role = {span for span, rel in relations.items() if rel.get("role")}
        decided = set(by_cue) | {(m.start, m.end) for m, _, _ in listed}
        for candidate in undecided_mentions(text, mentions, members, with_role, decided):
            mention = persons[(candidate.start, candidate.end)]
            name = canonical(mention.text) or ""
            if name.casefold() in known or not (
                candidate.member
                or candidate.has_role
                or _HONORIFIC_BEFORE.search(text, max(0, mention.start - 12), mention.start)
            ):
                continue  # without a title, an honorific or a role, a "name" is too often a place the NER took
            decided = classifier.decide(mention_features(text, candidate, sections), candidate.member)
            if decided:
                items.append((mention, decided[0], "model", decided[1]))
    items.sort(key=lambda item: item[0].start)
    rows = _full_names(merge(items, canonical, relations), [canonical(m.text) or "" for m in persons.values()])
    return [
        {
            "person": r.person,
            "status": r.status,
            "role": r.role,
            "org": r.org,
            "entity": list(r.entity),
            "evidence": r.evidence,
            "score": r.score,
        }
        for r in sorted(rows, key=lambda r: r.entity)
    ]


def gold_attendance_samples(records: list[dict], sections_of, canonical) -> list[tuple[list[str], str]]:
    """Training samples for the classifier: each undecided PERSON mention of the gold, labelled by its person's
    gold status ("none" when the person has no attendance row)."""
    samples = []
    for record in records:
        text = record["text"]
        status_of = {row["person"].casefold(): row["status"] for row in record.get("attendance", [])}
        spans = sorted(record["spans"], key=lambda span: span["start"])
        mentions = [Mention(s["start"], s["end"], s["label"], text[s["start"] : s["end"]]) for s in spans]
        by_id = {s.get("id"): (s["start"], s["end"]) for s in spans if s.get("id")}
        with_role = {
            by_id[r["head_id"]] for r in record["relations"] if r["label"] == "HAS_ROLE" and r["head_id"] in by_id
        }
        sections = sections_of(text)
        listed = list_statuses(text, mentions, sections)
        members = titled_persons(text, mentions) | listed_members(mentions, listed, canonical)
        decided = set(cue_statuses(text, mentions, None, members))
        decided |= {(m.start, m.end) for m, _, _ in listed}
        for candidate in undecided_mentions(text, mentions, members, with_role, decided):
            name = (canonical(text[candidate.start : candidate.end]) or "").casefold()
            samples.append((mention_features(text, candidate, sections), status_of.get(name, "none")))
    return samples
