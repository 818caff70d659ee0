"""Attendance cues: the rule file is checked data, and the governing cue of a name wins."""

from __future__ import annotations

import json

import pytest

from pipeline.facts.attendance import Mention, attendance_rows
from pipeline.facts.cues import find_cues, govern, load_cue_rules
from pipeline.normalise.names import canonical_person
from pipeline.rules import RuleError


def _mentions(text: str, names: list[str]) -> list[Mention]:
    out = []
    for name in names:
        start = text.index(name)
        out.append(Mention(start, start + len(name), "PERSON", name))
    return out


def _statuses(text: str, names: list[str], ancestors=None) -> dict[str, str]:
    rows = attendance_rows(text, _mentions(text, names), [], {}, canonical_person, ancestors)
    return {row["person"]: row["status"] for row in rows}


def test_every_cue_applies_to_its_example():
    rules = load_cue_rules()
    assert len(rules) >= 20
    for rule in rules:
        assert rule.id


def test_a_cue_that_does_not_apply_to_its_example_is_an_error(tmp_path):
    path = tmp_path / "cues.jsonl"
    path.write_text(json.dumps({"id": "x", "pattern": "apologies", "after": "apologies", "example": "none"}) + "\n")
    with pytest.raises(RuleError, match="does not apply to its own example"):
        load_cue_rules(path)
    path.write_text(json.dumps({"id": "x", "pattern": "a", "after": "absent", "example": "a"}) + "\n")
    with pytest.raises(RuleError, match="must be one of"):
        load_cue_rules(path)


def test_the_cue_that_governs_the_list_wins_over_the_first_cue():
    text = (
        "All were welcomed to the meeting and apologies were received and noted from Ann Hale, Rob Tate and Jo Binns."
    )
    assert _statuses(text, ["Ann Hale", "Rob Tate", "Jo Binns"]) == dict.fromkeys(
        ["Ann Hale", "Rob Tate", "Jo Binns"], "apologies"
    )


def test_respectively_pairs_by_clause_without_a_parse():
    text = (
        "County Councillor Ian Moss replaced County Councillor Pat Lowe, and Councillors Kay Fenn and Lee Dorr "
        "replaced Councillor Max Pym and Ada Rook, respectively, for this meeting."
    )
    got = _statuses(text, ["Ian Moss", "Pat Lowe", "Kay Fenn", "Lee Dorr", "Max Pym", "Ada Rook"])
    assert got == {
        "Ian Moss": "substitute",
        "Pat Lowe": "apologies",
        "Kay Fenn": "substitute",
        "Lee Dorr": "substitute",
        "Max Pym": "apologies",
        "Ada Rook": "apologies",
    }


def test_membership_changes_and_appointments_are_not_attendance():
    for text, names in [
        (
            "To note that Cllr Ann Hale has replaced Cllr Rob Tate and Cllr Jo Binns joins the Panel.",
            ["Ann Hale", "Rob Tate", "Jo Binns"],
        ),
        ("Dee Mann will replace Tom Bell on the Board temporarily from March.", ["Dee Mann", "Tom Bell"]),
        ("Ann Hale and Rob Tate had been replaced by Jo Binns.", ["Ann Hale", "Rob Tate", "Jo Binns"]),
        (
            "The Board was informed that Ann Hale had replaced Rob Tate as Director of Children's Social Care.",
            ["Ann Hale", "Rob Tate"],
        ),
        (
            "To note the appointment of Ann Hale as Chair and Rob Tate as Deputy Chair for 2024/25.",
            ["Ann Hale", "Rob Tate"],
        ),
        ("Contact: Ann Hale  Tel 01632 960123", ["Ann Hale"]),
    ]:
        assert _statuses(text, names) == {}, text


def test_the_parse_decides_when_it_links_a_name_to_a_cue():
    text = "Ann Hale welcomed everyone and Rob Tate, who had been delayed, gave apologies."
    rules = load_cue_rules()
    cues = find_cues(text, 0, len(text), rules)
    tate = (text.index("Rob Tate"), text.index("Rob Tate") + 8)
    gave = text.index("gave")
    governed = govern(text, tate, cues, [tate], ancestors=[(gave, gave + 4)])
    assert governed.effect == "apologies" and governed.how == "parse"


def test_on_behalf_of_a_member_is_a_substitute_and_an_officer_deputy_attends():
    text = "Sam Ode attended on behalf of the Anytown Clinical Commissioning Group."
    assert _statuses(text, ["Sam Ode"]) == {"Sam Ode": "in_attendance"}
    text = "Councillor Sam Ode attended on behalf of Councillor Rob Tate."
    assert _statuses(text, ["Sam Ode", "Rob Tate"]) == {"Sam Ode": "substitute", "Rob Tate": "apologies"}
    text = "Sam Ode attended on behalf of Rob Tate, Director of Public Health."  # GUIDELINES 25
    assert _statuses(text, ["Sam Ode", "Rob Tate"]) == {"Sam Ode": "in_attendance", "Rob Tate": "apologies"}


def test_rows_say_their_evidence_and_score():
    text = "Apologies for absence were received from Ann Hale."
    rows = attendance_rows(text, _mentions(text, ["Ann Hale"]), [], {}, canonical_person)
    assert rows[0]["evidence"] == "cue:apologies_received/adjacent" and 0 < rows[0]["score"] <= 1
