r"""`minutes_sections`: rule-based section splitter and meeting-metadata extractor for committee minutes.

Usage::

    nlp = spacy.blank("en")
    nlp.add_pipe("minutes_sections")
    nlp.initialize()                 # loads pipeline/patterns/sections.jsonl and meeting.jsonl
    doc = nlp(text)
    doc._.sections, doc._.meeting, doc.spans["sections"]

Modules: :mod:`.rules` (what a section rule means; the keys are in docs/RULES.md), :mod:`.headings`
(plain-line heading heuristics), :mod:`.split` (the splitting algorithm, no spaCy), :mod:`.meeting`
(meeting metadata from the header sections) and :mod:`.component` (the spaCy component).

Output
------
``doc._.sections`` -- plain JSON-serialisable dicts in document order (parents before children; the
list position equals ``index``)::

    {"index": 3, "kind": "item", "start_char": 812, "end_char": 1402,
     "item_number": "2", "title": "Disclosure of Pecuniary and Non-Pecuniary Interests", "parent": None}

The character offsets are the source of truth. ``doc.spans["sections"]`` (key set by ``spans_key``)
holds the same sections as spaCy Spans labelled with the kind, aligned to tokens with
``alignment_mode="expand"`` (a section whose offsets cover no token has no Span).
``doc._.meeting`` -- ``{"council", "committee", "meeting_date", "meeting_time", "venue"}``, None where
unknown; see :mod:`.meeting`.

Kinds
-----
Top-level sections (``parent`` None) tile the text: they cover ``[0, len(text))`` with no gap or overlap,
trailing whitespace included.

- ``header``: council, committee, "Minutes of the Meeting held on ...", page title, ``Venue:`` /
  ``Contact:`` lines. A header interrupted by a boilerplate block (web page) continues as a second
  ``header`` section after it; metadata is read from all of them.
- ``attendance``: ``Present:`` / ``Members Present`` / ``Attendance Details`` / ``PRESENT:`` ... up to the
  first item; ``ALSO PRESENT:``, ``In attendance:``, ``OFFICERS IN ATTENDANCE:`` join the block already
  open. Also an unlabelled block before the items whose text is about attendance (substitutions
  "A replaced B", "X attended on behalf of Y").
- ``apologies``: a standalone ``Apologies:`` block before the items (briefing notes), or an unlabelled
  "Apologies were received from ..." block before the items.
- ``item``: every agenda item; ``item_number`` as printed without its trailing dot ("1", "45/19",
  "CAB 23/21") or None for unnumbered headings; ``title`` the heading text, trimmed, link residue removed.
- ``glossary``: an acronym glossary after a ``Glossary:`` heading.
- ``boilerplate``: webcast/public-access notice, ``Items`` / ``No. Item`` and table-header residue,
  stray page numbers at the end.
- ``other``: any remaining unlabelled text (e.g. "Appendix A" above a header).

Nested sections have ``parent`` = the index of the enclosing top-level section (one level of nesting:
a ``resolution`` inside a ``minutes`` section still has the item as parent, and nested sections of one
parent may overlap). Their leading and trailing whitespace is trimmed.

- in ``item``: ``resolution`` (``Resolved:``, ``Resolved -``, ``RESOLVED –``, ``Agreed:``, ``Decision:``,
  ``It was agreed that:``, "The following actions were agreed ...:") up to the next resolution,
  sub-heading, action, field, recommendation or boilerplate, else the item end; ``minutes`` (web
  pages: from ``Minutes:`` to the item end); ``recommendation`` (item pages: ``Recommended -``);
  ``action`` (``Action: <role>``); ``field`` (decision notices: one per label, title = the label);
  ``subheading`` (plain-line sub-headings inside an item, e.g. "Care Leavers Christmas Gifts" under
  "Any Other Business"; same conservative test as briefing-note headings, see :mod:`.headings`); ``boilerplate``
  (``... view the full minutes text for item 4.``, ``Additional documents:``, ``Media``, page numbers,
  repeated running headers); ``glossary`` (three or more unheaded ``ACRONYM – Expansion`` lines).
- in ``attendance``: ``attendance_group`` per sub-heading (``Members``, ``Committee Members:``,
  ``Co-opted members``, ``Officers``, ``Other Attendees``, ``Also present:`` ...), title = the sub-heading
  without its colon, up to the next sub-heading; ``boilerplate`` page numbers.
- in ``header``: ``boilerplate`` (``Media``).  In ``glossary`` / ``apologies`` / ``other``: page numbers.

Why nest these: resolutions and minutes let the relation step and analysts separate what was decided
from what was discussed; attendance groups give the attendance table its status (member, co-optee,
officer); sub-headings are topic context for metrics (which indicator a figure belongs to); field and
boilerplate sections let later steps skip labels and link residue.
"""

from ...rules import RuleError
from .component import DEFAULT_CONFIG, SectionsNotInitializedError, SectionSplitter, make_sections
from .rules import DEFAULT_PATTERNS, SectionRule, load_rules, validate_rule
from .split import SplitSettings, split_sections

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_PATTERNS",
    "RuleError",
    "SectionRule",
    "SectionSplitter",
    "SectionsNotInitializedError",
    "SplitSettings",
    "load_rules",
    "make_sections",
    "split_sections",
    "validate_rule",
]
