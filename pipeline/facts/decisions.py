"""Decisions, recorded votes and declarations of interest, from the sections and the PERSON mentions.

    decision_rows(doc_id, text, sections, people, section_of) -> {"decisions", "votes", "interests"}

- **Decisions**: every `resolution` section the splitter found (`Resolved:`, `RESOLVED –`, `Agreed:`,
  `Decision:`, 'It was agreed that:') is one decision, or one per numbered part when its lines start with
  part labels (`1.`, `(2)`, `iii.`, `a)`; bullets are parts without a label). The text is the section's
  words after the cue and the label, up to the section's end (ModernGov `<AI>` markers and blank tails
  trimmed). So is a `Resolved:` inside a table cell or a line (its inline parts `(1)`, `i.` split), and a
  `decision_sentence` sentence no resolution section holds ('Noted.', 'Members AGREED that …', the previous
  minutes approved in prose). Its outcome is the highest-priority `outcome` cue in the text; how it was
  carried, a `carried` cue in the text, on the cue line or in the item's text just before it.
- **Votes**: a `vote_label` (`For:`, `Against (2):`) governs the members its list names up to the next label
  or the end of its line (PERSON mentions, and surnames the NER missed, named by the document's full names);
  a `person_vote` cue, the PERSON mention(s) before it in its sentence. A vote belongs to the first decision
  of its item after it unless a `motion_closed` cue (a lost motion, an amendment) comes between, else the
  last one before it. Tallies (`tally` cues) in a decision or in the item's text before it (not in an
  `other_motion` sentence) give that decision's counts; with named votes too, the counts are compared
  (`tally_consistent`).
- **Interests**: a sentence with an `interest` cue (and no `no_interest` cue) declares an interest for
  each PERSON mention before the cue (or after 'by' when none is before it); the kind is the
  highest-priority `interest_kind` cue, the item the one it names ('Item 5', 'minute 45/19') or, when it
  is declared under another item than the declarations item, that item; the reason the clause from
  'as', 'because', 'by virtue of' …; withdrew from a `withdrew` cue in that sentence or the next.

Cues are data: pipeline/patterns/decision_cues.jsonl (schema `pipeline.rules.DECISION_CUE_RULES`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..rules import DECISION_CUE_KINDS, DECISION_CUE_RULES, RuleError, load_rule_file, rule_label
from ..text import SENTENCE_END, sentence_bounds

_NUMBER_WORDS = (
    "nil none zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
).split()
_COUNT = r"(?:\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"

# the cue that opens a resolution section, and an optional "(unanimously)"-style note after it
_RESOLUTION_CUE = re.compile(
    r"(?:^|(?<=\t))[^\S\n]*(?:\|[^\S\n]*)*(?:it[^\S\n]+was[^\S\n]+(?:further[^\S\n]+|unanimously[^\S\n]+)?(?:resolved|agreed)"
    r"(?:[^\S\n]+that)?|the[^\S\n]+following[^\S\n]+actions?[^\S\n]+(?:were|was)[^\S\n]+agreed[^:\n]*"
    r"|resolved|agreed|decision|decided)\b(?:[^\S\n]+unanimously)?[^\S\n]*(?:\([^)\n]{0,40}\))?[^\S\n]*"
    r"(?:[:.–—-][^\S\n]*)*",
    re.IGNORECASE | re.MULTILINE,
)
_PREAMBLE = re.compile(r"^(?:that[\s;:,-]*|[^\n]*:\s*)$", re.IGNORECASE)  # 'That;', 'That the Committee:'
# a decision's text ends at a blank line after a finished sentence, unless what follows continues it
_PARAGRAPH_BREAK = re.compile(r"(?<=[.!?])[^\S\n]*\n[^\S\n]*\n\s*(?=[A-Z(<\[])")
# ... and at a blank line before a heading (a short line that ends without a stop)
_HEADING_BREAK = re.compile(r"\n[^\S\n]*\n(?=[^\S\n]*[A-Z][^\n]{0,80}[^\s.;:,!?][^\S\n]*(?:\n|\Z))")
_PART_LABEL = re.compile(
    r"^[^\S\n]*(?:\(?(?P<label>\d{1,2}|[ivx]{1,5}|[a-h])[.)](?=\s)|\((?P<paren>\d{1,2}|[ivx]{1,5}|[a-h])\)"
    r"|(?P<bullet>[•·▪◦*–-]))[^\S\n]*",
    re.IGNORECASE | re.MULTILINE,
)
_MARKER_LINE = re.compile(r"^\s*</?AI\d+>\s*$", re.IGNORECASE | re.MULTILINE)
_ITEM_REF = re.compile(
    r"\b(?:agenda\s+)?(?:items?|minutes?|articles?)\s+(?:no\.?\s*|number\s+)?"
    r"(?P<item>(?:[A-Z]{1,6}[/ ]?)?\d{1,3}[a-z]?(?:[./]\d{1,4})*)\b",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(?:as|because|by\s+virtue\s+of|due\s+to|owing\s+to|in\s+(?:his|her|their)\s+capacity\s+as|being|since)\b",
    re.IGNORECASE,
)
_REASON_END = re.compile(
    r"(?:,?\s+and\s+(?:he|she|they\s+)?(?:left|withdrew|took|did|remained|stayed|would)\b|;|\.(?:\s|$)|\s+-\s+)",
    re.IGNORECASE,
)
_DECLARATIONS_ITEM = re.compile(r"\b(?:interests?|declarations?|disclosures?)\b", re.IGNORECASE)
CARRIED_CONTEXT = 400  # characters of the item's text before a decision read for how it was carried


@dataclass(frozen=True)
class DecisionCue:
    id: str
    kind: str
    pattern: re.Pattern
    value: str | None
    priority: int


def build_decision_cue(record, where: str, index: int) -> DecisionCue:
    values = DECISION_CUE_RULES.check(record, where)
    label = rule_label(where, values["id"])
    allowed = DECISION_CUE_KINDS[values["kind"]]
    if allowed and values["value"] not in allowed:
        raise RuleError(f"{label}: {values['kind']} cues need a value from {', '.join(allowed)}")
    if not allowed and values["value"] is not None:
        raise RuleError(f"{label}: {values['kind']} cues take no value")
    pattern = DECISION_CUE_RULES.compile(values["pattern"].replace("{N}", _COUNT), [], label)
    if values["kind"] == "tally" and not {"for", "against"} <= set(pattern.groupindex):
        raise RuleError(f"{label}: a tally pattern needs the named groups 'for' and 'against'")
    return DecisionCue(values["id"], values["kind"], pattern, values["value"], values["priority"])


@lru_cache(maxsize=4)
def load_decision_cues(path: str | None = None) -> dict[str, list[DecisionCue]]:
    """The cues by kind, highest priority first."""
    by_kind: dict[str, list[DecisionCue]] = {kind: [] for kind in DECISION_CUE_KINDS}
    for cue in load_rule_file(DECISION_CUE_RULES, build_decision_cue, path):
        by_kind[cue.kind].append(cue)
    for cues in by_kind.values():
        cues.sort(key=lambda cue: -cue.priority)
    return by_kind


def _count(word: str | None) -> int | None:
    if word is None:
        return None
    word = word.lower()
    if word.isdigit():
        return int(word)
    return 0 if word in ("nil", "none", "zero") else _NUMBER_WORDS.index(word) - 2


def _best(cues: list[DecisionCue], text: str) -> DecisionCue | None:
    """The highest-priority cue that matches (cues are sorted by priority)."""
    return next((cue for cue in cues if cue.pattern.search(text)), None)


@dataclass
class Person:
    start: int
    end: int
    name: str
    entity_id: str | None


def people_of_doc(
    doc, entity_ids: dict[tuple[int, int], str] | None = None, norms: dict[tuple[int, int], str] | None = None
) -> list[Person]:
    """The Doc's PERSON mentions, named by their canonical form (`doc._.norms`, or `norms` by offsets when the
    caller has them) where the normaliser gave one, and a surname alone ('Councillor Ashworth') by the one full
    name in the document it can be."""
    if norms is None:
        norms = {(n["start_char"], n["end_char"]): n.get("norm") for n in (getattr(doc._, "norms", None) or [])}
    people = [
        Person(ent.start_char, ent.end_char, norms.get(key) or ent.text, (entity_ids or {}).get(key))
        for ent in doc.ents
        if ent.label_ == "PERSON" and (key := (ent.start_char, ent.end_char))
    ]
    return with_full_names(people)


_SURNAME_PARTICLES = frozenset("ó o' mac mc ap ab de da di du van von le la st. st ní nic".split())


def with_full_names(people: list[Person]) -> list[Person]:
    """A short form ('Ashworth', 'B Ashworth') takes the full name of the document's only full name with that
    surname (and initial), as the people table merges them within a council."""
    full = {
        p.name
        for p in people
        if len(p.name.split()) > 1 and len(p.name.split()[0]) > 1 and not _LIST_SEPARATOR.search(p.name)
    }  # a mention the NER ran over a list ("Chaudhry, Fahy") is no full name
    for person in people:
        words = person.name.split()
        if person.name in full or not words:
            continue
        particle = words[0].casefold() in _SURNAME_PARTICLES  # "Ó Duibhir", "ap Gwilym": a surname, no initial
        initial = words[0][0].casefold() if len(words) > 1 and not particle else None
        surname = [w.casefold() for w in (words if particle else words[-1:])]
        fits = {
            name
            for name in full
            if [w.casefold() for w in name.split()[-len(surname) :]] == surname
            and (initial is None or name[0].casefold() == initial)
        }
        if len(fits) == 1:
            person.name = fits.pop()
    return people


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without surrounding whitespace, `<AI>` marker lines and trailing separators."""
    while True:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        line_start = text.rfind("\n", start, end) + 1
        if line_start > start and _MARKER_LINE.match(text[line_start:end]):
            end = line_start
            continue
        return start, end


