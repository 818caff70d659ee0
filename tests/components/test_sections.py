"""Tests of the `minutes_sections` component: seeds, one invented example per layout, component behaviour."""

import json
import os
import subprocess
import sys

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from pipeline.components.sections import (
    DEFAULT_PATTERNS,
    RuleError,
    SectionsNotInitializedError,
    SectionSplitter,
    load_rules,
)
from pipeline.paths import REPO
from tests.helpers import seed_text

ROOT = REPO
CORPUS = ROOT / "corpus"
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
LAYOUT_NAMES = sorted(p.stem for p in LAYOUTS.glob("*.txt"))


@pytest.fixture(scope="module")
def seeds(nlp):
    return {p: nlp(seed_text(p)) for p in ("000", "001", "002", "003", "004")}


def tops(doc):
    return [s for s in doc._.sections if s["parent"] is None]


def items(doc):
    return [(s["item_number"], s["title"]) for s in tops(doc) if s["kind"] == "item"]


def children(doc, parent, kind=None):
    return [s for s in doc._.sections if s["parent"] == parent["index"] and (kind is None or s["kind"] == kind)]


def section_text(doc, s):
    return doc.text[s["start_char"] : s["end_char"]]


def assert_well_formed(text, sections):
    """Top level tiles [0, len(text)); children lie in their top-level parent; order and indexes agree."""
    top = [s for s in sections if s["parent"] is None]
    if text:
        assert top, "no top-level sections"
        assert top[0]["start_char"] == 0
        assert top[-1]["end_char"] == len(text)
        for a, b in zip(top, top[1:]):
            assert a["end_char"] == b["start_char"], (a, b)
    for s in top:
        assert s["start_char"] < s["end_char"]
    for i, s in enumerate(sections):
        assert s["index"] == i
        assert set(s) == {"index", "kind", "start_char", "end_char", "item_number", "title", "parent"}
        if s["parent"] is not None:
            p = sections[s["parent"]]
            assert p["parent"] is None, "nesting is one level deep"
            assert p["index"] < s["index"]
            assert p["start_char"] <= s["start_char"] < s["end_char"] <= p["end_char"]
            assert not text[s["end_char"] - 1].isspace(), "nested sections are trimmed"
            assert not text[s["start_char"]].isspace(), "nested sections are trimmed"
    starts = [s["start_char"] for s in sections]
    assert starts == sorted(starts)


# ------------------------------------------------------------------------------------------------
# seeds
# ------------------------------------------------------------------------------------------------

SEED_ITEMS = {
    "000": [
        ("1", "Apologies"),
        ("2", "Disclosure of Pecuniary and Non-Pecuniary Interests"),
        ("3", "Minutes from the meeting held on 27 February 2019"),
        ("4", "Lancashire Getting to Good Plan"),
        ("5", "Children's Services Scrutiny Committee Work Programme 2018/19"),
        ("6", "Urgent Business"),
        ("7", "Date of the Next Meeting"),
    ],
    "001": [
        (None, "Welcome and introductions"),
        (None, "Overview of Children's Services"),
        (None, "Summary of the Ofsted inspection/remit of the Post Inspection Improvement Board"),
        (None, "Newton Consultants"),
        (None, "Children's Health Issues"),
        (None, "Next Steps"),
    ],
    "002": [
        ("1", "Apologies"),
        ("2", "Disclosure of Pecuniary and Non-Pecuniary Interests"),
        (
            "3",
            "Minutes of the special meeting held on 2 February 2021 and the ordinary meeting held on 9 February 2021",
        ),
        ("4", "Update on Family Safeguarding model"),
        ("5", "Overview and Scrutiny Work Programme 2020/2021"),
        ("6", "Urgent Business"),
        ("7", "Date of Next Meeting"),
    ],
    "003": [
        ("1", "Apologies"),
        ("2", "Disclosure of Pecuniary and Non-Pecuniary Interests"),
        ("3", "Minutes of the Meeting held on 11 October 2013"),
        ("4", "Working Together With Families (WTWF)"),
        ("5", "Independent Reviewing Officers"),
        ("6", "Work Plan and Task Group Update"),
        ("7", "Urgent Business"),
        ("8", "Date of Next Meeting"),
    ],
    "004": [
        ("1", "Introductions and Apologies"),
        ("2", "Notes of the Meeting and Matters Arising from 17 September 2019"),
        ("3", "Exploitation and Violence Reduction"),
        ("4", "Children in Care and Care Leavers Performance Information"),
        ("5", "Corporate Parenting Strategy Delivery Plan"),
        ("6", "Timetable of Meetings 2020/2021"),
        ("7", "Any Other Business"),
        ("8", "Date and Time of Next Meeting"),
    ],
}

