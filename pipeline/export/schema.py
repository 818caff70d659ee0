"""Every output table, declared once: column, Arrow type, description.

The data dictionary (docs/TABLES.md) is generated from this module (`minutes dictionary`), and a
test fails when it is stale. Writers build Arrow tables with exactly these schemas, so an empty
table still has its columns and types.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    one_row_per: str
    description: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def make_doc_id(sha256: str, part: int) -> str:
    """Stable document id: the file's content hash and the document's index in the file, never the run."""
    return f"{sha256[:16]}-{part}"


def content_key(sha256: str) -> str:
    """Name of the Parquet parts holding one source file's rows (content-addressed: no two workers collide)."""
    return sha256[:24]


def path_key(source_path: str) -> str:
    """Key for rows about a path whose content could not be read (errors only)."""
    return "p" + hashlib.sha256(source_path.encode("utf-8", "surrogateescape")).hexdigest()[:23]


_S, _I, _F, _D = pa.string(), pa.int64(), pa.float64(), pa.date32()

DOC_ID = Column(
    "doc_id",
    _S,
    "Stable document id: first 16 hex digits of the file's SHA-256, '-', the document's index in the file.",
)
SECTION_ID = Column(
    "section_id", _S, "Innermost section containing the row's start offset (`<doc_id>:s<index>`), null if none."
)
START = Column("start_char", _I, "Start offset (characters) into documents.text.")
END = Column("end_char", _I, "End offset (exclusive) into documents.text; text == documents.text[start_char:end_char].")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "documents",
            "document (one set of minutes; a file can hold several)",
            "One row per document found in the corpus, with meeting metadata and the exact text all offsets refer to.",
            (
                DOC_ID,
                Column("source_path", _S, "Path of the source file relative to the corpus folder."),
                Column("source_url", _S, "Where the source file was published: the manifest's url, else null."),
                Column("part", _I, "0-based index of this document within its source file."),
                Column("sha256", _S, "SHA-256 of the source file's bytes."),
                Column("format", _S, "Detected input format: txt, html, pdf or docx."),
                Column("encoding", _S, "Detected text encoding (txt/html), null otherwise."),
                Column(
                    "council",
                    _S,
                    "Council, e.g. 'Lancashire County Council': from the manifest, --council, the council's folder "
                    "or the header (see council_source).",
                ),
                Column("committee", _S, "Committee, board or panel: from the manifest or the header."),
                Column("meeting_date", _D, "Date of the meeting: from the manifest or the header."),
                Column("meeting_time", _S, "Start time, 24-hour 'HH:MM'."),
                Column("venue", _S, "Venue as printed in the header, link residue removed."),
                Column(
                    "council_source",
                    _S,
                    "Where council came from: manifest, option (--council), folder (--council-from-folder), "
                    "text (the header or a contact address); null when unknown.",
                ),
                Column("committee_source", _S, "Where committee came from: manifest or text; null when unknown."),
                Column("meeting_date_source", _S, "Where meeting_date came from: manifest or text; null when unknown."),
                Column("n_chars", _I, "Length of the document text in characters."),
                Column("n_words", _I, "Number of whitespace-separated words in the text."),
                Column("text", _S, "The document text all offsets in every table refer to."),
                Column("pipeline_version", _S, "Version of the minutes-ie package that produced the row."),
                Column("model_version", _S, "Name and version of the trained model (or 'rules-only')."),
            ),
        ),
        Table(
            "sections",
            "section of a document",
            "Header, attendance, apologies, agenda items, resolutions, glossary and boilerplate blocks. "
            "Top-level sections (parent_id null) tile the document; resolutions and sub-blocks nest inside.",
            (
                DOC_ID,
                Column("section_id", _S, "`<doc_id>:s<index>`, index in document order."),
                Column(
                    "kind",
                    _S,
                    "header, attendance, attendance_group, apologies, item, resolution, minutes, glossary, "
                    "boilerplate, other.",
                ),
                Column("item_number", _S, "Agenda item number as printed ('4', '45/19'), for items."),
                Column("title", _S, "Heading text (item title, attendance sub-heading)."),
                START,
                END,
                Column("parent_id", _S, "section_id of the enclosing section, null for top-level sections."),
            ),
        ),
        Table(
            "entities",
            "entity mention",
            "PERSON, ROLE, ORG, DATE and METRIC mentions found by the trained NER.",
            (
                DOC_ID,
                Column("entity_id", _S, "`<doc_id>:e<index>`, index in document order."),
                Column("label", _S, "PERSON, ROLE, ORG, DATE or METRIC."),
                Column("text", _S, "The mention as it appears in the text."),
                Column(
                    "norm",
                    _S,
                    "Normalised form: canonical person name, ISO date or range, expanded acronym, tidied role, "
                    "metric value.",
                ),
                START,
                END,
                SECTION_ID,
                Column("sentence", _S, "The sentence (or line) containing the mention."),
                Column("score", _F, "Model confidence where the model provides one, else null."),
            ),
        ),
        Table(
            "relations",
            "relation between two entity mentions",
            "HAS_ROLE (person→role), AFFILIATED_WITH (person→org), ROLE_IN_ORG (role→org).",
            (
                DOC_ID,
                Column("relation_id", _S, "`<doc_id>:r<index>`."),
                Column("label", _S, "HAS_ROLE, AFFILIATED_WITH or ROLE_IN_ORG."),
                Column("head_id", _S, "entity_id of the head (person or role)."),
                Column("tail_id", _S, "entity_id of the tail (role or organisation)."),
                Column("head_text", _S, "Text of the head mention."),
                Column("tail_text", _S, "Text of the tail mention."),
                Column("score", _F, "Confidence in [0, 1]."),
                Column("evidence", _S, "'rule:<name>' when a layout rule decided, 'model' when the classifier did."),
                SECTION_ID,
            ),
        ),
        Table(
            "metrics",
            "METRIC mention",
            "Every reported figure with its value, unit, what it measures and when.",
            (
                DOC_ID,
                Column("entity_id", _S, "entity_id of the METRIC mention."),
                Column("text", _S, "The mention as it appears ('48.2 per 10,000')."),
                Column("value", _F, "The number (1,548 → 1548; £1.2m → 1200000; eleven → 11)."),
                Column("unit", _S, "count, percent, rate, currency or average."),
                Column("per", _F, "Rate base for unit 'rate' (10000 for 'per 10,000'), else null."),
                Column("approximate", pa.bool_(), "True for hedged figures ('around 40', 'mid-70s')."),
                Column("indicator", _S, "Words saying what is measured ('re-referral rate')."),
                Column("period", _S, "ISO day, month, year or range ('2018-04-01..2019-03-31') the figure refers to."),
                Column("period_start", _D, "First day of period."),
                Column("period_end", _D, "Last day of period."),
                Column("compare_to", _S, "entity_id of the other figure in a change ('from 130 to 75'), else null."),
                START,
                END,
                SECTION_ID,
                Column("sentence", _S, "The sentence (or line) containing the figure."),
            ),
        ),
        Table(
            "attendance",
            "person at a meeting",
            "Who was present, sent apologies, substituted, was in attendance or chaired.",
            (
                DOC_ID,
                Column("person", _S, "Canonical name (titles and post-nominals removed)."),
                Column("person_id", _S, "Corpus-wide person id (see the people table)."),
                Column("status", _S, "present, apologies, substitute, in_attendance or chair."),
                Column("role", _S, "Role stated for the person at this meeting, if any."),
                Column("org", _S, "Organisation stated for the person at this meeting, if any."),
                Column("entity_id", _S, "entity_id of the mention the row was built from."),
                SECTION_ID,
                Column(
                    "evidence",
                    _S,
                    "What decided: 'cue:<id>/parse' or 'cue:<id>/order' (an attendance cue and how its scope was "
                    "found), 'list:<heading>' (the attendance list it sits in).",
                ),
                Column(
                    "score", _F, "How sure that kind of evidence is, in [0, 1]; sort by it to review doubtful rows."
                ),
            ),
        ),
        Table(
            "decisions",
            "decision of a meeting",
            "What was resolved, agreed or decided on each item: one row per resolution, or per numbered part of "
            "one ('(1)', '(ii)', 'a)'), with the outcome and how it was carried where the minutes say.",
            (
                DOC_ID,
                Column("decision_id", _S, "`<doc_id>:d<index>`, index in document order."),
                Column("item_number", _S, "Agenda item number of the item the decision is under, as printed."),
                Column("item_title", _S, "Title of that item."),
                Column("part", _S, "Label of the numbered part ('1', 'ii', 'a'); null for a resolution in one piece."),
                Column("text", _S, "The decision's words, without the 'Resolved:' cue and the part label."),
                Column(
                    "outcome",
                    _S,
                    "approved, noted, deferred, refused or amended, when the words say (the cue in "
                    "pipeline/patterns/decision_cues.jsonl); null otherwise.",
                ),
                Column("carried", _S, "unanimous or vote, when the minutes say how it was carried; null otherwise."),
                Column("votes_for", _I, "Votes for, as stated in a tally or counted from a named vote."),
                Column("votes_against", _I, "Votes against (same sources)."),
                Column("votes_abstain", _I, "Abstentions (same sources)."),
                Column(
                    "tally_source",
                    _S,
                    "stated (a tally in the text), named (counted from the votes table's rows), both, or null.",
                ),
                Column(
                    "tally_consistent",
                    pa.bool_(),
                    "With both a stated tally and named votes: whether their counts agree; else null.",
                ),
                START,
                END,
                SECTION_ID,
            ),
        ),
        Table(
            "votes",
            "member's vote",
            "How each named member voted in a recorded or named vote ('For: Councillors A and B; Against: C', "
            "'Councillor X asked that her vote against be recorded').",
            (
                DOC_ID,
                Column("decision_id", _S, "The decision voted on (see decisions); null when none could be placed."),
                Column("item_number", _S, "Agenda item number, as printed."),
                Column("person", _S, "Canonical name."),
                Column("person_id", _S, "Corpus-wide person id (see the people table)."),
                Column("vote", _S, "for, against, abstain or did_not_vote."),
                Column("entity_id", _S, "entity_id of the PERSON mention."),
                Column("evidence", _S, "The cue that gave the vote: 'cue:<id>'."),
                START,
                END,
                SECTION_ID,
            ),
        ),
        Table(
            "interests",
            "declaration of interest",
            "Who declared an interest in which item, of what kind (as the council's wording has it), why, and "
            "whether they withdrew.",
            (
                DOC_ID,
                Column("item_number", _S, "The item the interest is in, as printed; null when not stated."),
                Column("person", _S, "Canonical name."),
                Column("person_id", _S, "Corpus-wide person id (see the people table)."),
                Column(
                    "kind",
                    _S,
                    "disclosable_pecuniary, pecuniary, non_pecuniary, other_registrable, non_registrable, personal, "
                    "prejudicial or unspecified.",
                ),
                Column("reason", _S, "The stated reason ('as a governor of Anytown School'), else null."),
                Column("withdrew", pa.bool_(), "True when the person left the room or took no part in the item."),
                Column("entity_id", _S, "entity_id of the PERSON mention."),
                Column("sentence", _S, "The sentence of the declaration."),
                START,
                END,
                SECTION_ID,
            ),
        ),
        Table(
            "people",
            "person across the corpus",
            "People merged across meetings (same canonical name; initials + surname only when unambiguous "
            "within a council). People of documents whose council is unknown are merged only within their "
            "source file.",
            (
                Column(
                    "person_id",
                    _S,
                    "Stable id: hash of the council (or, council unknown, the source file's content) and the "
                    "canonical name chosen for the person.",
                ),
                Column("name", _S, "Canonical name (the fullest form seen)."),
                Column(
                    "council",
                    _S,
                    "Council the person was seen in (people are not merged across councils); null when unknown.",
                ),
                Column("aliases", pa.list_(_S), "Every other canonical form merged into this person."),
                Column("first_seen", _D, "Earliest meeting date the person appears in."),
                Column("last_seen", _D, "Latest meeting date the person appears in."),
                Column("n_meetings", _I, "Number of documents the person appears in."),
            ),
        ),
        Table(
            "role_history",
            "person holding a role at a meeting",
            "Who held which post, in which organisation, when "
            "(from HAS_ROLE/AFFILIATED_WITH relations and attendance).",
            (
                Column("person_id", _S, "Person (see people)."),
                Column("person", _S, "Canonical name."),
                Column("role", _S, "Role, casing normalised."),
                Column("org", _S, "Organisation, acronyms expanded where defined."),
                DOC_ID,
                Column("meeting_date", _D, "Date of the meeting the role was stated at."),
            ),
        ),
        Table(
            "errors",
            "input that failed",
            "A file or document that could not be read or processed, with the stage and a clear message. "
            "The run goes on.",
            (
                Column("source_path", _S, "Path of the source file relative to the corpus folder."),
                Column("part", _I, "Document index within the file, null when the whole file failed."),
                Column("sha256", _S, "SHA-256 of the file's bytes when they could be read."),
                Column("stage", _S, "read, detect, decode, parse, split, limit, nlp, timeout or write."),
                Column("error", _S, "Error class."),
                Column("message", _S, "What went wrong, in words."),
            ),
        ),
    )
}