def _paragraph_end(text: str, start: int, end: int) -> int:
    """Where a decision's paragraph ends: a blank line after a finished sentence or before a heading."""
    breaks = (_PARAGRAPH_BREAK.search(text, start, end), _HEADING_BREAK.search(text, start, end))
    return min((found.start() for found in breaks if found), default=end)


def _parts(text: str, start: int, end: int) -> list[tuple[str | None, int, int]]:
    """(part label, start, end) of each numbered part of a resolution's body; [(None, start, end)] when it has
    none. A preamble line ('That;', 'That the Committee:') before the parts is not a part."""
    lines, position = [], start
    for line in text[start:end].split("\n"):
        lines.append((position, position + len(line)))
        position += len(line) + 1
    labelled = [(s, e, m) for s, e in lines if (m := _PART_LABEL.match(text, s, e))]
    if labelled and _PARAGRAPH_BREAK.search(text, start, labelled[0][0] + 1):
        labelled = []  # "(b) 19/74355/HH …" after a finished paragraph opens the next case, not a part
    if not labelled:
        return [(None, *_trim(text, start, _paragraph_end(text, start, end)))]
    parts = []
    for position, (_, _, match) in enumerate(labelled):
        part_end = labelled[position + 1][0] if position + 1 < len(labelled) else end
        label = match.group("label") or match.group("paren")
        if position + 1 == len(labelled):  # the last part ends with its paragraph
            part_end = _paragraph_end(text, match.end(), part_end)
        part_start, part_end = _trim(text, match.end(), part_end)
        if part_end > part_start:
            parts.append((label.lower() if label else None, part_start, part_end))
    first_start = labelled[0][0]
    before_start, before_end = _trim(text, start, first_start)
    if before_end > before_start and not _PREAMBLE.match(text[before_start:before_end]):
        parts.insert(0, (None, before_start, before_end))  # words before the parts that are a decision of their own
    return parts