SEED_TOP_KINDS = {
    "000": ["header", "attendance", "attendance"] + ["item"] * 7,
    "001": ["other", "header", "attendance", "apologies"] + ["item"] * 6 + ["glossary", "boilerplate"],
    "002": ["header"] + ["item"] * 7,
    "003": ["header", "boilerplate", "header", "boilerplate", "attendance"] + ["item"] * 8,
    "004": ["header", "attendance"] + ["item"] * 8,
}

# items (by number, or title when unnumbered) holding a resolution
SEED_RESOLUTIONS = {
    "000": ["3", "4", "5"],
    "001": [
        "Overview of Children's Services",
        "Summary of the Ofsted inspection/remit of the Post Inspection Improvement Board",
        "Children's Health Issues",
    ],
    "002": ["3", "4", "5"],
    "003": ["3", "6"],
    "004": ["3", "4", "5", "7"],
}

SEED_ATTENDANCE_GROUPS = {
    "000": ["Co-opted members"],
    "001": ["Committee Members", "Officers"],
    "002": [],
    "003": [],
    "004": ["Members", "Co-opted members", "Other Attendees"],
}


@pytest.mark.parametrize("prefix", sorted(SEED_ITEMS))
def test_seed_items(seeds, prefix):
    assert items(seeds[prefix]) == SEED_ITEMS[prefix]


@pytest.mark.parametrize("prefix", sorted(SEED_ITEMS))
def test_seed_tiling_and_nesting(seeds, prefix):
    doc = seeds[prefix]
    assert_well_formed(doc.text, doc._.sections)


@pytest.mark.parametrize("prefix", sorted(SEED_ITEMS))
def test_seed_top_level_kinds(seeds, prefix):
    assert [s["kind"] for s in tops(seeds[prefix])] == SEED_TOP_KINDS[prefix]


@pytest.mark.parametrize("prefix", sorted(SEED_ITEMS))
def test_seed_resolutions_nested_in_their_item(seeds, prefix):
    doc = seeds[prefix]
    sections = doc._.sections
    holders = []
    for s in sections:
        if s["kind"] != "resolution":
            continue
        parent = sections[s["parent"]]
        assert parent["kind"] == "item"
        holders.append(parent["item_number"] or parent["title"])
        assert (
            section_text(doc, s).lstrip().startswith(("Resolved", "It was agreed", "The following actions were agreed"))
        )
    assert holders == SEED_RESOLUTIONS[prefix]


@pytest.mark.parametrize("prefix", sorted(SEED_ITEMS))
def test_seed_attendance(seeds, prefix):
    doc = seeds[prefix]
    attendance = [s for s in tops(doc) if s["kind"] == "attendance"]
    groups = [g["title"] for a in attendance for g in children(doc, a, "attendance_group")]
    assert groups == SEED_ATTENDANCE_GROUPS[prefix]
    if prefix == "002":
        assert attendance == []
    else:
        assert attendance


def test_seed_000_attendance_detail(seeds):
    doc = seeds["000"]
    listed, substitution = [s for s in tops(doc) if s["kind"] == "attendance"]
    assert section_text(doc, listed).startswith("Present:")
    assert "Andrea Kay" in section_text(doc, listed) and "Stella Brunskill" in section_text(doc, listed)
    # the unnumbered <AI1> block holding the substitution is attendance, not an item
    assert section_text(doc, substitution).startswith("<AI1>")
    assert "replaced County Councillor Jennifer Mein" in section_text(doc, substitution)


