"""What a figure measures, read from the dependency parse: the noun a number counts, the subject it reports.

- `612 children looked after` / `1,204 children subject to a plan`: the number modifies a noun (nummod);
  the indicator is that noun with its modifiers and complements ("children looked after in the authority");
- `81 per cent of respondents agreed with the proposal`, `90% of primary schools`: the noun after "of";
  for a share of people, what they did is part of what is measured ("respondents agreed with the proposal");
- `the re-referral rate was 21%`, `the number of children looked after had increased to 1,548`: the figure
  is the complement of a verb; the indicator is the verb's subject.

Dates, other figures, relative clauses, appositions and coordinated phrases are left out. Works on spaCy
tokens (a parsed Doc); `minutes_normalise` uses it for figures in prose, and the layout rules in
`pipeline.facts.metrics` for list lines and tables.
"""

from __future__ import annotations

from ..text import doc_text

NOUNS = {"NOUN", "PROPN"}
KEEP_LEFT = {"compound", "amod", "nmod", "poss", "case", "npadvmod", "advmod", "hmod", "hyph", "quantmod"}
KEEP_RIGHT = {"prep", "pobj", "acl", "amod", "compound", "pcomp", "dobj", "prt", "advmod", "agent", "npadvmod"}
COMPLEMENT_OF = {"attr", "dobj", "pobj", "acomp", "oprd", "npadvmod", "appos", "conj"}
REPORTING_VERBS = {
    "be",
    "stand",
    "increase",
    "decrease",
    "rise",
    "fall",
    "reduce",
    "grow",
    "drop",
    "reach",
    "remain",
    "total",
    "improve",
    "go",
    "climb",
    "decline",
    "change",
    "show",
    "achieve",
    "report",
    "record",
}
# "an increase of 1.99% in the fire element", "a council tax increase of 2.99 per cent": the change is of the thing
CHANGE_NOUNS = {
    "increase",
    "decrease",
    "rise",
    "fall",
    "reduction",
    "cut",
    "growth",
    "overspend",
    "underspend",
    "uplift",
    "change",
    "drop",
    "saving",
    "savings",
    "improvement",
}
# a share of these people is measured with what they did: "81% of respondents agreed with the proposal"
PEOPLE = {
    "people",
    "members",
    "respondents",
    "residents",
    "participants",
    "pupils",
    "students",
    "staff",
    "children",
    "parents",
    "carers",
    "adults",
    "families",
    "households",
    "councillors",
    "schools",
}
MAX_TOKENS = 10


def _blocked(token, blocked: set[int]) -> bool:
    return token.i in blocked or token.is_punct or token.like_num and token.ent_type_ in ("METRIC", "DATE")


def _phrase(noun, blocked: set[int], subject=None) -> list:
    """The noun with its modifiers and complements, left to right, without dates, figures and clauses."""
    keep = [noun]
    for child in noun.lefts:
        if child.dep_ in KEEP_LEFT and not any(_blocked(t, blocked) for t in child.subtree):
            keep += list(child.subtree)
    for child in noun.rights:
        if child.dep_ not in KEEP_RIGHT or child.is_punct:
            break
        subtree = [t for t in child.subtree]
        if any(t.ent_type_ == "DATE" or t.i in blocked for t in subtree):
            break
        keep += subtree
    if subject is not None and subject.dep_ in ("nsubj", "nsubjpass") and subject.head.pos_ in ("VERB", "AUX"):
        verb = subject.head
        keep.append(verb)
        for child in verb.rights:
            if child.dep_ in ("dobj", "prep", "xcomp", "acomp", "prt", "attr") and not any(
                t.ent_type_ == "DATE" or t.i in blocked for t in child.subtree
            ):
                keep += list(child.subtree)
                break
    tokens = sorted({t.i: t for t in keep}.values(), key=lambda t: t.i)
    while tokens and (tokens[0].dep_ == "det" or tokens[0].is_punct):
        tokens = tokens[1:]
    return tokens[:MAX_TOKENS]


def parse_indicator(ent) -> tuple[int, int] | None:
    """(start_char, end_char) of what the METRIC span `ent` measures, from the parse; None when it says nothing."""
    doc = ent.doc
    blocked = set(range(ent.start, ent.end))
    root = ent.root
    noun = None
    share = False
    of = next((t for t in root.rights if t.dep_ == "prep" and t.lower_ == "of"), None)
    if of is None and ent.end < len(doc) and doc[ent.end].lower_ == "of" and doc[ent.end].head.i in blocked:
        of = doc[ent.end]
    change = root.head.head if root.dep_ == "pobj" and root.head.lower_ == "of" else None
    if change is not None and change.lemma_.lower() in CHANGE_NOUNS:
        of = None
        target = next((t for t in change.rights if t.dep_ == "prep" and t.lower_ in ("in", "on", "to")), None)
        thing = next((t for t in target.children if t.dep_ == "pobj"), None) if target is not None else None
        if thing is not None and thing.pos_ in NOUNS and thing.ent_type_ not in ("DATE", "METRIC"):
            noun = thing  # "an increase of 1.99% in the fire and rescue element of council tax"
        elif any(t.dep_ in ("compound", "amod", "nmod") for t in change.lefts):
            noun = change  # "a council tax increase of 2.99 per cent"
    if noun is None and of is not None:
        noun = next((t for t in of.children if t.dep_ == "pobj" and t.pos_ in NOUNS), None)
        share = noun is not None
    if noun is None and root.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and root.head.pos_ in NOUNS:
        noun = root.head if root.head.i not in blocked else None
    if noun is None and root.dep_ in COMPLEMENT_OF:
        head = root.head
        if head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
            head = head.head
        if head.pos_ in ("VERB", "AUX") and head.lemma_ in REPORTING_VERBS:
            noun = next((t for t in head.lefts if t.dep_ in ("nsubj", "nsubjpass", "expl") and t.pos_ in NOUNS), None)
    if noun is None or noun.ent_type_ in ("DATE", "PERSON") or noun.i in blocked:
        return None
    # the clause subject whose predicate completes a share or a count of people ("81% of respondents agreed …")
    subject = root if share else (noun if noun.lower_ in PEOPLE and root.dep_ == "nummod" else None)
    tokens = _phrase(noun, blocked, subject)
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, noun.idx) + 1
    line_end = text.find("\n", noun.idx)
    line_end = len(text) if line_end == -1 else line_end
    tokens = [t for t in tokens if line_start <= t.idx < line_end and not t.is_space]  # the noun's line only
    if not tokens or not any(t.is_alpha for t in tokens):
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])