def _item_of(sections: list[dict], section: dict) -> dict | None:
    while section is not None:
        if section["kind"] == "item":
            return section
        parent = section.get("parent")
        section = sections[parent] if parent is not None else None
    return None


def _decision(item, part, words, outcome, carried, span: tuple[int, int], context_start: int) -> dict:
    """One decision found in the text, before it gets its id, tally and section."""
    return {
        "item_number": item.get("item_number") if item else None,
        "item_title": item.get("title") if item else None,
        "item_start": item["start_char"] if item else None,
        "part": part,
        "text": words,
        "outcome": outcome.value if outcome else None,
        "carried": carried.value if carried else None,
        "start_char": span[0],
        "end_char": span[1],
        "context_start": context_start,
    }


def _decisions(text: str, sections: list[dict], cues: dict) -> list[dict]:
    decisions = []
    for section in sections:
        if section["kind"] != "resolution":
            continue
        start, end = section["start_char"], section["end_char"]
        cue = _RESOLUTION_CUE.match(text, start, end)
        body_start = cue.end() if cue else start
        cue_text = text[start:body_start]
        item = _item_of(sections, section)
        context_start = max(item["start_char"] if item else start, start - CARRIED_CONTEXT)
        before = text[context_start:start]
        for part, part_start, part_end in _parts(text, body_start, end):
            words = text[part_start:part_end]
            if not words.strip(" .;:-"):
                continue
            outcome = _best(cues["outcome"], words)
            carried = _best(cues["carried"], words) or _best(cues["carried"], cue_text)
            if carried is None and before:
                carried = _best(cues["carried"], before)
            decisions.append(_decision(item, part, words, outcome, carried, (part_start, part_end), context_start))
    return decisions


