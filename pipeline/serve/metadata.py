"""Datasette's metadata for the SQLite export, generated from the schema: table and column descriptions, facets,
full-text search over the documents' text, the canned queries analysts ask first, and the review plugin's
settings."""

from __future__ import annotations

from ..analysis.loading import ATTENDED
from ..export.schema import TABLES
from ..export.sqlite_export import (
    DICTIONARY_COLUMNS,
    DICTIONARY_TABLES,
    EXPORT_INFO,
    FTS_TABLE,
    VIEWS,
    view_columns,
)

PLUGIN = "minutes-review"  # the review plugin's name in the metadata (pipeline/serve/review_plugin.py)

# facets shown above each table (the values a reader filters by first)
FACETS = {
    "documents": ["council", "committee", "meeting_date"],
    "sections": ["kind"],
    "entities": ["label"],
    "relations": ["label", "evidence"],
    "metrics": ["unit", "indicator"],
    "attendance": ["status"],
    "attendance_by_meeting": ["committee", "meeting_date", "status"],
    "metrics_by_meeting": ["committee", "meeting_date", "unit"],
    "people": ["council"],
    "role_history": ["role", "meeting_date"],
    "decisions": ["outcome", "carried", "tally_source"],
    "votes": ["vote"],
    "interests": ["kind", "withdrew"],
    "errors": ["stage"],
}
# the column Datasette shows for a row that another table points at (head_id -> the entity's text, ...)
LABEL_COLUMNS = {"documents": "committee", "sections": "kind", "entities": "text", "people": "name"}
SORT = {"documents": "meeting_date", "attendance_by_meeting": "meeting_date", "metrics_by_meeting": "meeting_date"}

_ATTENDED = ", ".join(f"'{status}'" for status in ATTENDED)
QUERIES = {
    "who_attended_which_committee": {
        "title": "Who attended which committee",
        "description": "Per committee and person: meetings attended (" + ", ".join(ATTENDED) + "), apologies "
        "sent, and the first and last meeting they were listed at.",
        "sql": f"""select d.council, d.committee, a.person, a.person_id,
  count(distinct case when a.status in ({_ATTENDED}) then a.doc_id end) as meetings_attended,
  count(distinct case when a.status = 'apologies' then a.doc_id end) as apologies,
  min(d.meeting_date) as first_meeting, max(d.meeting_date) as last_meeting
from attendance a join documents d on d.doc_id = a.doc_id
group by d.council, d.committee, coalesce(a.person_id, a.person)
order by d.committee, meetings_attended desc, a.person""",
    },
    "figures_for_an_indicator": {
        "title": "Every figure for an indicator over time",
        "description": "Every reported figure whose indicator contains the words given (e.g. 'referral', "
        "'looked after'), in time order: dated by the period it refers to, else by the meeting.",
        "sql": """select coalesce(m.period_start, d.meeting_date) as dated,
  case when m.period_start is null then 'meeting date' else 'period' end as dated_by,
  m.indicator, m.value, m.unit, m.per, m.text, m.period, d.committee, d.meeting_date, m.doc_id, m.entity_id
from metrics m join documents d on d.doc_id = m.doc_id
where m.indicator like '%' || :indicator || '%'
order by dated, m.indicator""",
    },
    "who_held_which_post_when": {
        "title": "Who held which post when",
        "description": "Per person, post and organisation (role_history): the first and last meeting it was "
        "stated at and the number of meetings.",
        "sql": """select person, person_id, role, org, min(meeting_date) as first_meeting,
  max(meeting_date) as last_meeting, count(distinct doc_id) as meetings
from role_history
group by person_id, coalesce(role, ''), coalesce(org, '')
order by person, first_meeting""",
    },
    "decisions_per_committee": {
        "title": "Decisions per committee over time",
        "description": "Per committee and meeting: decisions recorded, and how many were approved, noted, "
        "deferred, refused or amended, and how many went to a vote.",
        "sql": """select d.council, d.committee, d.meeting_date, count(*) as decisions,
  sum(x.outcome = 'approved') as approved, sum(x.outcome = 'noted') as noted,
  sum(x.outcome = 'deferred') as deferred, sum(x.outcome = 'refused') as refused,
  sum(x.outcome = 'amended') as amended, sum(x.carried = 'vote') as put_to_a_vote
from decisions x join documents d on d.doc_id = x.doc_id
group by d.council, d.committee, d.meeting_date
order by d.committee, d.meeting_date""",
    },
    "a_members_voting_record": {
        "title": "A member's voting record",
        "description": "Every named vote of the members whose name contains the words given, with the decision "
        "voted on and the meeting.",
        "sql": """select v.person, v.person_id, v.vote, d.committee, d.meeting_date, v.item_number,
  x.text as decision, x.outcome, v.doc_id
from votes v join documents d on d.doc_id = v.doc_id left join decisions x on x.decision_id = v.decision_id
where v.person like '%' || :name || '%'
order by d.meeting_date, v.item_number""",
    },
    "interests_declared": {
        "title": "Declarations of interest",
        "description": "Who declared which kind of interest, in which item, why, and whether they withdrew.",
        "sql": """select i.person, i.person_id, i.kind, i.reason, i.withdrew, i.item_number, d.committee,
  d.meeting_date, i.doc_id
from interests i join documents d on d.doc_id = i.doc_id
order by i.person, d.meeting_date""",
    },
}


def _table_metadata(name: str) -> dict:
    if name in VIEWS:
        base = VIEWS[name]
        description = f"{base} with its document's council, committee and meeting date: {TABLES[base].description}"
        columns = {column: text for column, _, text in view_columns(name)}
    else:
        spec = TABLES[name]
        lead = f"One row per {spec.one_row_per}."
        description = spec.description if spec.description.startswith("One row per") else f"{lead} {spec.description}"
        columns = {c.name: c.description for c in spec.columns}
    meta = {"description": description, "columns": columns, "facets": FACETS.get(name, [])}
    if name in LABEL_COLUMNS:
        meta["label_column"] = LABEL_COLUMNS[name]
    if name in SORT:
        meta["sort"] = SORT[name]
    return meta


def datasette_metadata(database: str, plugin_settings: dict) -> dict:
    """The metadata.json Datasette is started with; `database` is the SQLite file's stem (its name in URLs)."""
    tables = {name: _table_metadata(name) for name in [*TABLES, *VIEWS]}
    tables["documents"] |= {"fts_table": FTS_TABLE, "fts_pk": "rowid"}
    tables[DICTIONARY_TABLES] = {"description": "The tables and views of this database, with their row counts."}
    tables[DICTIONARY_COLUMNS] = {"description": "Every column: type and description (the data dictionary)."}
    tables[EXPORT_INFO] = {
        "description": "Which tables folder and version this database was built from.",
        "hidden": True,
    }
    return {
        "title": "minutes-ie: tables extracted from committee minutes",
        "description": "Meetings, their sections, who attended, who holds which post, and every figure reported. "
        "Search the documents' text on the documents table; each doc_id links to its document and its review "
        "page (the text with every row's span highlighted).",
        "databases": {
            database: {
                "description": "The extracted tables (one SQLite table per table) and two views that add "
                "each row's meeting; the data dictionary is in dictionary_tables and dictionary_columns.",
                "tables": tables,
                "queries": QUERIES,
            }
        },
        "plugins": {PLUGIN: plugin_settings | {"database": database}},
    }
