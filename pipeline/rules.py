"""Rule files: one loader, one error type, and the schema of every rule file declared once as data.

The layouts the pipeline knows are data in ``pipeline/patterns/``: section rules (``sections.jsonl``),
meeting-metadata rules (``meeting.jsonl``) and document-start rules (``document_starts.json``). Each
file's keys are declared here as :class:`Field` records of a :class:`RuleSchema`. :func:`load_rule_file`
reads a file, checks every record against its schema (unknown keys, types, choices, keys that do not
apply to a rule type), fills in defaults and hands each record to the code that gives it meaning.
Every problem raises :class:`RuleError` as ``<file> line <n> (rule '<id>'): <what is wrong>``.
docs/RULES.md is generated from the schemas here by ``pipeline/rules_reference.py`` (``make dictionary``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"

T = TypeVar("T")


class RuleError(ValueError):
    """A rule (from a rule file or added in code) is malformed; the message says where and what is wrong."""


@dataclass(frozen=True)
class Field:
    """One key of a rule record: allowed JSON types, default (or required), allowed values, meaning."""

    name: str
    types: tuple[type, ...]
    description: str
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    only_for: tuple[str, ...] = ()  # rule types (values of the schema's type key) the key applies to
    shown_default: str | None = None  # the default as documented, when the code computes it


@dataclass(frozen=True)
class RuleSchema:
    """The keys of one rule file, in the order they are checked and documented."""

    title: str
    file_name: str
    description: str
    fields: tuple[Field, ...]
    type_key: str = "type"
    pattern_flags: int = re.MULTILINE  # always on when the record's pattern is compiled
    notes: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return PATTERNS_DIR / self.file_name

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def check(self, record: Any, where: str) -> dict:
        """The record's values with defaults filled in; RuleError naming `where` and the rule id otherwise."""
        if not isinstance(record, dict):
            raise RuleError(f"{where}: a rule must be a JSON object, got {type(record).__name__}")
        label = rule_label(where, record.get("id") if isinstance(record.get("id"), str) else None)
        allowed = {f.name for f in self.fields}
        unknown = sorted(set(record) - allowed)
        if unknown:
            names = ", ".join(map(repr, unknown))
            raise RuleError(f"{label}: unknown key(s) {names}; allowed keys: {', '.join(sorted(allowed))}")
        values = {}
        for f in self.fields:
            if f.name not in record:
                if f.required:
                    raise RuleError(f"{label}: missing required key {f.name!r}")
                values[f.name] = f.default
                continue
            value = record[f.name]
            if not _has_type(value, f.types):
                raise RuleError(f"{label}: key {f.name!r} must be {type_names(f.types)}, got {json.dumps(value)}")
            if f.required and value == "":
                raise RuleError(f"{label}: key {f.name!r} is empty")
            if f.choices and value not in f.choices:
                raise RuleError(f"{label}: key {f.name!r} must be one of {', '.join(f.choices)}; got {value!r}")
            values[f.name] = value
        rule_type = values.get(self.type_key)
        for f in self.fields:
            if f.only_for and f.name in record and rule_type not in f.only_for:
                raise RuleError(
                    f"{label}: key {f.name!r} does not apply to {rule_type!r} rules (only {', '.join(f.only_for)})"
                )
        return values

    def compile(self, pattern: str, flags: Iterable[str], label: str) -> re.Pattern:
        """The record's regular expression, with this file's fixed flags and the record's `flags`."""
        value = self.pattern_flags
        for name in flags:
            if name.upper() not in _FLAG_NAMES:
                known = ", ".join(k for k in _FLAG_NAMES if len(k) > 1)
                raise RuleError(f"{label}: unknown flag {name!r}; use {known}")
            value |= _FLAG_NAMES[name.upper()]
        if not pattern:
            raise RuleError(f"{label}: 'pattern' is empty")
        try:
            return re.compile(pattern, value)
        except re.error as e:
            raise RuleError(f"{label}: invalid regular expression in 'pattern': {e}") from None


