"""Office titles before names: the walk over the names a title governs, the gold re-annotation, the relation."""

from __future__ import annotations

from pipeline.facts.relations import Ent
from pipeline.facts.titles import title_pairs
from pipeline.paths import REPO
from pipeline.training.titles import load_office_titles, rewrite


def _ents(text, parts):
    ents, position = [], 0
    for index, (part, label) in enumerate(parts):
        start = text.index(part, position)
        ents.append(Ent(start, start + len(part), label, index))
        position = start + len(part)
    return ents


def _pairs(text, parts):
    return [(text[p.start : p.end], text[t.start : t.end]) for p, t in title_pairs(text, _ents(text, parts))]


def test_a_plural_title_governs_every_name_of_its_list():
    text = "Councillors Ann Hale (Chair), Mrs Rob Tate JP and Jo Binns replaced County Councillor Sam Ode."
    parts = [
        ("Councillors", "ROLE"),
        ("Ann Hale", "PERSON"),
        ("Chair", "ROLE"),
        ("Rob Tate", "PERSON"),
        ("Jo Binns", "PERSON"),
        ("County Councillor", "ROLE"),
        ("Sam Ode", "PERSON"),
    ]
    assert _pairs(text, parts) == [
        ("Ann Hale", "Councillors"),
        ("Rob Tate", "Councillors"),
        ("Jo Binns", "Councillors"),
        ("Sam Ode", "County Councillor"),
    ]


def test_a_singular_title_governs_one_name_and_a_role_after_a_name_is_no_title():
    text = "Councillor Ann Hale, Rob Tate and the Chair, Jo Binns."
    parts = [
        ("Councillor", "ROLE"),
        ("Ann Hale", "PERSON"),
        ("Rob Tate", "PERSON"),
        ("Chair", "ROLE"),
        ("Jo Binns", "PERSON"),
    ]
    assert _pairs(text, parts) == [("Ann Hale", "Councillor")]


def test_a_title_on_its_own_line_governs_nothing():
    text = "County Councillors\nAnn Hale"
    assert _pairs(text, [("County Councillors", "ROLE"), ("Ann Hale", "PERSON")]) == []


def test_the_rewrite_marks_titles_joins_people_and_is_idempotent():
    source = (
        '@meta council="X" committee="Y" layout=printed\n@@@\n'
        "Apologies were received from County Councillors {{PERSON|Ann Hale}} and {{PERSON#p1|Rob Tate}}.\n"
        "Mr {{PERSON|Jo Binns}} attended.\n@@@\n@rel p1 HAS_ROLE r9\n"
    )
    titles = load_office_titles()
    new, changes, relations = rewrite(source, titles)
    assert "{{ROLE#t1|County Councillors}} {{PERSON#pt1|Ann Hale}} and {{PERSON#p1|Rob Tate}}" in new
    assert "Mr {{PERSON|Jo Binns}}" in new  # an honorific is not an office title
    assert relations == ["@rel pt1 HAS_ROLE t1", "@rel p1 HAS_ROLE t1"]
    assert rewrite(new, titles)[1] == []


def test_no_gold_file_has_an_office_title_left_unmarked():
    titles = load_office_titles()
    left = [
        path.name
        for path in sorted((REPO / "annotations").glob("*/*.ann"))
        if rewrite(path.read_text(encoding="utf-8"), titles)[1]
    ]
    assert left == [], "run: python -m pipeline.training.titles --write " + " ".join(left)


def test_the_relation_step_joins_a_plural_title_to_each_name_and_keeps_it_out_of_attendance_roles():
    from pipeline.tokenizer import blank_nlp

    text = "Present: Councillors Ann Hale (Chair) and Rob Tate."
    nlp = blank_nlp()
    nlp.add_pipe("minutes_sections").initialize()  # before the ruler: it runs earlier pipes on its patterns
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "ROLE", "pattern": "Councillors"},
            {"label": "ROLE", "pattern": "Chair"},
            {"label": "PERSON", "pattern": "Ann Hale"},
            {"label": "PERSON", "pattern": "Rob Tate"},
        ]
    )
    nlp.add_pipe("minutes_normalise")
    nlp.add_pipe("minutes_relations", config={"use_model": False}).initialize()
    doc = nlp(text)
    has_role = {
        (text[r["head"][0] : r["head"][1]], text[r["tail"][0] : r["tail"][1]], r["evidence"]) for r in doc._.relations
    }
    assert ("Ann Hale", "Councillors", "rule:title_before_name") in has_role
    assert ("Rob Tate", "Councillors", "rule:title_before_name") in has_role
    assert ("Ann Hale", "Chair", "rule:adjacent") in has_role
    roles = {row["person"]: row["role"] for row in doc._.attendance}
    assert roles.get("Ann Hale") == "Chair" and roles.get("Rob Tate") is None
