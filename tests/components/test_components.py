"""Component contracts: what each factory requires and assigns, and the standard battery over every factory.

`analyze_pipes` on the shipped pipelines finds no missing requirement; each factory survives an empty doc,
`to_disk` -> `spacy.load` in a fresh interpreter (entry points only) with the same output, and where a
component needs initialising, using it before that raises a clear error.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points

import pytest
from spacy.language import Language

from pipeline._extensions import DOC_EXTENSIONS
from pipeline.components.relation_extractor import RelationsNotInitializedError
from pipeline.paths import REPO
from pipeline.tokenizer import blank_nlp
from tests.helpers import MODEL

SHORT_TEXT = (REPO / "tests" / "fixtures" / "layouts" / "printed_minute_numbers.txt").read_text(encoding="utf-8")

# Entities for the short text, so the post-NER components have something to work on without a trained NER.
ENTITY_PATTERNS = [
    *({"label": "PERSON", "pattern": name} for name in ("A Bell", "C Dunn", "E Fry", "G Hill", "J King")),
    {"label": "ROLE", "pattern": "Chair"},
    {"label": "ROLE", "pattern": "Director of Public Health"},
    {"label": "ORG", "pattern": "Westborough Metropolitan Borough Council"},
    {"label": "DATE", "pattern": "9 January 2019"},
    {"label": "METRIC", "pattern": [{"TEXT": "4.2"}, {"LOWER": "per"}, {"TEXT": "100,000"}]},
]


def relation_records() -> list[dict]:
    """A gold record the pair classifier can learn from (one relation no layout rule decides)."""
    text = "Ann Bell who is our Head of Finance spoke. Tom Fry spoke."
    person, role, other = text.index("Ann Bell"), text.index("Head of Finance"), text.index("Tom Fry")
    spans = [
        {"start": person, "end": person + 8, "label": "PERSON", "id": "p1"},
        {"start": role, "end": role + 15, "label": "ROLE", "id": "r1"},
        {"start": other, "end": other + 7, "label": "PERSON", "id": "p2"},
    ]
    relations = [{"head_id": "p1", "child_id": "r1", "label": "HAS_ROLE"}]
    return [{"text": text, "spans": spans, "relations": relations}] * 20


# factory -> the pipe names of a suitable pipeline that ends with it
PIPELINES = {
    "minutes_sections": ["minutes_sections"],
    "minutes_titles": ["minutes_sections", "entity_ruler", "minutes_titles"],
    "minutes_not_figures": ["minutes_sections", "entity_ruler", "minutes_not_figures"],
    "minutes_normalise": ["minutes_sections", "entity_ruler", "minutes_normalise"],
    "minutes_relations": ["minutes_sections", "entity_ruler", "minutes_normalise", "minutes_relations"],
}
# factories whose component raises when used before initialisation (the others have nothing to initialise)
NEEDS_INITIALISING = {"minutes_sections", "minutes_relations"}
# every factory the package registers (pyproject.toml entry points)
FACTORY_POINTS = [point for point in entry_points(group="spacy_factories") if point.name.startswith("minutes_")]
OUR_FACTORIES = sorted(point.name for point in FACTORY_POINTS)
for point in FACTORY_POINTS:
    point.load()  # registers the factory, so its meta can be read without building a pipeline first


def pipeline_for(factory: str, initialise_it: bool = True) -> Language:
    """A blank pipeline ending with `factory`; every component initialised (the last one only if asked)."""
    nlp = blank_nlp()
    for name in PIPELINES[factory]:
        nlp.add_pipe(name)
    for name, pipe in nlp.pipeline:
        if name == factory and not initialise_it:
            continue
        if name == "entity_ruler":
            pipe.add_patterns(ENTITY_PATTERNS)  # EntityRuler.initialize would clear them
        elif name == "minutes_relations":
            pipe.initialize(records=relation_records())
        elif hasattr(pipe, "initialize"):
            pipe.initialize()
    return nlp


def doc_output(doc) -> dict:
    """Everything the pipeline writes on a Doc, as JSON-able values."""
    out = {"ents": [[ent.start_char, ent.end_char, ent.label_] for ent in doc.ents]}
    return out | {name: getattr(doc._, name) for name in DOC_EXTENSIONS}


FRESH_PROCESS = """
import json, sys
import spacy
nlp = spacy.load(sys.argv[1])
doc = nlp(open(sys.argv[2], encoding="utf-8").read())
from pipeline._extensions import DOC_EXTENSIONS
out = {"ents": [[ent.start_char, ent.end_char, ent.label_] for ent in doc.ents]}
print(json.dumps(out | {name: getattr(doc._, name) for name in DOC_EXTENSIONS}))
"""


def test_every_factory_is_in_the_battery():
    assert OUR_FACTORIES == sorted(PIPELINES)


def problems(nlp: Language) -> dict[str, list[str]]:
    """Per component, the attributes it requires that no earlier component assigns (empty lists dropped)."""
    return {name: missing for name, missing in nlp.analyze_pipes(pretty=False)["problems"].items() if missing}


@pytest.mark.skipif(not (MODEL / "meta.json").is_file(), reason="no trained model in models/cnn")
def test_shipped_pipeline_meets_every_requirement():
    from pipeline.nlp import load_nlp

    nlp = load_nlp(MODEL)
    assert nlp.pipe_names == [
        "minutes_sections",
        *("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"),  # the pretrained base, frozen
        "ner",
        *("minutes_titles", "minutes_not_figures", "minutes_normalise", "minutes_relations"),
    ]
    assert problems(nlp) == {}


def test_rules_only_pipeline_lacks_nothing_but_entities():
    """Without a model nothing sets doc.ents: normalise and relations run and write empty lists.
    Any other missing requirement (say relations before normalise) fails here."""
    from pipeline.nlp import load_nlp

    nlp = load_nlp(None)
    assert nlp.pipe_names == ["minutes_sections", "minutes_normalise", "minutes_relations"]
    assert problems(nlp) == {"minutes_normalise": ["doc.ents"], "minutes_relations": ["doc.ents"]}


def test_requirements_are_declared():
    normalise = Language.get_factory_meta("minutes_normalise")
    relations = Language.get_factory_meta("minutes_relations")
    assert set(normalise.requires) == {"doc.ents", "doc._.meeting", "doc._.sections"}
    assert set(normalise.assigns) == {"doc._.norms", "doc._.metrics"}
    assert set(relations.requires) == {"doc.ents", "doc._.norms", "doc._.sections"}
    assert set(relations.assigns) == {"doc._.relations", "doc._.attendance"}
    declared = {attr for name in OUR_FACTORIES for attr in Language.get_factory_meta(name).assigns}
    assert {f"doc._.{name}" for name in DOC_EXTENSIONS} <= declared  # every extension has an assigning component


def test_extensions_registered_in_one_module_only():
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "pipeline").rglob("*.py")
        if path.name != "_extensions.py" and ".set_extension(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.parametrize("factory", sorted(PIPELINES))
def test_battery_empty_doc(factory):
    nlp = pipeline_for(factory)
    assert problems(nlp) == {}
    doc = nlp("")
    for attr in Language.get_factory_meta(factory).assigns:
        if attr.startswith("doc._."):
            assert getattr(doc._, attr.removeprefix("doc._.")) is not None, attr


@pytest.mark.parametrize("factory", sorted(PIPELINES))
def test_battery_disk_round_trip_in_a_fresh_process(factory, tmp_path):
    nlp = pipeline_for(factory)
    expected = json.loads(json.dumps(doc_output(nlp(SHORT_TEXT))))
    for attr in Language.get_factory_meta(factory).assigns:
        if attr.startswith("doc._."):
            assert expected[attr.removeprefix("doc._.")], f"{attr} is empty on the short text: a weak check"
    nlp.to_disk(tmp_path / "pipeline")
    text_file = tmp_path / "text.txt"
    text_file.write_text(SHORT_TEXT, encoding="utf-8")
    # spacy.load in a fresh interpreter, the factories found through entry points only
    run = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(tmp_path / "pipeline"), str(text_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout) == expected


@pytest.mark.parametrize("factory", sorted(PIPELINES))
def test_battery_use_before_initialise(factory):
    nlp = pipeline_for(factory, initialise_it=False)
    if factory not in NEEDS_INITIALISING:
        assert not hasattr(nlp.get_pipe(factory), "initialize")  # nothing to initialise: it just runs
        nlp(SHORT_TEXT)
        return
    with pytest.raises((ValueError, RuntimeError), match=r"nlp\.initialize\(\)"):
        nlp(SHORT_TEXT)


def test_relations_without_records_or_model_need_no_classifier():
    nlp = pipeline_for("minutes_relations", initialise_it=False)
    relations = nlp.get_pipe("minutes_relations")
    with pytest.raises(RelationsNotInitializedError, match="use_model"):
        nlp(SHORT_TEXT)
    relations.initialize()  # no records: the layout rules only, on purpose
    ruled = nlp(SHORT_TEXT)._.relations
    assert ruled and all(rel["evidence"].startswith("rule:") for rel in ruled)

    rules_only = blank_nlp()
    for name in PIPELINES["minutes_relations"][:-1]:
        rules_only.add_pipe(name)
    rules_only.get_pipe("minutes_sections").initialize()
    rules_only.get_pipe("entity_ruler").add_patterns(ENTITY_PATTERNS)
    rules_only.add_pipe("minutes_relations", config={"use_model": False})  # not initialised: nothing to initialise
    assert rules_only(SHORT_TEXT)._.relations == ruled