# Tables with one part per source file's content; the rest are rebuilt over the whole corpus each run.
PER_FILE_TABLES = (
    "documents",
    "sections",
    "entities",
    "relations",
    "metrics",
    "attendance",
    "decisions",
    "votes",
    "interests",
    "errors",
)
CORPUS_TABLES = ("people", "role_history")

# Keys, for the exports that index and join (SQLite, Datasette): the column that names each row of a table, and
# the columns that point at another table's key ("table.column"). Ids are content-derived, so they are unique.
PRIMARY_KEYS: dict[str, str] = {
    "documents": "doc_id",
    "sections": "section_id",
    "entities": "entity_id",
    "relations": "relation_id",
    "people": "person_id",
    "decisions": "decision_id",
}
_TO_DOC, _TO_SECTION, _TO_ENTITY = "documents.doc_id", "sections.section_id", "entities.entity_id"
JOIN_KEYS: dict[str, dict[str, str]] = {
    "sections": {"doc_id": _TO_DOC, "parent_id": _TO_SECTION},
    "entities": {"doc_id": _TO_DOC, "section_id": _TO_SECTION},
    "relations": {"doc_id": _TO_DOC, "head_id": _TO_ENTITY, "tail_id": _TO_ENTITY, "section_id": _TO_SECTION},
    "metrics": {"doc_id": _TO_DOC, "entity_id": _TO_ENTITY, "compare_to": _TO_ENTITY, "section_id": _TO_SECTION},
    "attendance": {
        "doc_id": _TO_DOC,
        "person_id": "people.person_id",
        "entity_id": _TO_ENTITY,
        "section_id": _TO_SECTION,
    },
    "role_history": {"person_id": "people.person_id", "doc_id": _TO_DOC},
    "decisions": {"doc_id": _TO_DOC, "section_id": _TO_SECTION},
    "votes": {
        "doc_id": _TO_DOC,
        "decision_id": "decisions.decision_id",
        "person_id": "people.person_id",
        "entity_id": _TO_ENTITY,
        "section_id": _TO_SECTION,
    },
    "interests": {
        "doc_id": _TO_DOC,
        "person_id": "people.person_id",
        "entity_id": _TO_ENTITY,
        "section_id": _TO_SECTION,
    },
}


def empty_rows() -> dict[str, list[dict]]:
    return {name: [] for name in PER_FILE_TABLES}


def data_dictionary() -> str:
    """Markdown data dictionary generated from TABLES."""
    out = [
        "# Data dictionary",
        "",
        "Generated from `pipeline/export/schema.py` by `minutes dictionary`; do not edit by hand.",
        "Each table is a folder of Parquet parts under the output folder (`data/extracted/<table>/`).",
        "Every offset is a character offset into `documents.text` of the same `doc_id`.",
        "",
    ]
    for t in TABLES.values():
        out += [
            f"## {t.name}",
            "",
            f"One row per {t.one_row_per}. {t.description}",
            "",
            "| column | type | description |",
            "| --- | --- | --- |",
        ]
        out += [f"| `{c.name}` | {c.type} | {c.description} |" for c in t.columns]
        out.append("")
    return "\n".join(out)
