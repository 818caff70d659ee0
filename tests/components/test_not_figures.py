"""`minutes_not_figures`: telephone numbers, file sizes, item numbers are never DATE or METRIC."""

from __future__ import annotations

import json

import pytest

from pipeline.components.not_figures import load_not_figure_rules, not_figure_spans
from pipeline.rules import RuleError
from pipeline.tokenizer import blank_nlp

RULES = load_not_figure_rules()


def test_every_rule_matches_its_own_example():
    for rule in RULES:
        assert rule.regex.search(rule.example), rule.id


@pytest.mark.parametrize(
    "text",
    [
        "Tel: (01632) 960123",
        "0161 496 0000",
        "Mobile 07700 900123",
        "Direct line 0300 123 4567",
        "+44 161 496 0000",
        "Ext. 4421",
        "Minutes pdf icon PDF 145 KB",
        "Minute 45/19",
        "item 4.2",
        "jo.binns@anyshire.gov.uk",
    ],
)
def test_not_figures_are_found(text):
    assert not_figure_spans(text, RULES)


@pytest.mark.parametrize(
    "text",
    ["2,291 households", "15.3%", "48.2 per 10,000", "£4,260,000", "in 2017/18", "on 01/04/2019", "0.5 per 1,000"],
)
def test_figures_and_dates_are_left_alone(text):
    assert not not_figure_spans(text, RULES)


def _doc(text, ents):
    nlp = blank_nlp()
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(part), text.index(part) + len(part), label=label) for part, label in ents]
    return nlp, doc


def test_the_component_removes_dates_and_metrics_on_telephone_numbers_only():
    text = "Contact: Ann Hale Tel 01632 960123. There were 412 households on 3 May 2024."
    ents = [("Ann Hale", "PERSON"), ("01632", "DATE"), ("960123", "METRIC"), ("412", "METRIC"), ("3 May 2024", "DATE")]
    nlp, doc = _doc(text, ents)
    pipe = nlp.add_pipe("minutes_not_figures")
    kept = [(ent.text, ent.label_) for ent in pipe(doc).ents]
    assert kept == [("Ann Hale", "PERSON"), ("412", "METRIC"), ("3 May 2024", "DATE")]


def test_no_gold_date_or_metric_is_a_not_figure():
    """The rules never contradict the gold: a gold DATE/METRIC inside a match means a rule is too wide."""
    from pipeline.paths import BUILD

    gold = BUILD / "gold.jsonl"
    if not gold.is_file():
        pytest.skip("needs annotations/build (make train)")
    clashes = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        spans = not_figure_spans(record["text"], RULES)
        for span in record["spans"]:
            for start, end, labels, rule in spans:
                if span["label"] in labels and span["start"] < end and start < span["end"]:
                    clashes.append((record["meta"]["doc_name"], span["text"], rule))
    assert not clashes


def test_a_rule_that_misses_its_example_is_refused(tmp_path):
    path = tmp_path / "not_figures.jsonl"
    path.write_text(json.dumps({"id": "x", "pattern": "\\bKB\\b", "example": "145 MB"}) + "\n")
    with pytest.raises(RuleError, match="does not match its own example"):
        load_not_figure_rules(path)


def test_an_unknown_key_is_refused(tmp_path):
    path = tmp_path / "not_figures.jsonl"
    path.write_text(json.dumps({"id": "x", "pattern": "KB", "example": "KB", "label": "DATE"}) + "\n")
    with pytest.raises(RuleError, match="unknown key"):
        load_not_figure_rules(path)


def _titles_doc(text, ents):
    nlp, doc = _doc(text, ents)
    return nlp.add_pipe("minutes_titles")(doc)


def test_a_title_run_into_a_name_is_split_and_affixes_are_trimmed():
    doc = _titles_doc(
        "County Councillor Mattis and Dr Ann Hale OBE met the Mayor of London.",
        [("County Councillor Mattis", "ROLE"), ("Dr Ann Hale OBE", "PERSON"), ("Mayor of London", "ROLE")],
    )
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("County Councillor", "ROLE"),
        ("Mattis", "PERSON"),
        ("Ann Hale", "PERSON"),
        ("Mayor of London", "ROLE"),
    ]


def test_the_article_before_a_body_named_for_what_it_does_is_not_part_of_it():
    doc = _titles_doc(
        "The Youth Offending Team met The Children's Society and The Board.",
        [("The Youth Offending Team", "ORG"), ("The Children's Society", "ORG"), ("The Board", "ORG")],
    )
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Youth Offending Team", "ORG"),
        ("The Children's Society", "ORG"),  # a proper name keeps its article
        ("The Board", "ORG"),  # one word left is no name
    ]


def test_an_unmarked_title_before_a_person_becomes_a_role_and_an_untagged_name_after_a_title_a_person():
    doc = _titles_doc("Present: Councillors Ann Hale and Cllr Lindqvist (Chair).", [("Ann Hale", "PERSON")])
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Councillors", "ROLE"),
        ("Ann Hale", "PERSON"),
        ("Cllr", "ROLE"),
        ("Lindqvist", "PERSON"),
    ]


def test_a_title_before_a_function_word_or_a_heading_is_left_alone():
    doc = _titles_doc("County Councillors\n\nThe Councillor said THE COUNCILLOR WILL", [])
    assert [(e.text, e.label_) for e in doc.ents] == []