# "… Minutes: Resolved: That …" inside a table cell or a line of prose (a line-initial one is a section)
_INLINE_RESOLUTION = re.compile(
    r"(?<=[.:;!?)|])[^\S\n]*(?:resolved|agreed|decided)(?:[^\S\n]+unanimously)?[^\S\n]*(?:\([^)\n]{0,40}\))?"
    r"[^\S\n]*[:–—-][^\S\n]*",
    re.IGNORECASE,
)
_INLINE_PART = re.compile(r"(?<=\s)\((?P<label>\d{1,2}|[ivx]{1,5}|[a-h])\)[^\S\n]+", re.IGNORECASE)
_INLINE_DOTTED_PART = re.compile(
    r"(?:(?<=\s)|(?<=^))(?P<label>\d{1,2}|[ivx]{1,5}|[a-h])\.[^\S\n]+(?=\w)", re.IGNORECASE
)
_RESOLVED_THAT = re.compile(
    r"\b(?:resolved|agreed|decided)(?:\s+(?:unanimously|without\s+dissent|nem\.?\s*con\.?))?\s+(?P<that>that)\b", re.I
)
_TRAILING_NOTE = re.compile(r"\s*\([^()\n]{0,60}\)\W*$")  # "(Carried unanimously)" after a decision


def _cells(text: str, start: int, end: int):
    """(start, end) of each table cell or line in [start, end): a pipe-table row is cut at its pipes, any
    other line at its tabs (AKS rows: 'NN<TAB>Title<TAB>Received.')."""
    position = start
    for line in text[start:end].split("\n"):
        pieces = line.split("|") if line.count("|") >= 2 else line.split("\t")
        offset = position
        for piece in pieces:
            if piece.strip():
                yield _trim(text, offset, offset + len(piece))
            offset += len(piece) + 1
        position += len(line) + 1


