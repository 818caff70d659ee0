"""Tokenizer adjustments for minutes: bullets, Word bookmark residue and money abbreviations.

Applied through the `minutes_tokenizer.v1` callback (`[nlp] after_creation` in the configs, registered
as a `spacy_callbacks` entry point), so training, evaluation and `spacy.load` all tokenize alike.
Entity boundaries in the gold data must fall on token boundaries; these rules make the common cases do so.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

EXTRA_PREFIXES = [r"·", r"•", r"\u2022", r"\u00b7"]
EXTRA_SUFFIXES = [r"(?<=\dm)\.", r"(?<=\dk)\.", r"(?<=\dbn)\.", r"(?<=\d%)\.", r"·"]
DROPPED_SPECIAL_CASES = {"m.", "k."}
EXTRA_INFIXES = [r"(?<=[\]\)])(?=[A-Za-z])", r"(?<=[a-z])(?=[·•])", r"(?<=[0-9])(?=[–—])", r"(?<=[–—])(?=[0-9£])"]


def customize_tokenizer(nlp: Language) -> Language:
    tok = nlp.tokenizer
    tok.prefix_search = compile_prefix_regex(list(nlp.Defaults.prefixes) + EXTRA_PREFIXES).search
    tok.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + EXTRA_SUFFIXES).search
    tok.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + EXTRA_INFIXES).finditer
    # "£9.7m." ends a sentence far more often in minutes than "m." abbreviates anything
    tok.rules = {k: v for k, v in tok.rules.items() if k not in DROPPED_SPECIAL_CASES}
    return nlp


@spacy.registry.callbacks("minutes_tokenizer.v1")
def make_customizer():
    return customize_tokenizer


def blank_nlp() -> Language:
    """A blank English pipeline with the minutes tokenizer: what gold data and rules-only runs use."""
    return customize_tokenizer(spacy.blank("en"))