def test_seed_001_briefing_blocks(seeds):
    doc = seeds["001"]
    by_kind = {s["kind"]: s for s in tops(doc)}
    assert section_text(doc, by_kind["other"]).strip() == "Appendix A"
    assert section_text(doc, by_kind["apologies"]).startswith("Apologies:\nApologies were received")
    glossary = section_text(doc, by_kind["glossary"])
    assert glossary.startswith("Glossary:") and "YOT – Youth Offending Team" in glossary
    assert section_text(doc, by_kind["boilerplate"]).split() == ["1", "4"]
    # link captions and list lines are not headings
    titles = [t for _, t in items(doc)]
    assert "Child Health Profile June 2015" not in titles
    assert "Children's services: Ofsted inspection 2015" not in titles
    attendance = section_text(doc, by_kind["attendance"])
    assert "Emily Roche, Newton Consultants" in attendance


def test_seed_003_web_page(seeds):
    doc = seeds["003"]
    top = tops(doc)
    assert section_text(doc, top[1]).startswith("Members of the public are welcome")
    assert section_text(doc, top[2]).startswith("Venue:")
    assert section_text(doc, top[3]).split() == ["Items", "No.", "Item"]
    assert "replaced County Councillors T Burns" in section_text(doc, top[4])
    for item in (s for s in top if s["kind"] == "item"):
        (minutes,) = children(doc, item, "minutes")
        assert section_text(doc, minutes).startswith("Minutes:")
        assert minutes["end_char"] == len(doc.text[: item["end_char"]].rstrip())
        assert "pdf icon" not in item["title"]
    truncated = [
        s
        for s in doc._.sections
        if s["kind"] == "boilerplate"
        and s["parent"] is not None
        and "view the full minutes text" in section_text(doc, s)
    ]
    assert [doc._.sections[s["parent"]]["item_number"] for s in truncated] == ["4", "5"]


def test_seed_004_subheadings_and_resolution_end(seeds):
    doc = seeds["004"]
    aob = next(s for s in tops(doc) if s["item_number"] == "7")
    assert [s["title"] for s in children(doc, aob, "subheading")] == [
        "Young People's Feedback on the Hertfordshire Model",
        "Care Leavers Christmas Gifts",
        "Young Peoples Involvement in Future Corporate Parenting Boards",
        "Health",
    ]
    (resolution,) = children(doc, aob, "resolution")
    assert section_text(doc, resolution).endswith("more informed overview on the Hertfordshire model.")
    # the data lines of item 4 ("Average caseload – 17 ...") are not sub-headings
    perf = next(s for s in tops(doc) if s["item_number"] == "4")
    assert children(doc, perf, "subheading") == []


def test_seed_resolution_stops_before_closing_marker(seeds):
    doc = seeds["000"]
    res = [s for s in doc._.sections if s["kind"] == "resolution"]
    assert all("</AI" not in section_text(doc, s) for s in res)
    assert section_text(doc, res[-1]) == "Resolved: The report presented be noted."


# ------------------------------------------------------------------------------------------------
# one invented example per layout (tests/fixtures/layouts/<layout>.txt + .json)
# ------------------------------------------------------------------------------------------------