def _sentence_decisions(text: str, sections: list[dict], cues: dict, found: list[dict]) -> list[dict]:
    """Decisions no resolution section holds: a `Resolved:` inside a table cell or a line ("| 24. | Minutes
    Minutes: Resolved: That …"), with its inline parts `(1)`, `(2)`; and `decision_sentence` sentences ("Noted.",
    "The minutes … were agreed as a correct record")."""
    items = [section for section in sections if section["kind"] == "item"]
    scopes = items or [{"start_char": 0, "end_char": len(text), "kind": "document"}]
    taken = [(d["start_char"], d["end_char"]) for d in found]
    taken += [(x["start_char"], x["end_char"]) for x in sections if x["kind"] == "resolution"]
    out = []
    for scope in scopes:
        item = scope if scope["kind"] == "item" else None
        for cell_start, cell_end in _cells(text, scope["start_char"], scope["end_char"]):
            if any(s < cell_end and cell_start < e for s, e in taken):
                continue
            pieces = []
            inline = _INLINE_RESOLUTION.search(text, cell_start, cell_end)
            if inline:
                note = _TRAILING_NOTE.search(text, inline.end(), cell_end)
                pieces = _inline_parts(text, inline.end(), note.start() if note else cell_end)
            else:
                for sentence_start, sentence_end in _sentences(text, cell_start, cell_end):
                    sentence = text[sentence_start:sentence_end]
                    cue = _best(cues["decision_sentence"], sentence)
                    if cue:
                        # "Work Programme Minutes: Agreed.": the decision is what follows the label
                        found_at = sentence_start + cue.pattern.search(sentence).start()
                        label_end = found_at + 1 if text[found_at] == ":" else sentence_start
                        # "It was proposed by …, seconded by … and RESOLVED unanimously that the minutes …"
                        that = _RESOLVED_THAT.search(text, label_end, sentence_end)
                        if that and "," in text[label_end : that.start()]:  # a preamble of who moved it
                            label_end = that.start("that")
                        pieces.append((None, *_trim(text, label_end, sentence_end)))
            cell_text = text[cell_start:cell_end]
            for part, part_start, part_end in pieces:
                words = text[part_start:part_end]
                outcome = _best(cues["outcome"], words)
                carried = _best(cues["carried"], cell_text[part_end - cell_start :]) or _best(cues["carried"], words)
                out.append(_decision(item, part, words, outcome, carried, (part_start, part_end), cell_start))
    return out


def _inline_parts(text: str, start: int, end: int) -> list[tuple[str | None, int, int]]:
    """The parts `(1) …; (2) …` of a resolution written on one line; a short 'That the Board' before them is
    the preamble, not a part."""
    labels = list(_INLINE_PART.finditer(text, start, end))
    if not labels:  # "i. that …; and ii. that …": dotted labels count when the line has two or more
        dotted = list(_INLINE_DOTTED_PART.finditer(text, start, end))
        labels = dotted if len(dotted) >= 2 else []
    if not labels:
        return [(None, *_trim(text, start, end))]
    parts = []
    lead = _trim(text, start, labels[0].start())
    if lead[1] > lead[0] and not re.match(r"(?i)that\b[^.;]{0,40}$", text[lead[0] : lead[1]]):
        parts.append((None, *lead))
    for position, label in enumerate(labels):
        part_end = labels[position + 1].start() if position + 1 < len(labels) else end
        part_start, part_end = _trim(text, label.end(), part_end)
        if part_end > part_start:
            parts.append((label.group("label").lower(), part_start, part_end))
    return parts


def _tally(cues: dict, text: str) -> tuple[int | None, int | None, int | None] | None:
    for cue in cues["tally"]:
        match = cue.pattern.search(text)
        if match:
            abstain = match.groupdict().get("abstain")
            return _count(match.group("for")), _count(match.group("against")), _count(abstain) if abstain else None
    return None


def _context_tally(cues: dict, text: str, start: int, end: int) -> tuple[int | None, int | None, int | None] | None:
    """The tally stated in the item's text before a resolution, from the last sentence that states one and is
    not about another motion (an amendment's vote is not the resolution's)."""
    found = None
    for sentence_start, sentence_end in _sentences(text, start, end):
        sentence = text[sentence_start:sentence_end]
        stated = _tally(cues, sentence)
        if stated is not None and not _best(cues["other_motion"], sentence):
            found = stated
    return found


