"""Meeting metadata (doc._.meeting): seeds, one invented example per layout, normalisers, rule validation."""

import json

import pytest
import spacy

from pipeline.components.sections import SectionSplitter
from pipeline.components.sections.meeting import (
    DEFAULT_MEETING_PATTERNS,
    RuleError,
    extract_meeting,
    load_meeting_rules,
    title_case_capitals,
    validate_meeting_rule,
)
from pipeline.paths import REPO
from tests.helpers import seed_text

ROOT = REPO
CORPUS = ROOT / "corpus"
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"


SEED_MEETINGS = {
    "000": {
        "council": "Lancashire County Council",
        "committee": "Children's Services Scrutiny Committee",
        "meeting_date": "2019-04-10",
        "meeting_time": "10:30",
        "venue": "Committee Room 'B' - The Diamond Jubilee Room, County Hall, Preston",
    },
    # "Children's Services Scrutiny Committee - Briefing Session": the committee is the body that met
    "001": {
        "council": "Lancashire County Council",
        "committee": "Children's Services Scrutiny Committee",
        "meeting_date": "2016-02-09",
        "meeting_time": "11:00",
        "venue": "Cabinet Room C, County Hall, Preston",
    },
    # "in Teams Virtual Meeting - Teams"
    "002": {
        "council": "Lancashire County Council",
        "committee": "Education and Children's Services Scrutiny Committee",
        "meeting_date": "2021-03-11",
        "meeting_time": "10:30",
        "venue": "virtual meeting",
    },
    # no council line: the contact address @lancashire.gov.uk names it
    "003": {
        "council": "Lancashire County Council",
        "committee": "Internal Scrutiny Committee",
        "meeting_date": "2013-11-08",
        "meeting_time": "10:00",
        "venue": "Committee Room 'B' - The Diamond Jubilee Room, County Hall, Preston",
    },
    "004": {
        "council": "Lancashire County Council",
        "committee": "Corporate Parenting Board",
        "meeting_date": "2019-11-26",
        "meeting_time": "18:00",
        "venue": "Committee Room 'C' - The Duke of Lancaster Room, County Hall, Preston",
    },
}


@pytest.mark.parametrize("prefix", sorted(SEED_MEETINGS))
def test_seed_meeting(nlp, prefix):
    assert nlp(seed_text(prefix))._.meeting == SEED_MEETINGS[prefix]


