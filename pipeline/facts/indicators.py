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

from ..text import cell_bounds, doc_text

NOUNS = {"NOUN", "PROPN"}
KEEP_LEFT = {"compound", "amod", "nmod", "poss", "case", "npadvmod", "advmod", "hmod", "hyph", "quantmod"}
KEEP_RIGHT = {"prep", "pobj", "acl", "relcl", "amod", "compound", "pcomp", "dobj", "prt", "advmod", "agent", "npadvmod"}
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
    "narrow",
    "widen",
    "average",
    "cost",
    "amount",
    "account",
    "represent",
    "exceed",
    "double",
    "halve",
    "peak",
    "hit",
    "equal",
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
# a noun the figure counts in says how it is counted, not what: "24 days", "6.8 years", "per 100,000 population"
UNIT_NOUNS = {
    "day",
    "week",
    "month",
    "year",
    "hour",
    "minute",
    "second",
    "population",
    "cent",
    "percent",
    "point",
    "time",
    "pound",
    "fte",
    "night",
    "mile",
    "km",
    "kilometre",
    "metre",
    "hectare",
    "tonne",
}
# money is measured by what it is for or comes from: "£340,000 for youth diversion projects", "£5.2m from the
# Pothole Fund", "invested £1.1m in neighbourhood mental health hubs"
MONEY_PURPOSE = {"for", "from", "towards", "on", "in", "to"}
# words that stand for a group named elsewhere ("63 of them", "82% of whom"): the sentence's measure applies
PRONOUNS = {"PRON", "DET"}
MAX_TOKENS = 10


def _blocked(token, blocked: set[int]) -> bool:
    return token.i in blocked or token.is_punct or token.like_num and token.ent_type_ in ("METRIC", "DATE")


def _pronoun_tail(pronoun, blocked: set[int]) -> list:
    """The words after "of them" up to the clause's end (a preposition before them dropped)."""
    tail = []
    for token in pronoun.doc[pronoun.i + 1 : pronoun.i + 1 + MAX_TOKENS]:
        if token.is_punct or token.is_space or _stops(token, blocked) or token.dep_ == "cc":
            break
        tail.append(token)
    while tail and tail[0].pos_ == "ADP":
        tail = tail[1:]
    return tail if any(t.pos_ in NOUNS or t.pos_ == "VERB" for t in tail) else []


def _stops(token, blocked: set[int]) -> bool:
    return token.ent_type_ in ("DATE", "METRIC") or token.i in blocked


def _pruned(token, blocked: set[int]) -> list:
    """`token`'s subtree without the branches that hold a date or a figure ("in temporary accommodation on
    31/12/2019" -> "in temporary accommodation"); empty when the token itself is one."""
    if _stops(token, blocked):
        return []
    kept = [token]
    for child in token.children:
        subtree = list(child.subtree)
        if not any(_stops(t, blocked) for t in subtree):
            kept += subtree
        elif child.dep_ not in ("prep", "npadvmod", "appos", "relcl", "conj", "cc", "punct", "advcl", "acl", "pobj"):
            kept += _pruned(child, blocked)
    return sorted(kept, key=lambda t: t.i)