def _sentences(text: str, start: int, end: int):
    """(start, end) of each sentence of text[start:end] (the boundaries of `pipeline.text.sentence_bounds`)."""
    position = start
    for boundary in SENTENCE_END.finditer(text, start, end):
        sentence_start, sentence_end = _trim(text, position, boundary.end())
        if sentence_end > sentence_start:
            yield sentence_start, sentence_end
        position = boundary.end()
    sentence_start, sentence_end = _trim(text, position, end)
    if sentence_end > sentence_start:
        yield sentence_start, sentence_end


def _people_between(people: list[Person], start: int, end: int) -> list[Person]:
    return [p for p in people if start <= p.start and p.end <= end]


# the pieces of a list of members after a vote label: "County Councillors Baxendale, Eldridge and Ward"
_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b|&)\s*")
_MEMBER_TITLES = re.compile(
    r"^(?:(?:county|borough|city|town|parish)\s+)?(?:councill?ors?|cllrs?\.?|mr|mrs|ms|miss|dr)\s+", re.I
)
_LISTED_NAME = re.compile(r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,3}")  # capitals checked by _is_name


def _is_name(words: str) -> bool:
    """Capitalised words, a short lowercase particle between them allowed ("Ó Briain", "Rhys ap Gwilym")."""
    parts = words.split()
    return parts[0][0].isupper() and all(w[0].isupper() or (len(w) <= 3 and w.islower()) for w in parts)


def _listed_people(text: str, start: int, end: int, people: list[Person]) -> list[Person]:
    """The members a vote label's list names: the PERSON mentions in it, and each list piece that is a name
    the NER did not mark (a surname alone in a list is easy to miss), named by the document's full name."""
    marked = [p for p in _people_between(people, start, end) if not _LIST_SEPARATOR.search(p.name)]
    listed = list(marked)
    position = start
    for piece in _LIST_SEPARATOR.split(text[start:end]):
        piece = piece.strip()
        piece_start = text.find(piece, position, end) if piece else -1
        if piece_start < 0:
            continue
        position = piece_start + len(piece)
        title = _MEMBER_TITLES.match(piece)
        name_start = piece_start + (title.end() if title else 0)
        name = _LISTED_NAME.fullmatch(text, name_start, piece_start + len(piece.rstrip(" .;:")))
        if (
            name is None
            or not _is_name(name.group())
            or any(p.start < name.end() and name.start() < p.end for p in marked)
        ):
            continue
        listed.append(Person(name.start(), name.end(), name.group(), None))
    fresh = [p for p in listed if p not in marked]
    named = with_full_names([*people, *fresh])[len(people) :]
    return sorted([*marked, *named], key=lambda p: p.start)


def _votes(text: str, people: list[Person], cues: dict) -> list[dict]:
    votes = []
    labels = sorted(
        ((m.start(), m.end(), cue) for cue in cues["vote_label"] for m in cue.pattern.finditer(text)),
        key=lambda found: found[0],
    )
    for position, (_, label_end, cue) in enumerate(labels):
        line_end = text.find("\n", label_end)
        line_end = len(text) if line_end < 0 else line_end
        # a list may run on to the next lines until a blank line or the next label
        block_end = text.find("\n\n", label_end)
        block_end = len(text) if block_end < 0 else block_end
        next_label = labels[position + 1][0] if position + 1 < len(labels) else len(text)
        scope_end = min(next_label, max(line_end, block_end))
        for person in _listed_people(text, label_end, scope_end, people):
            votes.append({"person": person, "vote": cue.value, "evidence": f"cue:{cue.id}", "listed": True})
    labelled = {id(v["person"]) for v in votes}
    for cue in cues["person_vote"]:
        for match in cue.pattern.finditer(text):
            sentence_start, _ = sentence_bounds(text, match.start(), match.end())
            for person in _people_between(people, sentence_start, match.start()):
                if id(person) not in labelled:
                    votes.append({"person": person, "vote": cue.value, "evidence": f"cue:{cue.id}", "listed": False})
                    labelled.add(id(person))
    return sorted(votes, key=lambda v: v["person"].start)


