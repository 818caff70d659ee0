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


# Invented headers, one per shape the rules learned from cross-council gold (names and bodies made up here).
HEADER_SHAPES = {
    "item page lead, long date": (
        "Agenda item\n\nROAD SAFETY PARTNERSHIP ANNUAL REPORT\n\n"
        "Meeting: Tuesday, 3rd May, 2022 - Environment and Transport Select Committee (Item 12)\n\n"
        "Previous Reference: Minute 9 (2021/22)\n\nThe Director will submit a report.\n\nRecommended -\n\n"
        "(1)  That the report be noted.\n",
        {"committee": "Environment and Transport Select Committee", "meeting_date": "2022-05-03"},
    ),
    "item page lead, date only": (
        "Agenda item\n\nHOUSING ALLOCATIONS POLICY\n\nMeeting: 14/09/2021 (Item 4)\n\nThe report was presented.\n\n"
        "Recommended -\n\n(1)  That the policy be approved.\n",
        {"committee": None, "meeting_date": "2021-09-14"},
    ),
    "sub-group under its parent body": (
        "Eastmarsh District Council\n\nCommunities Overview Committee\n\nAllotments Task and Finish Group\n\n"
        "Notes of the second meeting, Friday 7th June 2019, 3.00pm, Room 2, Civic Centre\n\nPresent:\n\n"
        "Councillor Ama Osei (Chair)\n",
        {
            "council": "Eastmarsh District Council",
            "committee": "Allotments Task and Finish Group",
            "meeting_date": "2019-06-07",
        },
    ),
    "capitals, minutes of the body, held at time on date": (
        "ROYAL BOROUGH OF NORTHBRIDGE\n\nMINUTES OF THE LICENSING SUB-COMMITTEE\n\n"
        "HELD AT 7.00 P.M. ON MONDAY, 2 MARCH 2020\n\nCOMMITTEE ROOM TWO, THE GUILDHALL, NORTHBRIDGE\n\nPRESENT:\n\n"
        "Councillor Piotr Nowak (Chair)\n",
        {
            "council": "Royal Borough of Northbridge",
            "committee": "Licensing Sub-Committee",
            "meeting_date": "2020-03-02",
            "meeting_time": "19:00",
        },
    ),
    "held remotely on": (
        "WESTFORD COUNCIL\n\nMINUTES OF THE MEETING OF THE AUDIT COMMITTEE HELD REMOTELY ON THURSDAY 4 FEBRUARY 2021 "
        "AT 6.00 PM\n\nMembers Present\n\nCouncillor R Achebe (Chair)\n",
        {"council": "Westford Council", "committee": "Audit Committee", "meeting_date": "2021-02-04"},
    ),
    "briefing suffix with a colon": (
        "City of Glenmore Council\n\nEducation Committee – Member Briefing: School Estate\n\n"
        "Note of the briefing held on Monday 6 March 2023 at 2.00pm in Room 1\n\nPresent:\n\nCouncillor Ian Roe\n",
        {"council": "City of Glenmore Council", "committee": "Education Committee", "meeting_date": "2023-03-06"},
    ),
    "page excerpt with a running title": (
        "had fallen to 41%, the officer said.\n\nMembers asked about the waiting list.\n\n"
        "Harbourside Council – Adult Care Scrutiny Panel – 09.11.23\tPage 3\n\n"
        "17\tWORK PROGRAMME\n\nThe Panel noted its work programme.\n",
        {"council": "Harbourside Council", "committee": "Adult Care Scrutiny Panel", "meeting_date": "2023-11-09"},
    ),
}


@pytest.mark.parametrize("shape", sorted(HEADER_SHAPES))
def test_header_shapes(nlp, shape):
    text, expected = HEADER_SHAPES[shape]
    meeting = nlp(text)._.meeting
    assert {key: meeting[key] for key in expected} == expected


def test_a_sentence_naming_the_body_is_not_the_committee(nlp):
    text = (
        "NORTHBRIDGE POLICE AND CRIME PANEL\n\nA meeting of the Northbridge Police and Crime Panel was held on "
        "Tuesday, 6th February, 2024 at 2.00 pm in the Town Hall.\n\nMembers Present\n\nCouncillor Tom Reyes (Chair)\n"
    )
    assert nlp(text)._.meeting["committee"] == "Northbridge Police and Crime Panel"
