"""`minutes_titles`: office titles and name affixes after the NER, by the closed lists in `pipeline/patterns/`.

Office titles before a name are ROLEs and honorifics and post-nominals are outside a PERSON
(annotations/GUIDELINES.md). Both are closed classes, listed as data (`office_titles.jsonl`,
`name_affixes.jsonl`), while the NER learns them from examples and, on names it has not seen, sometimes
runs a title into the name (`County Councillor Mattis` as one ROLE or PERSON) or keeps `OBE`. This
component makes the convention hold whatever the NER did:

- an entity that starts with an office title followed by a name (its first word not a function word:
  `Mayor of London` stays) becomes ROLE (the title) + PERSON (the name);
- a PERSON directly after an unmarked office title gets the title as a ROLE;
- honorifics at the start of a PERSON and post-nominals at its end are trimmed off (spaces too), and the
  article before an ORG named for what it does (`The Youth Offending Team`);
- a name the NER left untagged right after an office title (`Councillor Lindqvist`: capitalised words or
  initials, at most four) is a PERSON;
- a name the NER cut at a surname particle (`Rhodri ap` + `Gwilym`) runs on over the capitalised words after
  the particle; a given name at a line end joins the surname that starts the next line (`Agnieszka` /
  `Nowak-Brennan`, minutes printed with hard line breaks); two PERSONs with one space between are one name
  (`Farid` `Uddin Chowdhury`); a PERSON that runs over a spaced dash ends before it (`Ann Hale - Anyshire
  Council`).

Reads and writes `doc.ents`; no weights; the lists are read when the component is created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..facts.titles import title_forms
from ..rules import NAME_AFFIX_RULES, RuleError, load_rule_file, rule_label
from ..text import doc_text

SPLIT_LABELS = ("PERSON", "ROLE", "ORG")
_SPACE = " \t\u00a0"


def load_name_affixes(path=None) -> dict[str, frozenset[str]]:
    """{"honorific": words, "post_nominal": words} from `name_affixes.jsonl`."""
    records = load_rule_file(NAME_AFFIX_RULES, _affix_rule, path)
    affixes: dict[str, set[str]] = {
        "honorific": set(),
        "post_nominal": set(),
        "org_article": set(),
        "org_generic_body": set(),
    }
    for rule in records:
        affixes[rule.kind] |= set(rule.words)
    return {kind: frozenset(words) for kind, words in affixes.items()}


@dataclass(frozen=True)
class _AffixRule:
    id: str
    kind: str
    words: tuple[str, ...]


def _affix_rule(record, where, index):
    values = NAME_AFFIX_RULES.check(record, where)
    if not all(isinstance(word, str) and word.strip() == word and word for word in values["words"]):
        raise RuleError(f"{rule_label(where, values['id'])}: 'words' must be non-empty strings without spaces")
    return _AffixRule(values["id"], values["kind"], tuple(values["words"]))


MAX_NAME_WORDS = 4
_SPACED_DASH = re.compile(r"[ \t\u00a0]+[-–—][ \t\u00a0]+")  # never inside a name: "Name - Organisation"
NAME_PARTICLES = frozenset(
    {"de", "da", "di", "dos", "du", "van", "von", "der", "den", "ter", "le", "la", "al", "el", "bin", "ap", "ab"}
)


def _name_word(token) -> bool:
    """A word that can be part of a name after a title: capitalised (`Lindqvist`, `O'Neill`, `Kerr-Menzies`)
    or an initial (`J`, `J.P.`); never a function word, a number or a word in capitals of a heading."""
    text = token.text
    if token.is_stop or token.like_num or token.is_punct or token.is_space:
        return False
    return (text[:1].isupper() and not text.isupper()) or bool(re.fullmatch(r"(?:[A-Z]\.?){1,3}", text))


def _strip_space(doc: Doc, span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    if end <= start:
        return None
    return span if (start, end) == (span.start, span.end) else Span(doc, start, end, label=span.label_)


class OfficeTitles:
    """The `minutes_titles` component (see the module docstring)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        forms, _ = title_forms()
        self.forms = sorted(forms, key=len, reverse=True)
        self.affixes = load_name_affixes()
        alternation = "|".join(re.escape(form) for form in self.forms)
        self.title_at_end = re.compile(rf"(?<![\w.'’-])({alternation})[{_SPACE}]+$")
        self.title_before_word = re.compile(rf"(?<![\w.'’-])({alternation})[{_SPACE}]+(\w)")
        # the longest form the text starts with that a space and at least one more character follow
        # (alternatives are tried in order, longest first)
        self.title_at_start = re.compile(rf"({alternation})(?=[{_SPACE}].)", re.DOTALL)

    def _leading_title(self, text: str) -> str | None:
        match = self.title_at_start.match(text)
        return match.group(1) if match else None

    def _trim_person(self, doc: Doc, span: Span) -> Span | None:
        start, end = span.start, span.end
        while end - start > 1 and doc[start].text in self.affixes["honorific"]:
            start += 1
        while end - start > 1 and doc[end - 1].text in self.affixes["post_nominal"]:
            end -= 1
        return Span(doc, start, end, label="PERSON") if end > start else None

    def _trim_org(self, doc: Doc, span: Span) -> Span:
        """`The Youth Offending Team` -> `Youth Offending Team`: the article is not part of a generic body's name."""
        if (
            len(span) > 2
            and span[0].text in self.affixes["org_article"]
            and span[-1].text in self.affixes["org_generic_body"]
        ):
            return Span(doc, span.start + 1, span.end, label="ORG")
        return span

    def _split(self, doc: Doc, ent: Span) -> list[Span]:
        form = self._leading_title(ent.text)
        if not form:
            return [ent]
        title = doc.char_span(ent.start_char, ent.start_char + len(form), label="ROLE")
        if title is None or title.end >= ent.end:
            return [ent]
        first = doc[title.end]
        if first.is_stop or first.is_punct or not (first.is_alpha or first.text[:1].isupper()):
            return [ent]  # "Mayor of London", "Councillor (Chair)": not a title before a name
        person = self._trim_person(doc, Span(doc, title.end, ent.end, label="PERSON"))
        return [title, person] if person is not None else [ent]

    def _names_after_titles(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A name the NER left untagged right after an office title (`Councillor Lindqvist (Chair)`): the run
        of capitalised words and initials after the title, up to four, on the title's line."""
        tagged = {i for e in ents for i in range(e.start, e.end)}
        found = []
        for match in self.title_before_word.finditer(doc_text(doc)):
            token_start = doc.char_span(match.start(2), match.end(2), alignment_mode="expand")
            if token_start is None or token_start.start in tagged:
                continue
            end = token_start.start
            while end < len(doc) and end - token_start.start < MAX_NAME_WORDS and end not in tagged:
                token = doc[end]
                if not (_name_word(token) or (end > token_start.start and token.text in NAME_PARTICLES)):
                    break
                end += 1
            while end > token_start.start and doc[end - 1].text in NAME_PARTICLES:
                end -= 1
            if end > token_start.start:
                person = self._trim_person(doc, Span(doc, token_start.start, end, label="PERSON"))
                if person is not None:
                    found.append(person)
                    tagged.update(range(person.start, person.end))
        return found

    def _repair_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Names cut at a particle or at a line break, joined again (see the module docstring)."""
        tagged = {i for e in ents for i in range(e.start, e.end)}
        out: list[Span] = []
        for ent in ents:
            if ent.label_ == "PERSON" and doc[ent.end - 1].text in NAME_PARTICLES:
                end = ent.end
                while end < len(doc) and end not in tagged and _name_word(doc[end]) and end - ent.start < 6:
                    end += 1
                if end > ent.end:
                    ent = Span(doc, ent.start, end, label="PERSON")
            if ent.label_ == "PERSON" and (dash := _SPACED_DASH.search(ent.text)):
                cut = doc.char_span(ent.start_char, ent.start_char + dash.start(), label="PERSON")
                ent = cut if cut is not None else ent  # "Ayşe Demir - Stoke-on-Trent City Council"
            previous = out[-1] if out else None
            gap = doc_text(doc)[previous.end_char : ent.start_char] if previous is not None else ""
            if (
                previous is not None
                and previous.label_ == ent.label_ == "PERSON"
                and previous.text[:1].isupper()
                and (gap.strip(_SPACE) == "\n" and len(previous) == 1 or gap in (" ", "\u00a0"))
            ):
                out[-1] = Span(doc, previous.start, ent.end, label="PERSON")
                continue
            out.append(ent)
        return out

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        ents: list[Span] = []
        for ent in doc.ents:
            if ent.label_ in SPLIT_LABELS:
                parts = self._split(doc, ent)
            else:
                parts = [ent]
            for part in parts:
                if part.label_ == "PERSON":
                    part = self._trim_person(doc, part) or part
                elif part.label_ == "ORG":
                    part = self._trim_org(doc, part)
                ents.append(part)
        ents = [trimmed for ent in ents if (trimmed := _strip_space(doc, ent)) is not None]
        ents = self._repair_names(doc, sorted(ents, key=lambda span: span.start))
        ents += self._names_after_titles(doc, ents)
        covered = [(e.start_char, e.end_char) for e in ents]
        for person in [e for e in ents if e.label_ == "PERSON"]:
            before = doc_text(doc)[max(0, person.start_char - 40) : person.start_char]
            match = self.title_at_end.search(before)
            if not match:
                continue
            start = person.start_char - len(before) + match.start(1)
            end = start + len(match.group(1))
            if any(a < end and start < b for a, b in covered):
                continue
            title = doc.char_span(start, end, label="ROLE")
            if title is not None:
                ents.append(title)
                covered.append((start, end))
        doc.ents = sorted(filter_spans(ents), key=lambda span: span.start)
        return doc


@Language.factory("minutes_titles", default_config={}, requires=["doc.ents"], assigns=["doc.ents"])
def make_office_titles(nlp: Language, name: str) -> OfficeTitles:
    return OfficeTitles(nlp, name)