# "items 6 and 7", "items 5, 7 and 9": the items after the first one
_MORE_ITEMS = re.compile(r"\s*(?:,|and|&)\s*(\d{1,3}[a-z]?)\b", re.IGNORECASE)
# an application or case reference ("15/00785/FUL", "19/74102/FUL") that names what an item considers
_CASE_REFERENCE = re.compile(r"\b[A-Z]{0,2}\d{2,4}/\d{3,6}(?:/[A-Z]{2,6})?\b")


def _more_items(text: str, position: int, end: int) -> list[str]:
    more = []
    while found := _MORE_ITEMS.match(text, position, end):
        more.append(found.group(1))
        position = found.end()
    return more


def _item_naming(text: str, sections: list[dict], start: int, end: int, item_at) -> str | None:
    """The number of the item whose text holds the case reference the declaration names, outside the item
    the declaration is made in; None when it names none."""
    reference = _CASE_REFERENCE.search(text, start, end)
    if reference is None:
        return None
    here = item_at(start)
    for found in re.finditer(re.escape(reference.group()), text):
        item = item_at(found.start())
        if item is not None and item is not here and item.get("item_number"):
            return item["item_number"]
    return None


def _interests(text: str, sections: list[dict], people: list[Person], cues: dict, item_at) -> list[dict]:
    rows, seen = [], set()
    for cue in cues["interest"]:
        for match in cue.pattern.finditer(text):
            sentence_start, sentence_end = sentence_bounds(text, match.start(), match.end())
            if (sentence_start, sentence_end) in seen:
                continue
            sentence = text[sentence_start:sentence_end]
            if _best(cues["no_interest"], sentence):
                continue
            declarers = _people_between(people, sentence_start, match.start())
            if not declarers:
                by = re.search(r"\bby\b", text[match.start() : sentence_end])
                if by:
                    declarers = _people_between(people, match.start() + by.end(), sentence_end)[:1]
            if not declarers:
                continue
            seen.add((sentence_start, sentence_end))
            kind = _best(cues["interest_kind"], sentence)
            # "in Minute No. 49/2025": the sentence splitter stops at "No.", the reference runs on
            reference = _ITEM_REF.search(text, match.start(), min(sentence_end + 40, len(text)))
            reference = reference if reference and reference.start() < sentence_end else None
            named_item = _item_naming(text, sections, match.start(), sentence_end, item_at)
            if reference:
                item_numbers = [reference.group("item"), *_more_items(text, reference.end(), sentence_end)]
            elif named_item is not None:
                item_numbers = [named_item]
            else:
                item = item_at(match.start())
                declarations_item = item is not None and _DECLARATIONS_ITEM.search(item.get("title") or "")
                item_numbers = [item.get("item_number") if item is not None and not declarations_item else None]
            reason_start = reason_end = None
            reason = _REASON.search(text, match.end(), sentence_end)
            if reason:
                stop = _REASON_END.search(text, reason.start(), sentence_end)
                reason_start, reason_end = _trim(text, reason.start(), stop.start() if stop else sentence_end)
                reason_end = reason_start + len(text[reason_start:reason_end].rstrip(" ,.;"))
            next_start, next_end = sentence_bounds(
                text, min(sentence_end + 1, len(text)), min(sentence_end + 2, len(text))
            )
            withdrew = _best(cues["withdrew"], sentence)
            if withdrew is None and next_end > sentence_end:
                following = text[next_start:next_end]
                if not any(cue.pattern.search(following) for cue in cues["interest"]):
                    withdrew = _best(cues["withdrew"], following)
            for person, item_number in ((p, n) for p in declarers for n in item_numbers):
                rows.append(
                    {
                        "person": person,
                        "item_number": item_number,
                        "kind": kind.value if kind else "unspecified",
                        "reason": text[reason_start:reason_end] if reason_start is not None else None,
                        "withdrew": withdrew is not None and withdrew.value == "yes",
                        "sentence": sentence,
                        "start_char": sentence_start,
                        "end_char": sentence_end,
                    }
                )
    return sorted(rows, key=lambda row: (row["start_char"], row["person"].start))


