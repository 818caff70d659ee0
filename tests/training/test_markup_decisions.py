"""The issue-17 directives of the .ann format: @decision, @vote, @tally, @interest and meta decisions=annotated."""

from __future__ import annotations

import pytest

from pipeline.training.markup import MarkupError, parse_ann

BODY = """@meta council="Anyshire County Council" committee="Planning Committee" layout=printed decisions=annotated
@@@
{{ROLE#t1|Councillors}} {{PERSON#p1|Ann Hale}}, {{PERSON#p2|Rob Tate}} and {{PERSON#p3|Jo Binns}} were present.

4. Declarations of Interest

{{ROLE#t2|Councillor}} {{PERSON#p4|Ann Hale}} declared a non-pecuniary interest in item 5 as a governor of
Anytown School and left the room.

5. Anytown School Expansion

Resolved: That:
(1) the report be noted.
(2) the report be noted.
(3) the expansion be approved
subject to the conditions in the report.

A recorded vote was taken. For: {{ROLE#t3|Councillors}} {{PERSON#p5|Tate}} and {{PERSON#p6|Binns}}.
Against: none. Abstention: {{ROLE#t4|Councillor}} {{PERSON#p7|Hale}}.
@@@
@rel p1 HAS_ROLE t1
@rel p2 HAS_ROLE t1
@rel p3 HAS_ROLE t1
@att p1 present
@att p2 present
@att p3 present
"""

GOOD = """@decision item=5 part=1 text="the report be noted." nth=1 outcome=noted
@decision item=5 part=2 text="the report be noted." nth=2 outcome=noted carried=unanimous
@decision item=5 part=3 text="the expansion be approved\\nsubject to the conditions in the report." outcome=approved
@vote p5 for item=5 name="Rob Tate"
@vote p6 for item=5 name="Jo Binns"
@vote p7 abstain item=5 name="Ann Hale"
@tally item=5 for=2 against=0 abstain=1
@interest p4 item=5 kind=non_pecuniary reason="as a governor of\\nAnytown School" withdrew=yes
"""


def parse(extra: str, body: str = BODY) -> dict:
    return parse_ann(body + extra, "written/w999_test.ann", splits={})


def test_good_lines_parse_with_offsets():
    record = parse(GOOD)
    text = record["text"]
    assert record["meta"]["decisions_annotated"] is True
    first, second, third = record["decisions"]
    assert (first["part"], second["part"], third["part"]) == ("1", "2", "3")
    assert text[first["start"] : first["end"]] == "the report be noted." and first["start"] < second["start"]
    assert text[third["start"] : third["end"]] == "the expansion be approved\nsubject to the conditions in the report."
    assert third["item"] == "5" and third["outcome"] == "approved" and third["carried"] is None
    assert second["carried"] == "unanimous"
    assert [(v["person"], v["vote"], v["item"]) for v in record["votes"]] == [
        ("Rob Tate", "for", "5"),
        ("Jo Binns", "for", "5"),
        ("Ann Hale", "abstain", "5"),
    ]
    assert record["tallies"][0]["for"] == 2 and record["tallies"][0]["abstain"] == 1
    interest = record["interests"][0]
    assert interest["person"] == "Ann Hale" and interest["kind"] == "non_pecuniary" and interest["withdrew"] is True
    assert text[interest["reason_start"] : interest["reason_end"]] == "as a governor of\nAnytown School"
    assert interest["dispensation"] is False


def test_files_without_the_directives_still_parse_and_are_not_annotated():
    record = parse("", BODY.replace(" decisions=annotated", ""))
    assert record["decisions"] == record["votes"] == record["tallies"] == record["interests"] == []
    assert record["meta"]["decisions_annotated"] is False
    assert record["relations"] and record["attendance"]  # the existing keys are unchanged


def test_interest_defaults_and_no_item():
    record = parse("@interest p4 kind=unspecified\n")
    assert record["interests"][0]["item"] is None and record["interests"][0]["withdrew"] is False
    assert record["interests"][0]["reason"] is None