def _phrase(noun, blocked: set[int], subject=None) -> list:
    """The noun with its modifiers and complements, left to right, without dates, figures and clauses."""
    keep = [noun]
    for child in noun.lefts:
        if child.dep_ in KEEP_LEFT and not any(_blocked(t, blocked) for t in child.subtree):
            keep += list(child.subtree)
    for child in noun.rights:
        coordinated = child.dep_ == "cc" or (
            child.dep_ == "conj" and child.pos_ in NOUNS
        )  # "speech and language therapy"
        if (child.dep_ not in KEEP_RIGHT and not coordinated) or child.is_punct:
            break
        pruned = _pruned(child, blocked)
        keep += pruned if len(pruned) > 1 or pruned == list(child.subtree) else []
        if pruned != list(child.subtree):
            break  # a date or another figure further right: what follows is about it
    if subject is not None and subject.dep_ in ("nsubj", "nsubjpass") and subject.head.pos_ in ("VERB", "AUX"):
        verb = subject.head
        keep.append(verb)
        for child in verb.rights:
            if child.dep_ in ("dobj", "prep", "xcomp", "acomp", "prt", "attr", "oprd"):
                pruned = _pruned(child, blocked)
                if len(pruned) > 1 or pruned == list(child.subtree):
                    keep += pruned
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
    if change is not None and noun is None and change.pos_ in NOUNS and change.i not in blocked:
        noun = change  # "a pooled budget of £38.2m", "a target of 625", "an increase of 6% on the previous year"
    if noun is None and of is None and "£" in ent.text:
        noun = _money_purpose(root, blocked)
    if noun is None and of is not None:
        counted = next((t for t in of.children if t.dep_ == "pobj"), None)
        if counted is not None and counted.pos_ in PRONOUNS:
            # "61% of them to people aged over 70", "nineteen of them awaiting a package of care": what follows
            # the pronoun says which of them; "63 of them" alone: what the sentence's other figure measures
            tail = _pronoun_tail(counted, blocked)
            return _within_cell(ent, counted, tail) if tail else None
        noun = counted if counted is not None and counted.pos_ in NOUNS else None
        share = noun is not None
    if noun is None and root.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") and root.head.pos_ in NOUNS:
        noun = root.head if root.head.i not in blocked else None
    if noun is not None and noun.lemma_.lower() in UNIT_NOUNS and noun.dep_ in COMPLEMENT_OF:
        unit, noun = noun, _reported_subject(noun)  # "the average age of the fleet was 6.8 years"
        if noun is None and unit.lemma_.lower() == "population":
            return None
    if noun is None and root.dep_ in COMPLEMENT_OF:
        noun = _reported_subject(root)
        verb = _governing_verb(root)
        if noun is None and verb is not None and verb.lemma_ not in REPORTING_VERBS:
            subject = next((t for t in verb.lefts if t.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.pos_ in NOUNS and subject.ent_type_ not in ("PERSON", "ORG"):
                # "the service had cost £642,000", "calls had risen by 32%": the subject and what it did
                return _within_cell(ent, subject, _phrase(subject, blocked, subject))
    if noun is None and root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ in ("VERB", "AUX"):
        # the figure is the subject: "11 had rent arrears", "34 had been recruited": what it did is measured
        verb = root.head
        tokens = [t for t in verb.lefts if t.dep_ in ("aux", "auxpass", "neg")] + [verb]
        complement = next(
            (t for t in verb.rights if t.dep_ in ("dobj", "prep", "acomp", "attr", "oprd", "xcomp", "ccomp")), None
        )
        if complement is not None and not any(
            t.ent_type_ in ("DATE", "METRIC") or t.i in blocked for t in complement.subtree
        ):
            tokens += list(complement.subtree)
        if verb.lemma_ != "be" or complement is not None:
            return _within_cell(ent, verb, sorted(tokens, key=lambda t: t.i)[:MAX_TOKENS])
    if noun is None and root.dep_ == "pobj" and root.head.lower_ in ("in", "for", "within"):
        verb = root.head.head  # "completed within 72 hours in 58% of cases": the clause is what is measured
        subject = next((t for t in verb.lefts if t.dep_ in ("nsubj", "nsubjpass")), None)
        if verb.pos_ in ("VERB", "AUX") and subject is not None and subject.pos_ in NOUNS:
            tokens = _phrase(subject, blocked, subject)
            return _within_cell(ent, subject, tokens)
    if noun is None or noun.ent_type_ in ("DATE", "PERSON") or noun.i in blocked:
        return None
    # the clause subject whose predicate completes a share or a count of people ("81% of respondents agreed …")
    subject = root if share else (noun if noun.lower_ in PEOPLE and root.dep_ == "nummod" else None)
    tokens = _phrase(noun, blocked, subject)
    return _within_cell(ent, noun, tokens)


def _money_purpose(root, blocked: set[int]):
    """The noun a sum is for, from or spent on: a preposition after the figure, on it or on the verb it is
    the object of; None when it names a date, a person or another figure."""
    preps = [t for t in root.rights if t.dep_ == "prep"]
    if root.dep_ == "dobj" and root.head.pos_ == "VERB":
        preps += [t for t in root.head.rights if t.dep_ == "prep" and t.i > root.i]
    for prep in sorted(preps, key=lambda t: t.i):
        if prep.lower_ not in MONEY_PURPOSE:
            continue
        thing = next((t for t in prep.children if t.dep_ == "pobj"), None)
        if thing is not None and thing.pos_ in NOUNS and thing.i not in blocked:
            if thing.ent_type_ not in ("DATE", "PERSON", "METRIC") and thing.lemma_.lower() not in UNIT_NOUNS:
                return thing
    return None


def _governing_verb(complement):
    """The verb a figure completes, directly or through a preposition ("rose to 611", "valued at £1.27bn")."""
    head = complement.head
    if head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") else None


def _reported_subject(complement):
    """The subject a figure is reported of: "the re-referral rate was 21%", "stay had reduced to 24 days"."""
    verb = _governing_verb(complement)
    if verb is not None and verb.lemma_ in REPORTING_VERBS:
        return next((t for t in verb.lefts if t.dep_ in ("nsubj", "nsubjpass", "expl") and t.pos_ in NOUNS), None)
    return None


def _within_cell(ent, noun, tokens) -> tuple[int, int] | None:
    """The offsets of `tokens` kept to the figure's line or table cell; None when the noun is outside it (a
    parse may run over several lines) or no word is left."""
    cell_start, cell_end = cell_bounds(doc_text(ent.doc), ent.start_char, ent.end_char)
    if not cell_start <= noun.idx < cell_end:
        return None
    tokens = [t for t in tokens if cell_start <= t.idx < cell_end and not t.is_space]
    if not tokens or not any(t.is_alpha for t in tokens):
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])