def decision_rows(
    doc_id: str,
    text: str,
    sections: list[dict],
    people: list[Person],
    section_of: Callable[[int], str | None],
    cues: dict | None = None,
) -> dict[str, list[dict]]:
    """The decisions, votes and interests rows of one document. people: its PERSON mentions in text order."""
    cues = cues or load_decision_cues()
    items = [s for s in sections if s["kind"] == "item"]

    def item_at(offset: int) -> dict | None:
        inside = [s for s in items if s["start_char"] <= offset < s["end_char"]]
        return min(inside, key=lambda s: s["end_char"] - s["start_char"]) if inside else None

    found = _decisions(text, sections, cues)
    found = sorted(found + _sentence_decisions(text, sections, cues, found), key=lambda d: d["start_char"])
    decision_rows_out = []
    for index, decision in enumerate(found):
        decision["decision_id"] = f"{doc_id}:d{index}"
    votes_out = []
    named: dict[str, list[str]] = {}
    for vote in _votes(text, people, cues):
        person = vote["person"]
        item = item_at(person.start)
        in_item = [d for d in found if item is not None and d["item_start"] == item["start_char"]]
        # a vote list before "the motion was lost" is on that motion, not on the resolution after it
        after = [
            d
            for d in in_item
            if d["start_char"] >= person.start and not _best(cues["motion_closed"], text[person.end : d["start_char"]])
        ]
        before = [d for d in in_item if d["end_char"] <= person.start]
        inside = [d for d in in_item if d["start_char"] <= person.start < d["end_char"]]
        decision = (inside or after or before[-1:] or [None])[0]
        decision_id = decision["decision_id"] if decision else None
        if decision_id and vote["listed"]:  # one member's recorded vote is not a count of the votes
            named.setdefault(decision_id, []).append(vote["vote"])
        votes_out.append(
            {
                "doc_id": doc_id,
                "decision_id": decision_id,
                "item_number": item.get("item_number") if item else None,
                "person": person.name,
                "person_id": None,  # assigned corpus-wide, as for attendance
                "vote": vote["vote"],
                "entity_id": person.entity_id,
                "evidence": vote["evidence"],
                "start_char": person.start,
                "end_char": person.end,
                "section_id": section_of(person.start),
            }
        )
    for decision in found:
        stated = _tally(cues, text[decision["start_char"] : decision["end_char"]])
        if stated is None:
            stated = _context_tally(cues, text, decision["context_start"], decision["start_char"])
        counted = named.get(decision["decision_id"])
        counts = None
        if counted:
            counts = (counted.count("for"), counted.count("against"), counted.count("abstain"))
        source = "both" if stated and counts else "stated" if stated else "named" if counts else None
        shown = stated or counts or (None, None, None)
        consistent = None
        if stated and counts:
            consistent = stated[0] == counts[0] and stated[1] == counts[1] and stated[2] in (None, counts[2])
        decision_rows_out.append(
            {
                "doc_id": doc_id,
                "decision_id": decision["decision_id"],
                "item_number": decision["item_number"],
                "item_title": decision["item_title"],
                "part": decision["part"],
                "text": decision["text"],
                "outcome": decision["outcome"],
                "carried": decision["carried"] or ("vote" if source else None),
                "votes_for": shown[0],
                "votes_against": shown[1],
                "votes_abstain": shown[2],
                "tally_source": source,
                "tally_consistent": consistent,
                "start_char": decision["start_char"],
                "end_char": decision["end_char"],
                "section_id": section_of(decision["start_char"]),
            }
        )
    interests_out = [
        {
            "doc_id": doc_id,
            "item_number": row["item_number"],
            "person": row["person"].name,
            "person_id": None,
            "kind": row["kind"],
            "reason": row["reason"],
            "withdrew": row["withdrew"],
            "entity_id": row["person"].entity_id,
            "sentence": row["sentence"],
            "start_char": row["start_char"],
            "end_char": row["end_char"],
            "section_id": section_of(row["start_char"]),
        }
        for row in _interests(text, sections, people, cues, item_at)
    ]
    return {"decisions": decision_rows_out, "votes": votes_out, "interests": interests_out}
