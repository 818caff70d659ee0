"""The shared rule loader (pipeline/rules.py): one error shape for every rule file; docs/RULES.md is generated."""

import json

import pytest

from pipeline.components.sections import load_rules as load_section_rules
from pipeline.components.sections.meeting import load_meeting_rules
from pipeline.ingest.split import load_rules as load_document_start_rules
from pipeline.paths import REPO
from pipeline.rules import (
    DOCUMENT_START_RULES,
    MEETING_RULES,
    SCHEMAS,
    SECTION_RULES,
    Field,
    RuleError,
    RuleSchema,
    check_unique_ids,
    load_rule_file,
    read_records,
)
from pipeline.rules_reference import rules_reference

TOY = RuleSchema(
    "Toy rules",
    "toy.jsonl",
    "For tests.",
    (
        Field("id", (str,), "name"),
        Field("type", (str,), "kind of rule", "a", choices=("a", "b")),
        Field("pattern", (str,), "regex", required=True),
        Field("size", (int,), "a number", 1),
        Field("only_b", (bool,), "b only", False, only_for=("b",)),
    ),
)


def test_rules_reference_is_current():
    committed = (REPO / "docs" / "RULES.md").read_text(encoding="utf-8")
    assert committed == rules_reference() + "\n", "docs/RULES.md is stale: run `make dictionary`"


def test_reference_documents_every_key_of_every_file():
    text = rules_reference()
    for schema in SCHEMAS:
        assert f"`pipeline/patterns/{schema.file_name}`" in text
        for field in schema.fields:
            assert f"| `{field.name}` |" in text
        assert schema.path.is_file()


def test_packaged_files_use_only_declared_keys():
    for schema, loader in (
        (SECTION_RULES, load_section_rules),
        (MEETING_RULES, load_meeting_rules),
        (DOCUMENT_START_RULES, load_document_start_rules),
    ):
        assert loader()
        declared = {f.name for f in schema.fields}
        for _, record in read_records(schema.path):
            assert set(record) <= declared


def test_check_fills_defaults_and_keeps_given_values():
    assert TOY.check({"pattern": "x"}, "here") == {"id": None, "type": "a", "pattern": "x", "size": 1, "only_b": False}
    assert TOY.check({"id": "r", "type": "b", "pattern": "x", "only_b": True}, "here")["only_b"] is True


@pytest.mark.parametrize(
    "record, message",
    [
        ({"id": "r"}, "here (rule 'r'): missing required key 'pattern'"),
        ({"pattern": "x", "colour": 1}, "here: unknown key(s) 'colour'; allowed keys: id, only_b, pattern, size, type"),
        ({"pattern": "x", "size": "big"}, "here: key 'size' must be integer, got \"big\""),
        ({"pattern": "x", "size": True}, "here: key 'size' must be integer, got true"),
        ({"pattern": "x", "type": "c"}, "here: key 'type' must be one of a, b; got 'c'"),
        ({"pattern": "x", "only_b": True}, "here: key 'only_b' does not apply to 'a' rules (only b)"),
        ({"pattern": ""}, "here: key 'pattern' is empty"),
        (["x"], "here: a rule must be a JSON object, got list"),
    ],
)
def test_one_message_shape(record, message):
    with pytest.raises(RuleError) as info:
        TOY.check(record, "here")
    assert str(info.value) == message


def test_compile_applies_file_flags_and_names_bad_patterns():
    assert SECTION_RULES.compile("^a$", ["IGNORECASE"], "x").search("b\nA\n")
    assert not DOCUMENT_START_RULES.compile("^a$", (), "x").search("b\na\n")  # no MULTILINE for line rules
    with pytest.raises(RuleError, match=r"^x: unknown flag 'LOUD'"):
        SECTION_RULES.compile("a", ["LOUD"], "x")
    with pytest.raises(RuleError, match=r"^x: invalid regular expression in 'pattern'"):
        SECTION_RULES.compile("(", [], "x")


def test_read_records_locates_lines_and_records(tmp_path):
    jsonl = tmp_path / "rules.jsonl"
    jsonl.write_text('{"pattern": "a"}\n\n{"pattern": "b"}\n')
    assert [where for where, _ in read_records(jsonl)] == [f"{jsonl} line 1", f"{jsonl} line 3"]
    listed = tmp_path / "rules.json"
    listed.write_text(json.dumps([{"pattern": "a"}, {"pattern": "b"}]))
    assert [where for where, _ in read_records(listed)] == [f"{listed} record 1", f"{listed} record 2"]
    listed.write_text(json.dumps({"pattern": "a"}))
    with pytest.raises(RuleError, match="expected a JSON list of rule objects, got dict"):
        read_records(listed)
    listed.write_text("[{")
    with pytest.raises(RuleError, match=r"invalid JSON \(.* at line 1 column 3\)"):
        read_records(listed)
    jsonl.write_text('{"pattern": "a"}\n{oops}\n')
    with pytest.raises(RuleError, match=r"rules\.jsonl line 2: invalid JSON"):
        read_records(jsonl)
    with pytest.raises(RuleError, match="rule file not found"):
        read_records(tmp_path / "missing.jsonl")


def test_load_rule_file_checks_ids_are_unique(tmp_path):
    path = tmp_path / "rules.jsonl"
    path.write_text('{"id": "a", "pattern": "x"}\n{"id": "a", "pattern": "y"}\n')

    class Built:
        def __init__(self, record, where, index):
            self.id = TOY.check(record, where)["id"]

    with pytest.raises(RuleError, match=rf"line 2 \(rule 'a'\): duplicate rule id 'a' \(first at {path} line 1\)"):
        load_rule_file(TOY, Built, path)
    check_unique_ids([("one", "a"), ("two", "b")])


def test_every_rule_file_reports_errors_in_one_shape(tmp_path):
    sections = tmp_path / "sections.jsonl"
    sections.write_text(json.dumps({"id": "s", "kind": "item", "pattern": "^x", "priority": "high"}) + "\n")
    meeting = tmp_path / "meeting.jsonl"
    meeting.write_text(json.dumps({"id": "m", "pattern": "(?P<venue>x)", "priority": "high"}) + "\n")
    starts = tmp_path / "document_starts.json"
    starts.write_text(json.dumps([{"id": "d", "pattern": "^x", "priority": "high"}]))
    with pytest.raises(RuleError, match=rf"^{sections} line 1 \(rule 's'\): key 'priority' must be integer"):
        load_section_rules(sections)
    with pytest.raises(RuleError, match=rf"^{meeting} line 1 \(rule 'm'\): key 'priority' must be integer"):
        load_meeting_rules(meeting)
    with pytest.raises(RuleError, match=rf"^{starts} record 1 \(rule 'd'\): unknown key\(s\) 'priority'"):
        load_document_start_rules(starts)
    starts.write_text(json.dumps([{"id": "d", "kind": "block", "pattern": "^x"}]))
    with pytest.raises(RuleError, match="no rule of kind 'start'"):
        load_document_start_rules(starts)
