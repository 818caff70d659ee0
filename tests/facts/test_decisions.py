"""Decisions, votes and interests (pipeline/facts/decisions.py) on real-format fixtures, with the PERSON
mentions given (the NER's job is tested elsewhere) and the packaged section rules."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.facts.decisions import Person, build_decision_cue, decision_rows, load_decision_cues
from pipeline.paths import REPO
from pipeline.rules import RuleError

FIXTURES = REPO / "tests" / "fixtures" / "decisions"
# more layouts, kept apart: the notebook-helper tests extract the whole decisions folder and count its rows
LAYOUTS = REPO / "tests" / "fixtures" / "decision_layouts"
NAME = re.compile(
    r"(?<=Councillor )[A-Z][a-z]+ [A-Z][\w']+|(?<=Councillors )[A-Z][a-z]+ [A-Z][\w']+"
    r"|(?<=, )[A-Z][a-z]+ (?:Ó )?[A-Z][\w']+(?= and|,|\n| \()|(?<=and )[A-Z][a-z]+ [A-Z][\w']+"
)


def rows_of(nlp, name: str) -> dict[str, list[dict]]:
    path = FIXTURES / name if (FIXTURES / name).is_file() else LAYOUTS / name
    text = path.read_text(encoding="utf-8")
    doc = nlp(text)
    people = [Person(m.start(), m.end(), m.group(), f"e{i}") for i, m in enumerate(NAME.finditer(text))]
    return decision_rows("doc-0", text, doc._.sections, people, lambda offset: None)


@pytest.fixture(scope="module")
def printed(nlp):
    return rows_of(nlp, "printed_recorded_vote.txt")


@pytest.fixture(scope="module")
def web(nlp):
    return rows_of(nlp, "web_tally_words.txt")


def test_every_resolution_is_a_decision_and_numbered_parts_are_rows(printed, web):
    decisions = [(d["item_number"], d["part"], d["text"], d["outcome"]) for d in printed["decisions"]]
    assert decisions == [
        (
            "3",
            None,
            "That the minutes of the meeting held on 4 February 2025 be confirmed as a correct record and "
            "signed by the Chair.",
            "approved",
        ),
        ("4", "1", "the revised School Transport Policy be approved;", "approved"),
        ("4", "2", "the Director of Education be asked to report back in six months.", None),
        ("5", None, "That the application be refused.", "refused"),
        ("6", None, "That consideration of the programme be deferred to the next meeting.", "deferred"),
    ]
    assert [(d["item_number"], d["part"], d["outcome"]) for d in web["decisions"]] == [
        ("20", "a", "amended"),
        ("20", "b", "approved"),
        ("21", None, "approved"),
        ("22", None, "noted"),
    ]
    assert all(d["text"] and not d["text"].lower().startswith(("resolved", "agreed")) for d in web["decisions"])


def test_how_a_decision_was_carried(printed, web):
    carried = {(d["item_number"], d["part"]): d["carried"] for d in printed["decisions"] + web["decisions"]}
    assert carried[("6", None)] == "unanimous"  # 'Resolved (unanimously):'
    assert carried[("4", "1")] == "vote"  # 'On being put to the vote' before it
    assert carried[("20", "a")] == "vote"  # 'was lost by two votes to three'
    assert carried[("3", None)] is None


def test_a_recorded_vote_gives_one_row_per_member_and_agrees_with_the_stated_tally(printed):
    votes = [(v["item_number"], v["person"], v["vote"]) for v in printed["votes"]]
    assert votes == [
        ("4", "Ann Hale", "for"),
        ("4", "Raj Patel", "for"),
        ("4", "Jo Binns", "for"),
        ("4", "Tom Reed", "against"),
        ("4", "Sam Ode", "abstain"),
        ("5", "Tom Reed", "against"),  # 'asked that his vote against the decision be recorded'
    ]
    first = printed["decisions"][1]
    assert (first["votes_for"], first["votes_against"], first["votes_abstain"]) == (3, 1, 1)
    assert first["tally_source"] == "both" and first["tally_consistent"] is True
    assert {v["decision_id"] for v in printed["votes"][:5]} == {first["decision_id"]}
    refused = printed["decisions"][3]
    assert printed["votes"][5]["decision_id"] == refused["decision_id"]
    assert refused["tally_source"] is None  # one member's recorded vote is not a count


def test_a_tally_that_disagrees_with_the_named_votes_is_flagged(web):
    charges = web["decisions"][2]
    assert [v["vote"] for v in web["votes"]] == ["for", "for", "for", "against"]
    assert (charges["votes_for"], charges["votes_against"]) == (3, 2)  # as stated
    assert charges["tally_source"] == "both" and charges["tally_consistent"] is False  # one 'against' is unnamed
    # "the amendment was put to the vote and was lost by two votes to three": the amendment's count, not the
    # resolution's that follows it
    resolution = web["decisions"][0]
    assert (resolution["votes_for"], resolution["votes_against"], resolution["tally_source"]) == (None, None, None)


def test_declarations_of_interest(printed, web):
    interests = [
        (i["person"], i["item_number"], i["kind"], i["reason"], i["withdrew"])
        for i in printed["interests"] + web["interests"]
    ]
    assert interests == [
        ("Jo Binns", "4", "non_pecuniary", "as a governor of Anytown Primary School", False),
        ("Sam Ode", "5", "disclosable_pecuniary", "because he owns land next to the site", True),
        ("Kofi Mensah", "20", "personal", "as a trustee of the Friends of Eastgate Library", False),
        ("Hannah Lloyd", "21", "prejudicial", "by virtue of her employment at the hospital", True),
    ]


def test_none_declared_gives_no_row(nlp):
    text = "1. Declarations of Interest\n\nNone were declared.\n\n2. Budget\n\nResolved: That the budget be noted.\n"
    doc = nlp(text)
    rows = decision_rows("d", text, doc._.sections, [], lambda offset: None)
    assert rows["interests"] == [] and [d["outcome"] for d in rows["decisions"]] == ["noted"]


def test_every_packaged_cue_matches_its_example():
    cues = {cue.id: cue for kind in load_decision_cues().values() for cue in kind}
    for line in (REPO / "pipeline" / "patterns" / "decision_cues.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert cues[record["id"]].pattern.search(record["example"]), record["id"]


@pytest.mark.parametrize(
    "record, message",
    [
        ({"id": "x", "kind": "outcome", "pattern": "noted", "example": "noted"}, "need a value"),
        ({"id": "x", "kind": "tally", "pattern": "(?P<for>{N}) to", "example": "3 to"}, "named groups"),
        ({"id": "x", "kind": "interest", "pattern": "declared", "value": "yes", "example": "declared"}, "no value"),
        ({"id": "x", "kind": "mood", "pattern": "x", "example": "x"}, "must be one of"),
    ],
)
def test_a_malformed_cue_is_refused_with_its_location(record, message):
    with pytest.raises(RuleError, match=message):
        build_decision_cue(record, "decision_cues.jsonl line 1", 0)


def test_resolutions_and_decision_words_inside_table_cells(nlp):
    rows = rows_of(nlp, "pipe_table_inline.txt")
    decisions = [(d["item_number"], d["part"], d["text"], d["outcome"], d["carried"]) for d in rows["decisions"]]
    assert decisions == [
        (
            "41",
            None,
            "That the minutes of the meeting held on 3 February 2025 be signed as a correct record.",
            "approved",
            "unanimous",
        ),
        ("42", "1", "welcomes the action plan;", None, None),
        ("42", "2", "asks for quarterly updates; and", None, None),
        ("42", "3", "recommends extra inspectors to the Cabinet Member.", None, None),
        ("43", None, "Noted.", "noted", None),
        ("44", None, "Agreed.", "approved", None),
    ]
    # "agenda items 42 and 43": one row per item
    assert [(i["person"], i["item_number"], i["kind"]) for i in rows["interests"]] == [
        ("Meera Pillai", "42", "non_registrable"),
        ("Meera Pillai", "43", "non_registrable"),
    ]


def test_aks_rows_a_lost_motion_and_a_case_reference(nlp):
    rows = rows_of(nlp, "aks_rows.txt")
    assert [(d["item_number"], d["text"]) for d in rows["decisions"]] == [
        ("13", "that the Minutes of the meeting held on 12th March, 2025 be approved as a correct record."),
        ("14", "that the licence be suspended for three months."),
        ("15", "that the fees for 2025/26 be approved."),
    ]
    # surnames alone in a vote list are members even where no PERSON mention marks them; the list before
    # "the motion was therefore lost" is on that motion, not on the resolution after it
    votes = [(v["person"], v["vote"], v["decision_id"]) for v in rows["votes"]]
    assert votes == [
        ("Carla Webb", "for", None),
        ("Bryn Lewis", "for", None),
        ("Helen Marsh", "against", None),
        ("Dev Patel", "against", None),
    ]
    # the application the declaration names is considered under item 14
    assert [(i["person"], i["item_number"], i["withdrew"]) for i in rows["interests"]] == [("Amir Khan", "14", True)]


def test_prefixed_minute_numbers_a_moved_resolution_and_dotted_parts(nlp):
    rows = rows_of(nlp, "prefixed_numbers.txt")
    assert [(d["item_number"], d["part"], d["text"]) for d in rows["decisions"]] == [
        ("HC/32/25", None, "that the minutes of the meeting held on 4 February 2025 be approved as a true record."),
        ("HC/33/25", "i", "that rents rise by 2.7%; and"),
        ("HC/33/25", "ii", "that service charges be frozen."),
        ("HC/34/25", None, "The Committee agreed its work programme for 2025/26."),
    ]
    assert [(i["person"], i["item_number"], i["kind"]) for i in rows["interests"]] == [
        ("Priya Rao", "HC/33/25", "personal")
    ]


def test_an_item_page_takes_its_number_from_the_meeting_line(nlp):
    rows = rows_of(nlp, "item_page_number.txt")
    assert [(d["item_number"], d["text"]) for d in rows["decisions"]] == [("9", "That planning permission be granted.")]
    # a surname alone keeps its form where the document names no one in full with it
    assert {(v["person"], v["vote"], v["item_number"], v["decision_id"]) for v in rows["votes"]} == {
        ("Nadia Kerr", "for", "9", None),
        ("Lyle", "for", "9", None),
        ("Rao", "against", "9", None),
        ("Tate", "against", "9", None),
    }


def test_articles_tabbed_vote_labels_and_sentence_decisions(nlp):
    rows = rows_of(nlp, "articles_tabs.txt")
    assert [(d["item_number"], d["text"]) for d in rows["decisions"]] == [
        ("2", "Following debate, the Committee RESOLVED to grant planning permission."),
        ("3/2025", "The minutes of the meeting of 2 May 2025 were approved."),
    ]
    # "Ó Briain" is a surname with its particle: the attendance list's "Colm Ó Briain"
    assert [(v["person"], v["vote"], v["item_number"]) for v in rows["votes"]] == [
        ("Iona Reid", "for", "2"),
        ("Colm Ó Briain", "for", "2"),
        ("Dev Sood", "against", "2"),
    ]
    assert [(i["person"], i["item_number"], i["withdrew"]) for i in rows["interests"]] == [("Ruth Mair", "2", True)]