def load_layout(name):
    text = (LAYOUTS / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((LAYOUTS / f"{name}.json").read_text(encoding="utf-8"))
    return text, expected


def test_every_layout_has_a_fixture():
    assert set(LAYOUT_NAMES) >= {
        "moderngov_ai",
        "printed_slash_numbers",
        "printed_minute_numbers",
        "web_page",
        "pipe_table",
        "item_page",
        "decision_notice",
        "briefing_notes",
        "aks",
        "cmis",
        "capitals_pdf",
    }
    for name in LAYOUT_NAMES:
        assert (LAYOUTS / f"{name}.json").exists(), name


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_layout_items(nlp, name):
    text, expected = load_layout(name)
    doc = nlp(text)
    assert [list(i) for i in items(doc)] == expected["items"]


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_layout_structure(nlp, name):
    text, expected = load_layout(name)
    doc = nlp(text)
    assert_well_formed(text, doc._.sections)
    assert [[s["kind"], s["item_number"], s["title"]] for s in tops(doc)] == expected["top_level"]
    secs = doc._.sections
    nested = [
        [
            secs[s["parent"]]["kind"],
            secs[s["parent"]]["item_number"] or secs[s["parent"]]["title"],
            s["kind"],
            s["title"],
        ]
        for s in secs
        if s["parent"] is not None
    ]
    assert nested == expected["nested"]


def test_layout_page_noise_is_boilerplate(nlp):
    text, _ = load_layout("printed_slash_numbers")
    doc = nlp(text)
    noise = [section_text(doc, s) for s in doc._.sections if s["kind"] == "boilerplate"]
    assert noise == ["Page 3", "Licensing and Regulatory Committee - 9 July 2019"]


def test_layout_decision_notice_fields(nlp):
    text, _ = load_layout("decision_notice")
    doc = nlp(text)
    (decision,) = [s for s in doc._.sections if s["kind"] == "resolution"]
    assert (
        section_text(doc, decision)
        == "Decision:\n\nCabinet noted the forecast overspend of £1.2m and approved the recovery plan."
    )


def test_item_page_nested_order(nlp):
    text, _ = load_layout("item_page")
    doc = nlp(text)
    resolution = next(s for s in doc._.sections if s["kind"] == "resolution")
    assert section_text(doc, resolution).endswith("(2) That a further report be presented in twelve months.")


# ------------------------------------------------------------------------------------------------
# the component
# ------------------------------------------------------------------------------------------------

MINI = (
    "Anyshire Council\n\n"
    "Present: Councillor A Bell\n\n"
    "Preamble note.\n\n"
    "An unlabelled remark.\n\n"
    "1. Apologies\n\nNone.\n\n"
    "2. Budget pdf\n\nThe budget was discussed.\n\nResolved: That the report be noted.\n"
)


def blank_with_component(**config):
    nlp = spacy.blank("en")
    nlp.add_pipe("minutes_sections", config=config)
    return nlp


def test_add_pipe_and_packaged_rules_load():
    nlp = blank_with_component()
    assert nlp.pipe_names == ["minutes_sections"]
    comp = nlp.get_pipe("minutes_sections")
    assert isinstance(comp, SectionSplitter)
    assert comp.rules == []
    nlp.initialize()
    assert len(comp.rules) == len(load_rules(DEFAULT_PATTERNS)) > 20


def test_call_before_rules_raises():
    nlp = blank_with_component()
    with pytest.raises(SectionsNotInitializedError, match="initialize"):
        nlp("Present: Councillor A Bell")
    with pytest.raises(ValueError):  # the error is a ValueError, as spaCy's own "not initialised" errors
        nlp("text")


def test_rules_added_one_at_a_time():
    nlp = blank_with_component()
    comp = nlp.get_pipe("minutes_sections")

    def shape():
        doc = nlp(MINI)
        assert_well_formed(MINI, doc._.sections)
        return [(s["kind"], s["item_number"], s["title"], s["parent"]) for s in doc._.sections]

    comp.add_rule({"kind": "attendance", "pattern": r"^Present:"})
    assert shape() == [("other", None, None, None), ("attendance", None, None, None)]

    comp.add_rule({"id": "numbered", "kind": "item", "pattern": r"^(?P<number>\d+)\.\s+(?P<title>[^\n]+)$"})
    assert shape() == [
        ("other", None, None, None),
        ("attendance", None, None, None),
        ("item", "1", "Apologies", None),
        ("item", "2", "Budget pdf", None),
    ]

    comp.add_rule({"type": "nested", "kind": "resolution", "pattern": r"^Resolved:"})
    doc = nlp(MINI)
    res = doc._.sections[-1]
    assert res["kind"] == "resolution" and doc._.sections[res["parent"]]["item_number"] == "2"
    assert doc.text[res["start_char"] : res["end_char"]] == "Resolved: That the report be noted."

    comp.add_rule({"kind": "header", "pattern": r"^\w+ Council$"})
    assert shape()[0] == ("header", None, None, None)

    # the note and the remark are part of the attendance section; a bounded block makes the note its
    # own section, the remark after it becomes `other`, and a classify rule gives that a kind
    comp.add_rule({"kind": "boilerplate", "pattern": r"^Preamble note\.$", "extent": "match"})
    assert [k for k, *_ in shape()][:5] == ["header", "attendance", "boilerplate", "other", "item"]
    comp.add_rule({"type": "classify", "kind": "apologies", "pattern": r"unlabelled remark"})
    assert [k for k, *_ in shape()][:5] == ["header", "attendance", "boilerplate", "apologies", "item"]

    comp.add_rule({"type": "title_strip", "pattern": r"\s*pdf$"})
    assert ("item", "2", "Budget", None) in shape()


def test_rule_priority_and_scope():
    nlp = blank_with_component()
    comp = nlp.get_pipe("minutes_sections")
    text = "Present: A\n\n1. Apologies\n\nPresent: B\n"
    comp.add_rules(
        [
            {"kind": "attendance", "pattern": r"^Present:", "scope": "before_items"},
            {"kind": "item", "pattern": r"^(?P<number>\d+)\.\s+(?P<title>.+)$"},
        ]
    )
    assert [s["kind"] for s in nlp(text)._.sections] == ["attendance", "item"]
    # a higher-priority rule wins where matches overlap
    comp.add_rule({"kind": "other", "pattern": r"^1\. Apologies$", "priority": 5})
    assert [s["kind"] for s in nlp(text)._.sections] == ["attendance", "other"]


def test_merge_and_start_group():
    nlp = blank_with_component()
    comp = nlp.get_pipe("minutes_sections")
    comp.add_rules(
        [
            {"kind": "attendance", "pattern": r"^(?:Present|Also present):", "merge": True},
            {"kind": "item", "pattern": r"^Title: (?P<title>.+)$", "start_group": "title"},
        ]
    )
    doc = nlp("Present: A\nAlso present: B\nTitle: Budget\n")
    assert [(s["kind"], s["start_char"], s["title"]) for s in doc._.sections] == [
        ("attendance", 0, None),
        ("item", 34, "Budget"),
    ]


def test_sequential_numbers_drop_list_restarts():
    nlp = blank_with_component()
    nlp.get_pipe("minutes_sections").add_rule(
        {"kind": "item", "pattern": r"^(?P<number>\d+)\.\s+(?P<title>[^\n]+)$", "sequential": True}
    )
    text = "1. Apologies\n\n2. Budget\n\n1. That it be noted\n\n2. That it be published\n\n3. Urgent Business\n"
    assert items(nlp(text)) == [("1", "Apologies"), ("2", "Budget"), ("3", "Urgent Business")]


@pytest.mark.parametrize(
    "rule, message",
    [
        ({"kind": "item"}, "missing required key 'pattern'"),
        ({"pattern": "^x"}, "missing required key 'kind'"),
        ({"kind": "item", "pattern": "^x", "prio": 3}, "unknown key(s) 'prio'"),
        ({"kind": "item", "pattern": "(unclosed"}, "invalid regular expression"),
        ({"kind": "item", "pattern": "^x", "priority": "high"}, "'priority' must be int"),
        ({"kind": "item", "pattern": "^x", "priority": True}, "'priority' must be int"),
        ({"kind": "item", "pattern": "^x", "flags": ["IGNORE"]}, "unknown flag 'IGNORE'"),
        ({"kind": "item", "pattern": "^x", "flags": "I"}, "'flags' must be list"),
        ({"kind": "Item!", "pattern": "^x"}, "'kind' must be a lowercase identifier"),
        ({"kind": "item", "pattern": "^x", "type": "heading"}, "'type' must be one of"),
        ({"kind": "item", "pattern": "^x", "scope": "everywhere"}, "'scope' must be one of"),
        ({"kind": "item", "pattern": "^x", "extent": "line"}, "'extent' must be one of"),
        ({"kind": "item", "pattern": "^x", "until": ["item"]}, "'until' does not apply to 'section' rules"),
        ({"kind": "resolution", "type": "nested", "pattern": "^x", "merge": True}, "'merge' does not apply"),
        ({"kind": "item", "pattern": "^x", "sequential": True}, "needs an item rule with a named group 'number'"),
        ({"kind": "item", "pattern": "^(?P<t>x)"}, "unknown named group"),
        ({"kind": "item", "pattern": "^x", "start_group": "title"}, "'start_group' 'title' is not a named group"),
        ({"type": "title_strip", "kind": "item", "pattern": "x"}, "have no 'kind'"),
        ("not a dict", "must be a JSON object"),
    ],
)
def test_bad_rules_are_rejected_with_clear_errors(rule, message):
    comp = SectionSplitter()
    with pytest.raises(RuleError) as info:
        comp.add_rule(rule)
    assert message in str(info.value)
    assert "add_rule" in str(info.value)
    assert comp.rules == []  # nothing half-added


def test_bad_rule_error_names_id_and_duplicate_ids():
    comp = SectionSplitter()
    with pytest.raises(RuleError, match="rule 'my_rule'"):
        comp.add_rule({"id": "my_rule", "kind": "item", "pattern": "("})
    comp.add_rule({"id": "a", "kind": "item", "pattern": "^x"})
    with pytest.raises(RuleError, match="duplicate rule id 'a'"):
        comp.add_rule({"id": "a", "kind": "item", "pattern": "^y"})


def test_bad_pattern_file_names_the_line(tmp_path):
    good = json.dumps({"kind": "attendance", "pattern": "^Present:"})
    bad_file = tmp_path / "sections.jsonl"
    bad_file.write_text(good + "\n" + json.dumps({"kind": "item", "pattern": "^x", "colour": "red"}) + "\n")
    nlp = blank_with_component()
    with pytest.raises(RuleError, match=r"sections\.jsonl line 2: unknown key\(s\) 'colour'"):
        nlp.get_pipe("minutes_sections").initialize(patterns_path=bad_file)
    bad_file.write_text(good + "\n\n{not json}\n")
    with pytest.raises(RuleError, match="line 3: invalid JSON"):
        load_rules(bad_file)
    with pytest.raises(RuleError, match="not found"):
        load_rules(tmp_path / "missing.jsonl")


def test_packaged_rule_file_is_valid_and_documented():
    rules = load_rules()
    assert len({r.id for r in rules}) == len(rules)
    lines = [json.loads(line) for line in DEFAULT_PATTERNS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all("id" in r and r.get("comment") for r in lines)


def test_initialize_keeps_added_rules_and_path_replaces_them(tmp_path):
    nlp = blank_with_component()
    comp = nlp.get_pipe("minutes_sections")
    comp.add_rule({"kind": "attendance", "pattern": "^Present:"})
    nlp.initialize()
    assert len(comp.rules) == 1
    path = tmp_path / "rules.jsonl"
    path.write_text(json.dumps({"kind": "item", "pattern": "^Item"}) + "\n")
    comp.initialize(patterns_path=path)
    assert comp.rules == [{"kind": "item", "pattern": "^Item"}]
    # patterns_path from the config
    nlp2 = blank_with_component(patterns_path=str(path))
    nlp2.initialize()
    assert nlp2.get_pipe("minutes_sections").rules == [{"kind": "item", "pattern": "^Item"}]


def test_to_disk_from_disk_round_trip(nlp, tmp_path):
    comp = nlp.get_pipe("minutes_sections")
    comp.to_disk(tmp_path / "comp")
    restored = SectionSplitter().from_disk(tmp_path / "comp")
    assert restored.rules == comp.rules
    assert restored.meeting_rules == comp.meeting_rules
    for prefix in SEED_ITEMS:
        text = seed_text(prefix)
        assert restored.split(text) == comp.split(text)
    from_bytes = SectionSplitter().from_bytes(comp.to_bytes())
    assert from_bytes.rules == comp.rules
    assert from_bytes.split(seed_text("003")) == comp.split(seed_text("003"))


def test_saved_pipeline_loads_without_importing_the_package(nlp, seeds, tmp_path):
    model = tmp_path / "model"
    nlp.to_disk(model)
    script = (
        "import json, sys\n"
        "import spacy\n"
        "assert 'pipeline' not in sys.modules\n"
        f"nlp = spacy.load({str(model)!r})\n"
        "out = {}\n"
        f"for p in {sorted(SEED_ITEMS)!r}:\n"
        f"    text = open(__import__('glob').glob({str(CORPUS)!r} + '/' + p + '_*.txt')[0], encoding='utf-8').read()\n"
        "    doc = nlp(text)\n"
        "    out[p] = [doc._.sections, doc._.meeting, "
        "[(s.label_, s.start_char, s.end_char) for s in doc.spans['sections']]]\n"
        "print(json.dumps(out))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    for p, doc in seeds.items():
        sections, meeting, spans = out[p]
        assert sections == doc._.sections
        assert meeting == doc._.meeting
        assert [tuple(s) for s in spans] == [(s.label_, s.start_char, s.end_char) for s in doc.spans["sections"]]


def test_doc_to_bytes_keeps_sections_and_meeting(nlp, seeds):
    doc = seeds["004"]
    json.dumps(doc._.sections)  # plain JSON
    json.dumps(doc._.meeting)
    restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert restored._.sections == doc._.sections
    assert restored._.meeting == doc._.meeting
    assert [(s.label_, s.start, s.end) for s in restored.spans["sections"]] == [
        (s.label_, s.start, s.end) for s in doc.spans["sections"]
    ]


def test_multiprocessing_gives_the_same_sections(nlp, seeds):
    texts = [seed_text(p) for p in sorted(SEED_ITEMS)]
    docs = list(nlp.pipe(texts, n_process=2, batch_size=1))
    for doc, prefix in zip(docs, sorted(SEED_ITEMS)):
        assert doc._.sections == seeds[prefix]._.sections
        assert doc._.meeting == seeds[prefix]._.meeting


def test_spans_mirror_the_sections(seeds):
    for doc in seeds.values():
        spans = list(doc.spans["sections"])
        assert len(spans) == len(doc._.sections)
        for span, s in zip(spans, doc._.sections):
            assert span.label_ == s["kind"]
            text = doc.text[s["start_char"] : s["end_char"]]
            first = s["start_char"] + len(text) - len(text.lstrip())
            last = s["start_char"] + len(text.rstrip())
            assert span.start_char <= first and span.end_char >= last


def test_config_switches_off_heuristics():
    nlp = blank_with_component(plain_headings=False, subheadings=False)
    nlp.initialize()
    assert items(nlp(seed_text("001"))) == []
    doc = nlp(seed_text("004"))
    assert not any(s["kind"] == "subheading" for s in doc._.sections)
    nlp2 = blank_with_component(spans_key="parts")
    nlp2.initialize()
    assert "parts" in nlp2("Present: A\n").spans


def test_empty_and_whitespace_documents(nlp):
    assert nlp("")._.sections == []
    doc = nlp("\n\n  \n")
    assert [s["kind"] for s in doc._.sections] == ["boilerplate"]  # nothing but whitespace
    assert_well_formed(doc.text, doc._.sections)


LINE_POOL = sorted(
    {line for p in SEED_ITEMS for line in seed_text(p).splitlines()}
    | {line for n in LAYOUT_NAMES for line in (LAYOUTS / f"{n}.txt").read_text(encoding="utf-8").splitlines()}
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(LINE_POOL), st.text(max_size=30)), max_size=60))
def test_any_mix_of_lines_tiles(nlp, lines):
    text = "\n".join(lines)
    doc = nlp(text)
    assert_well_formed(text, doc._.sections)


@pytest.mark.parametrize(
    "heading", ["Board Members Present:-", "Committee Members Present:", "Officers in Attendance:-", "PRESENT:"]
)
def test_attendance_headings_with_group_words_and_colon_dash(nlp, heading):
    text = (
        "Northgate Council\n\nHealth Board\n\nMinutes of the Meeting held on Monday, 2nd May, 2022 at 2.00 pm\n\n"
        f"{heading}\nCouncillor Ruth Imrie (Chair), Dr Ken Ade (Director of Public Health)\n\n"
        "1. Apologies\n\nNone.\n"
    )
    doc = nlp(text)
    start = text.index(heading)
    assert any(s["kind"] == "attendance" and s["start_char"] == start for s in tops(doc))