_FLAG_NAMES = {
    "IGNORECASE": re.IGNORECASE,
    "I": re.IGNORECASE,
    "MULTILINE": re.MULTILINE,
    "M": re.MULTILINE,
    "DOTALL": re.DOTALL,
    "S": re.DOTALL,
    "VERBOSE": re.VERBOSE,
    "X": re.VERBOSE,
    "ASCII": re.ASCII,
    "A": re.ASCII,
}
_TYPE_NAMES = {
    str: "string",
    int: "integer",
    bool: "boolean",
    list: "list of strings",
    dict: "object",
    type(None): "null",
}


def _has_type(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in types:
        return False  # JSON true is not an integer
    if not isinstance(value, types):
        return False
    return not isinstance(value, list) or all(isinstance(v, str) for v in value)


def type_names(types: tuple[type, ...]) -> str:
    return " or ".join(_TYPE_NAMES[t] for t in types)


def rule_label(where: str, rule_id: str | None) -> str:
    """`where` with the rule id, the prefix of every RuleError message about one rule."""
    return f"{where} (rule {rule_id!r})" if rule_id else where


def read_records(path: str | Path) -> list[tuple[str, Any]]:
    """The records of a rule file, each with its location for errors.

    ``.jsonl``: one JSON object per non-blank line, located as ``<path> line <n>``; any other suffix:
    a JSON list of objects, located as ``<path> record <n>`` (counting from 1).
    """
    path = Path(path)
    if not path.is_file():
        raise RuleError(f"rule file not found: {path}")
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        records = []
        for line_number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path} line {line_number}"
            try:
                records.append((where, json.loads(line)))
            except json.JSONDecodeError as e:
                raise RuleError(f"{where}: invalid JSON ({e.msg} at column {e.colno})") from None
        return records
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise RuleError(f"{path}: invalid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    if not isinstance(data, list):
        raise RuleError(f"{path}: expected a JSON list of rule objects, got {type(data).__name__}")
    return [(f"{path} record {i}", record) for i, record in enumerate(data, 1)]


def check_unique_ids(located_ids: Iterable[tuple[str, str]]) -> None:
    """RuleError at the second of two rules with one id; `located_ids` holds (where, rule id) pairs."""
    first_at: dict[str, str] = {}
    for where, rule_id in located_ids:
        if rule_id in first_at:
            label = rule_label(where, rule_id)
            raise RuleError(f"{label}: duplicate rule id {rule_id!r} (first at {first_at[rule_id]})")
        first_at[rule_id] = where


def load_rule_file(schema: RuleSchema, build: Callable[[Any, str, int], T], path: str | Path | None = None) -> list[T]:
    """Rules of a file (default: the packaged one): ``build(record, where, index)`` checks and compiles
    each record (raising RuleError); rule ids (attribute ``id``) must be unique in the file."""
    records = read_records(path or schema.path)
    rules = [build(record, where, i) for i, (where, record) in enumerate(records)]
    check_unique_ids((where, rule.id) for (where, _), rule in zip(records, rules))
    return rules


# --------------------------------------------------------------------------------------------
# the schemas
# --------------------------------------------------------------------------------------------

_STR, _INT, _BOOL, _LIST, _OBJECT = (str,), (int,), (bool,), (list,), (dict,)
_STR_OR_NULL = (str, type(None))

SECTION_RULE_TYPES = ("section", "nested", "classify", "title_strip", "item_number")
SECTION_SCOPES = ("any", "preamble", "before_items", "body")
SECTION_EXTENTS = ("until_next", "match")
MEETING_FIELDS = ("council", "committee", "date", "time", "venue")
DOCUMENT_START_KINDS = ("start", "block", "reject")

_FLAGS = Field(
    "flags", _LIST, "Names from `re`: `IGNORECASE`, `DOTALL`, `VERBOSE`, `ASCII` (or `I`, `S`, `X`, `A`).", []
)
_COMMENT = Field("comment", _STR, "Free text: what the rule is for, with an example line.")

SECTION_RULES = RuleSchema(
    "Section rules",
    "sections.jsonl",
    "One JSON object per line. Read by the `minutes_sections` component "
    "(`pipeline/components/sections/`), which splits a document into top-level sections that tile the "
    "text and nested sections inside them.",
    (
        Field("id", _STR, "Unique name, used in errors and in `parent_rules`.", shown_default="`<kind>_<n>`"),
        Field(
            "kind",
            _STR,
            "Section kind, a lowercase identifier such as `item` or `attendance_group`; "
            "required except for `title_strip` and `item_number` rules, which have none.",
        ),
        Field(
            "type",
            _STR,
            "`section`: a top-level section starts at each match; `nested`: a section inside a "
            "top-level one; `classify`: re-kinds an `other` section whose text matches; `title_strip`: "
            "removed from titles; `item_number`: its `number` group, found near the start of an item whose heading "
            "printed none, is that item's number ('(Item 7.)' on a ModernGov item page).",
            "section",
            choices=SECTION_RULE_TYPES,
        ),
        Field(
            "pattern",
            _STR,
            "Python regular expression; `MULTILINE` is always on. Named groups `number` and "
            "`title` give `item_number` and `title`.",
            required=True,
        ),
        _FLAGS,
        Field(
            "priority",
            _INT,
            "On overlapping matches the higher wins; the highest-priority item rule that "
            "matches picks the layout; classify rules are tried by priority.",
            0,
        ),
        Field(
            "scope",
            _STR,
            "`preamble`: before the first attendance, apologies or item start; `before_items`: "
            "before the first item; `body`: after the first attendance, apologies or item start.",
            "any",
            choices=SECTION_SCOPES,
            only_for=("section",),
        ),
        Field(
            "extent",
            _STR,
            "`until_next`: the section runs to the next start; `match`: the section is the "
            "match (a block; a top-level block also takes the blank lines after it, and text after it up to "
            "the next start becomes `other`).",
            "until_next",
            choices=SECTION_EXTENTS,
            only_for=("section", "nested"),
        ),
        Field(
            "layout",
            _STR_OR_NULL,
            "Item layout name (`ai_markers`, `pipe_table`, `item_page`, "
            "`decision_notice`, `plain`); rules of the layouts not chosen for a document are off.",
            only_for=("section",),
        ),
        Field(
            "sequential",
            _BOOL,
            "Item numbers of these rules must increase through the document (the "
            "longest increasing run is kept); needs a `number` group.",
            False,
            only_for=("section",),
        ),
        Field(
            "merge",
            _BOOL,
            "A match does not start a new section when the open top-level section already has this kind.",
            False,
            only_for=("section",),
        ),
        Field(
            "start_group",
            _STR_OR_NULL,
            "The section starts at this named group instead of the match.",
            only_for=("section",),
        ),
        Field(
            "title", _STR_OR_NULL, "Fixed title when the pattern has no `title` group.", only_for=("section", "nested")
        ),
        Field(
            "parents",
            _LIST,
            "Kinds of the top-level sections a nested rule applies in.",
            only_for=("nested",),
            shown_default='`["item"]`',
        ),
        Field(
            "parent_rules",
            _LIST,
            "Only in top-level sections started by these rule ids.",
            only_for=("nested",),
            shown_default="`[]`",
        ),
        Field(
            "until",
            _LIST,
            "The nested section ends at the next nested start of these kinds (else at the parent's end).",
            only_for=("nested",),
            shown_default="`[<kind>]`",
        ),
        _COMMENT,
    ),
    notes=(
        "Write `[^\\S\\n]` for a space on this line (it includes tabs and NBSP), start line-anchored patterns "
        "with `^[^\\S\\n]*+` (possessive: no backtracking on long blank lines), and bound line-shaped patterns "
        "that scan a line twice (`^(?=[^\\n]{0,160}$)`).",
        "Besides the rules, two heading heuristics act as rules without patterns: plain-line item headings "
        "in documents with no numbered items, and plain-line sub-headings inside items "
        "(`pipeline/components/sections/headings.py`).",
    ),
)

MEETING_RULES = RuleSchema(
    "Meeting rules",
    "meeting.jsonl",
    "One JSON object per line. Read by the meeting-metadata step of `minutes_sections` "
    "(`pipeline/components/sections/meeting.py`), which fills `doc._.meeting` (council, committee, "
    "meeting date and time, venue). For each field the candidate of the highest priority wins, then the "
    "earliest in the text; a candidate that does not normalise (an unparseable date) is skipped.",
    (
        Field("id", _STR, "Unique name, used in errors.", shown_default="`meeting_<n>`"),
        Field(
            "type",
            _STR,
            "`extract`: read fields from the named groups `council`, `committee`, `date`, "
            "`time`, `venue` of each match (or set fixed values with `value`); `strip`: delete the match "
            "from an extracted value of `field` before it is normalised.",
            "extract",
            choices=("extract", "strip"),
        ),
        Field(
            "pattern",
            _STR,
            "Python regular expression; `MULTILINE` is always on, so `^` and `$` are line anchors.",
            required=True,
        ),
        _FLAGS,
        Field(
            "scope",
            _STR,
            "`header`: search only the top-level `header` sections; `document`: search the "
            "whole text (only for unambiguous labels such as `Decision Maker:`).",
            "header",
            choices=("header", "document"),
            only_for=("extract",),
        ),
        Field("priority", _INT, "Among candidates for one field the highest wins.", 0),
        Field(
            "pick",
            _STR,
            "Which of this rule's matches wins among candidates of equal priority: `first` in the text, or "
            "`last` (the body line nearest the meeting line under a parent body's line).",
            "first",
            choices=("first", "last"),
            only_for=("extract",),
        ),
        Field(
            "lead",
            _BOOL,
            "A `header` rule also searches the document's lead (its first section up to the first section "
            "inside it) when the splitter found no header: item pages, decision pages.",
            False,
            only_for=("extract",),
        ),
        Field(
            "value",
            _OBJECT,
            'Fixed values for fields when the pattern matches, e.g. `{"venue": "virtual meeting"}`.',
            only_for=("extract",),
            shown_default="`{}`",
        ),
        Field(
            "field",
            _STR,
            "The field a strip rule cleans; required for strip rules.",
            choices=MEETING_FIELDS,
            only_for=("strip",),
        ),
        _COMMENT,
    ),
)

DOCUMENT_START_RULES = RuleSchema(
    "Document-start rules",
    "document_starts.json",
    "A JSON list of objects. Read by `pipeline/ingest/split.py`, which splits a file holding several sets "
    "of minutes at the header of the second (third, ...) one. Patterns are matched against one line at a "
    "time, from its start (`re.match`); use inline flags such as `(?i)`.",
    (
        Field("id", _STR, "Unique name, used in errors.", required=True),
        Field(
            "kind",
            _STR,
            "`start`: a header cue line; `block`: a header line above a cue (council, "
            "committee, an `Appendix A` label); `reject`: a cue line matching this is a sentence, not a "
            "header.",
            "start",
            choices=DOCUMENT_START_KINDS,
        ),
        Field("pattern", _STR, "Python regular expression matched at the start of a line.", required=True),
        Field(
            "needs_block",
            _BOOL,
            "The cue counts only below a header block with a council or committee "
            "line (separates a new set of minutes from an item titled `Minutes of the Meeting held on ...`).",
            False,
            only_for=("start",),
        ),
        Field("org", _BOOL, "This block line names a council or committee.", False, only_for=("block",)),
        Field("example", _STR, "A line the rule matches, for readers."),
    ),
    type_key="kind",
    pattern_flags=0,
)

OFFICE_TITLE_RULES = RuleSchema(
    "Office titles",
    "office_titles.jsonl",
    "One JSON object per line: an elected or civic office used as a title directly before a name "
    "(`County Councillor Ann Hale`). Such a title is a ROLE mention joined to the person by HAS_ROLE "
    "(annotations/GUIDELINES.md); a plural title before several names is one ROLE for each of them. Read "
    "by `pipeline/training/titles.py` (the checked re-annotation of the gold) and by the relation step's "
    "`title_before_name` rule. Honorifics (Mr, Dr), police ranks and post-nominals are not office titles.",
    (
        Field("id", _STR, "Unique name, used in errors.", required=True),
        Field("title", _STR, "The singular title as written before one name, e.g. `County Councillor`.", required=True),
        Field("plural", _STR_OR_NULL, "The plural written before several names, e.g. `County Councillors`."),
        Field(
            "upper",
            _BOOL,
            "The title is also matched in capitals (`COUNCILLOR`); false for abbreviations such as `CC`.",
            True,
        ),
        _COMMENT,
    ),
    type_key="",
    pattern_flags=0,
)

NOT_FIGURE_RULES = RuleSchema(
    "Numbers that are not figures",
    "not_figures.jsonl",
    "One JSON object per line. Read by the `minutes_not_figures` component, which runs right after the NER: "
    "every match of a rule's pattern in the text is a telephone number, file size, item or minute number "
    "(or the like), and a DATE or METRIC entity that overlaps it is removed, whatever the model said.",
    (
        Field("id", _STR, "Unique name, used in errors and in the component's counts.", required=True),
        Field("pattern", _STR, "Python regular expression searched in the whole text.", required=True),
        _FLAGS,
        Field(
            "labels",
            _LIST,
            "Entity labels removed where they overlap a match.",
            shown_default='`["DATE", "METRIC"]`',
        ),
        Field("example", _STR, "A piece of text the rule matches, for readers; checked by the tests.", required=True),
        _COMMENT,
    ),
    type_key="",
    pattern_flags=0,
)

NAME_AFFIX_RULES = RuleSchema(
    "Name affixes",
    "name_affixes.jsonl",
    "One JSON object per line: words written before a name (honorifics) or after it (post-nominals) that are "
    "never part of a PERSON mention, and the article before a body named for what it does (never part of the "
    "ORG). Read by the `minutes_titles` component, which trims them off a PERSON the "
    "NER predicted with them (`Dr Ann Hale OBE` → `Ann Hale`).",
    (
        Field("id", _STR, "Unique name, used in errors.", required=True),
        Field(
            "kind",
            _STR,
            "`honorific`: trimmed from the start of a PERSON; `post_nominal`: from its end; `org_article`: trimmed "
            "from the start of an ORG whose last word is an `org_generic_body` word ('The Youth Offending Team').",
            required=True,
            choices=("honorific", "post_nominal", "org_article", "org_generic_body"),
        ),
        Field(
            "words",
            _LIST,
            "The words, as written (case matters: `MS` is a post-nominal, `Ms` an honorific).",
            required=True,
        ),
        _COMMENT,
    ),
    type_key="kind",
    pattern_flags=0,
)

ATTENDANCE_STATUSES = ("chair", "substitute", "apologies", "present", "in_attendance")
CUE_EFFECTS = (*ATTENDANCE_STATUSES, "none", "defer")

ATTENDANCE_CUE_RULES = RuleSchema(
    "Attendance cues",
    "attendance_cues.jsonl",
    "One JSON object per line: words in a sentence that say what the people it covers did at this meeting "
    "(`apologies were received from`, `replaced`, `on behalf of`, `in the Chair`) or that they did not attend "
    "it at all (`has replaced` a member, `the appointment of`, `Contact:`). Read by `pipeline/facts/cues.py`. A "
    "cue governs the names in its scope: a name's governing cue is a cue right next to it, else the nearest cue "
    "above it in the dependency parse (prose), else the nearest cue on its line or one that introduces the list "
    "it is in. Names before the "
    "cue get `before`, names after it `after`: an attendance status, `none` (this mention is not attendance) "
    "or `defer` (the cue says nothing about them: an enclosing cue, the list they sit in or the classifier "
    "decides). Matched case-insensitively.",
    (
        Field("id", _STR, "Unique name, used in errors and in `attendance.evidence` (`cue:<id>`).", required=True),
        Field("pattern", _STR, "Python regular expression searched in each sentence.", required=True),
        Field("before", _STR, "What the names before the cue are.", "defer", choices=CUE_EFFECTS),
        Field("after", _STR, "What the names after the cue are.", "defer", choices=CUE_EFFECTS),
        Field(
            "before_alone",
            _STR_OR_NULL,
            "`before` when no name follows the cue (`A attended on behalf of the Trust`: in_attendance, "
            "not a substitute).",
            choices=(*CUE_EFFECTS, None),
        ),
        Field(
            "before_non_members",
            _STR_OR_NULL,
            "`before` when neither the name nor the names after the cue carry an elected member's office title "
            "(`Dr A attended on behalf of B, Director of Public Health`: an officer deputy is in attendance; "
            "`Councillor A on behalf of Councillor B`: a substitute).",
            choices=(*CUE_EFFECTS, None),
        ),
        Field("requires", _STR_OR_NULL, "The cue applies only when the sentence also matches this expression."),
        Field("unless", _STR_OR_NULL, "The cue does not apply when the sentence matches this expression."),
        Field("priority", _INT, "Of two overlapping cues the higher priority wins (then the longer match).", 0),
        Field(
            "scope",
            _STR,
            "`sentence`: the cue covers names in its sentence (and a list it introduces); `line`: only names on "
            "its own line (a labelled table row, a status column); `name`: only the name right next to it "
            "('A, B and C (Chair)': C alone).",
            "sentence",
            choices=("sentence", "line", "name"),
        ),
        Field("example", _STR, "A sentence the cue applies to, for readers; checked by the tests.", required=True),
        _COMMENT,
    ),
    type_key="",
    pattern_flags=re.IGNORECASE,
)

# the vocabulary of the decisions, votes and interests tables, shared with the gold checker (training/markup.py)
DECISION_OUTCOMES = ("approved", "noted", "deferred", "refused", "amended")
DECISION_CARRIED = ("unanimous", "vote")
VOTES = ("for", "against", "abstain", "did_not_vote")
INTEREST_KINDS = (
    "disclosable_pecuniary",
    "pecuniary",
    "non_pecuniary",
    "other_registrable",
    "non_registrable",
    "personal",
    "prejudicial",
    "unspecified",
)
DECISION_CUE_KINDS = {
    # kind: the values its rules may give (None: no value)
    "outcome": DECISION_OUTCOMES,
    "carried": DECISION_CARRIED,
    "vote_label": VOTES,
    "person_vote": VOTES,
    "tally": (),
    "interest": (),
    "no_interest": (),
    "interest_kind": INTEREST_KINDS,
    "withdrew": ("yes", "no"),
    "motion_closed": (),
    "other_motion": (),
    "decision_sentence": (),
}

DECISION_CUE_RULES = RuleSchema(
    "Decision, vote and interest cues",
    "decision_cues.jsonl",
    "One JSON object per line: the words that say what a decision did, how it was carried, how members voted "
    "and what they declared. Read by `pipeline/facts/decisions.py` (the `decisions`, `votes` and `interests` "
    "tables). Kinds: `outcome` (in a decision's text: approved, noted, deferred, refused, amended; of several "
    "the highest priority wins), `carried` (in the decision, its cue line or the item's text just before it: "
    "unanimous or vote), `vote_label` (a label before a list of names: `For:`, `Against (3):`, `Abstentions:`), "
    "`person_vote` (a sentence saying how the person named before the cue voted: `asked that her vote against be "
    "recorded`), `tally` (counts, with named groups `for`, `against` and optionally `abstain`; `{N}` in the "
    "pattern stands for a count in figures or words), `interest` (a sentence declaring an interest), "
    "`no_interest` (a sentence saying none were declared), `interest_kind` (the kind, as the council words it), "
    "`withdrew` (yes: the person left or took no part; no: they stayed), `motion_closed` (a sentence closing "
    "the vote on a motion or amendment: a vote list before it is not on the resolution after it), `other_motion` "
    "(a sentence about another motion, an amendment: a tally in it before a resolution is not the resolution's), "
    "`decision_sentence` (a sentence of a minute that is a decision where no `Resolved` line opens one: 'Noted.', "
    "'The minutes … were agreed as a correct record'; searched in each sentence, anchor it for a word alone). "
    "Matched case-insensitively.",
    (
        Field("id", _STR, "Unique name, used in errors and in `votes.evidence` (`cue:<id>`).", required=True),
        Field("kind", _STR, "What the cue says (above).", required=True, choices=tuple(DECISION_CUE_KINDS)),
        Field("pattern", _STR, "Python regular expression.", required=True),
        Field("value", _STR_OR_NULL, "The outcome, vote, kind or yes/no the cue gives (kinds that have values)."),
        Field("priority", _INT, "Of two matching cues of one kind the higher priority wins.", 0),
        Field(
            "example", _STR, "A piece of text the pattern matches, for readers; checked by the tests.", required=True
        ),
        _COMMENT,
    ),
    type_key="kind",
    pattern_flags=re.IGNORECASE | re.MULTILINE,
)

SCHEMAS: tuple[RuleSchema, ...] = (
    SECTION_RULES,
    MEETING_RULES,
    DOCUMENT_START_RULES,
    OFFICE_TITLE_RULES,
    NAME_AFFIX_RULES,
    NOT_FIGURE_RULES,
    ATTENDANCE_CUE_RULES,
    DECISION_CUE_RULES,
)