@pytest.mark.parametrize("name", sorted(p.stem for p in LAYOUTS.glob("*.txt")))
def test_layout_meeting(nlp, name):
    text = (LAYOUTS / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((LAYOUTS / f"{name}.json").read_text(encoding="utf-8"))["meeting"]
    assert nlp(text)._.meeting == expected


def test_layout_meeting_spot_checks(nlp):
    """A few layout values spelled out here, so the JSON fixtures are not the only record."""

    def meeting(name):
        return nlp((LAYOUTS / f"{name}.txt").read_text(encoding="utf-8"))._.meeting

    assert meeting("cmis")["meeting_time"] == "14:00"  # "held at 2.00 pm on Thursday 10 October 2019"
    assert meeting("printed_minute_numbers")["meeting_date"] == "2019-02-27"  # 27/02/2019, day first
    assert meeting("capitals_pdf")["council"] == "Southby Borough Council"
    assert meeting("item_page")["committee"] == "Corporate Parenting Panel"  # "(Item 6)" dropped
    assert meeting("decision_notice")["meeting_date"] == "2019-11-12"  # date of decision, not publication
    assert meeting("web_page")["venue"] == "Council Chamber, Town Hall, Southby"  # "View directions" dropped
    assert meeting("pipe_table")["council"] is None  # an unknown contact domain is not guessed


def test_title_case_capitals():
    assert title_case_capitals("CHILDREN AND YOUNG PEOPLE SCRUTINY PANEL") == "Children and Young People Scrutiny Panel"
    assert title_case_capitals("CHILDREN'S SERVICES SUB-COMMITTEE") == "Children's Services Sub-Committee"
    assert title_case_capitals("COMMITTEE ROOM 'B', COUNTY HALL") == "Committee Room 'B', County Hall"
    assert title_case_capitals("Lancashire County Council") == "Lancashire County Council"


def header_only(text):
    return [
        {
            "index": 0,
            "kind": "header",
            "start_char": 0,
            "end_char": len(text),
            "item_number": None,
            "title": None,
            "parent": None,
        }
    ]


def test_extract_meeting_reads_header_sections_only():
    rules = load_meeting_rules()
    text = (
        "Anyshire District Council\nPlanning Committee\n"
        "Minutes of the meeting held on 1 May 2019 at 7pm in the Guildhall, Anytown\n"
    )
    body = "1. Minutes\nThe minutes of the meeting held on 3 April 2019 at 6pm in Room 2 were agreed.\n"
    full = text + body
    sections = header_only(text)
    sections[0]["end_char"] = len(text)
    meeting = extract_meeting(full, sections, rules)
    assert meeting == {
        "council": "Anyshire District Council",
        "committee": "Planning Committee",
        "meeting_date": "2019-05-01",
        "meeting_time": "19:00",
        "venue": "Guildhall, Anytown",
    }
    # with no header section nothing is read from the body
    assert extract_meeting(full, [], rules) == dict.fromkeys(meeting)


def test_virtual_meeting_and_residue():
    rules = load_meeting_rules()
    text = "Cabinet - Monday, 1st June, 2020 2.00 pm\n\nVenue: Virtual meeting via Microsoft Teams. View directions\n"
    meeting = extract_meeting(text, header_only(text), rules)
    assert meeting["venue"] == "virtual meeting"
    assert meeting["committee"] == "Cabinet"
    assert meeting["meeting_time"] == "14:00"


def test_meeting_rules_validation():
    with pytest.raises(RuleError, match="unknown key"):
        validate_meeting_rule({"pattern": "x", "when": 1}, "meeting.jsonl line 4")
    with pytest.raises(RuleError, match="needs a named group"):
        validate_meeting_rule({"pattern": "Council"}, "meeting.jsonl line 4")
    with pytest.raises(RuleError, match="invalid regular expression"):
        validate_meeting_rule({"pattern": "(?P<council>"}, "x")
    with pytest.raises(RuleError, match="'scope' must be"):
        validate_meeting_rule({"pattern": "(?P<venue>.+)", "scope": "footer"}, "x")
    with pytest.raises(RuleError, match="strip rule needs 'field'"):
        validate_meeting_rule({"type": "strip", "pattern": "x"}, "x")
    with pytest.raises(RuleError, match="'value' maps fields"):
        validate_meeting_rule({"pattern": "x", "value": {"mayor": "X"}}, "x")
    assert validate_meeting_rule({"pattern": "@x\\.gov\\.uk", "value": {"council": "X Council"}}).value == {
        "council": "X Council"
    }


def test_packaged_meeting_rules_are_valid_and_documented():
    rules = load_meeting_rules()
    assert len({r.id for r in rules}) == len(rules)
    lines = [
        json.loads(line) for line in DEFAULT_MEETING_PATTERNS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert all(r.get("id") and r.get("comment") for r in lines)


def test_custom_meeting_rules_via_initialize(tmp_path):
    path = tmp_path / "meeting.jsonl"
    path.write_text(json.dumps({"pattern": "^Body: (?P<committee>.+)$"}) + "\n")
    nlp = spacy.blank("en")
    nlp.add_pipe("minutes_sections")
    comp: SectionSplitter = nlp.get_pipe("minutes_sections")
    nlp.initialize()
    comp.initialize(meeting_patterns_path=path)
    comp.add_rule({"id": "body_line", "kind": "header", "pattern": "^Body:"})  # make the line a header
    doc = nlp("Body: Licensing Panel\n")
    assert doc._.meeting["committee"] == "Licensing Panel"
    assert doc._.meeting["council"] is None


def test_given_metadata_replaces_the_header(nlp):
    """doc._.given (a manifest row, --council, a council folder) wins over the header, field by field."""
    text = seed_text("000")
    doc = nlp.make_doc(text)
    doc._.given = {"council": "Given Council", "council_source": "option", "meeting_date": "2020-01-02"}
    meeting = nlp(doc)._.meeting
    header = nlp(text)._.meeting
    assert meeting == {**header, "council": "Given Council", "meeting_date": "2020-01-02"}
    assert header["council"] == "Lancashire County Council"