@pytest.mark.parametrize(
    "line, message",
    [
        ('@decision item=5 text="the report be noted."', "occurs 2 times"),
        ('@decision item=5 text="the report be noted." nth=3', "occurs 2 time"),
        ('@decision item=5 text="the report be noted." nth=0', "nth must be"),
        ('@decision item=5 text="the plan be refused."', "does not occur"),
        ('@decision item=5 text="the expansion be approved subject to the conditions in the report."', "other spacing"),
        ('@decision item=5 text=" the expansion be approved"', "outer whitespace"),
        ("@decision item=5 outcome=noted", "text="),
        ('@decision item=5 text="the expansion be approved" outcome=accepted', "outcome must be"),
        ('@decision item=5 text="the expansion be approved" carried=yes', "carried must be"),
        ('@decision item=5 text="the expansion be approved" part=(3)', "part="),
        ('@decision item="Item 5" text="the expansion be approved"', "item="),
        ('@decision item=5. text="the expansion be approved"', "item="),
        ('@decision item=5 text="the expansion be approved" colour=red', "unknown key 'colour'"),
        ('@decision item=5 item=6 text="the expansion be approved"', "given twice"),
        ('@decision item=5 text="the expansion be approved" extra', "expected key=value"),
        ('@decision item=5 text="unclosed', "No closing quotation"),
        ("@vote p5 yes item=5", "vote must be one of"),
        ("@vote p5", "expected '@vote"),
        ("@vote t3 for item=5", "is ROLE, expected PERSON"),
        ("@vote p99 for item=5", "unknown id 'p99'"),
        ("@vote p5 for item=5 seat=3", "unknown key"),
        ("@vote p5 for item=5\n@vote p5 against item=5", "already has a @vote"),
        ("@tally item=5 against=1", "needs for=N"),
        ("@tally item=5 for=seven against=1", "whole number"),
        ("@tally item=5 for=-1 against=1", "whole number"),
        ("@tally item=5 for=2 against=0\n@tally item=5 for=3 against=0", "second @tally"),
        ("@interest p4 item=5", "needs kind="),
        ("@interest p4 item=5 kind=financial", "kind must be one of"),
        ("@interest p4 item=5 kind=personal withdrew=maybe", "withdrew must be"),
        ('@interest p4 item=5 kind=personal reason="as a trustee"', "reason 'as a trustee' does not occur"),
        ("@interest p4 item=5 kind=personal nth=2", "reason=, which is missing"),
        ("@interest kind=personal", "expected '@interest"),
        ("@interest t2 kind=personal", "is ROLE, expected PERSON"),
        ("@interest p4 item=5 kind=personal\n@interest p4 item=5 kind=personal", "already declared"),
        ("@verdict item=5", "unknown directive"),
    ],
)
def test_malformed_lines_name_the_file_and_line(line, message):
    with pytest.raises(MarkupError, match=message) as caught:
        parse(line + "\n")
    assert str(caught.value).startswith("written/w999_test.ann:")
    first_line = BODY.count("\n") + 1  # the line number of the first line after the body
    assert f"w999_test.ann:{first_line}" in str(caught.value) or f"w999_test.ann:{first_line + 1}" in str(caught.value)


def test_the_same_decision_twice_fails():
    line = '@decision item=5 text="the report be noted." nth=1\n'
    with pytest.raises(MarkupError, match="the same text as the @decision on line"):
        parse(line + line)


def test_tally_that_disagrees_with_a_recorded_vote_fails():
    votes = "@vote p5 for item=5\n@vote p6 for item=5\n@vote p7 abstain item=5\n"
    with pytest.raises(MarkupError, match="says for=3 but 2 @vote line"):
        parse(votes + "@tally item=5 for=3 against=0 abstain=1\n")
    with pytest.raises(MarkupError, match="says abstain=0 but 1 @vote"):
        parse(votes + "@tally item=5 for=2 against=0 abstain=0\n")
    with pytest.raises(MarkupError, match="says against=1 but 0"):
        parse(votes + "@tally item=5 for=2 against=1\n")
    assert parse(votes + "@tally item=5 for=2 against=0\n")["tallies"][0]["abstain"] is None  # not stated: not checked


def test_a_single_recorded_dissent_is_not_a_full_division():
    # "Councillor Hale asked that her vote against be recorded": one name, the tally counts everyone
    record = parse("@vote p7 against item=5\n@tally item=5 for=6 against=2\n")
    assert record["tallies"][0]["against"] == 2


def test_motion_separates_two_votes_on_one_item():
    lines = (
        "@vote p5 against item=5 motion=amendment\n@vote p6 for item=5 motion=amendment\n"
        "@tally item=5 motion=amendment for=1 against=1\n"
        "@vote p5 for item=5\n@vote p6 for item=5\n@vote p7 against item=5\n@tally item=5 for=2 against=1\n"
    )
    record = parse(lines)
    assert [t["motion"] for t in record["tallies"]] == ["amendment", None]
    with pytest.raises(MarkupError, match="says for=1 but 2"):
        parse(lines.replace("@tally item=5 for=2 against=1", "@tally item=5 for=1 against=1"))


def test_meta_decisions_takes_one_value():
    with pytest.raises(MarkupError, match="meta decisions must be 'annotated'"):
        parse("", BODY.replace("decisions=annotated", "decisions=partly"))


def test_proposals_are_valid_directives_for_a_seed():
    from pipeline.paths import REPO
    from pipeline.training.propose_decisions import body_text, propose

    path = REPO / "annotations/seeds/002_1e729bf3d69deb54.ann"
    lines = [line for line in propose(body_text(path)) if line.startswith("@decision")]
    assert any("part=1" in line and "outcome=noted" in line for line in lines)
    source = path.read_text(encoding="utf-8").split("\n# decisions")[0].replace(" decisions=annotated", "")
    record = parse_ann(source + "\n" + "\n".join(lines) + "\n", "seeds/002.ann")
    assert len(record["decisions"]) == len(lines)
