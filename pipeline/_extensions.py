"""Every custom `Doc` attribute the pipeline sets or reads, in one place (medspaCy's `_extensions.py` pattern).

Components import this module rather than calling `Doc.set_extension` themselves, so the contract of what
a Doc carries is visible here and each name is registered exactly once.
"""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS: dict[str, str] = {
    "sections": "list of section dicts (label, start_char, end_char, parent, ...) from minutes_sections",
    "meeting": "meeting metadata dict (council, committee, meeting_date, ...) from minutes_sections",
    "norms": "one dict per entity (start_char, end_char, label, norm) from minutes_normalise",
    "metrics": "one dict per METRIC entity (value, unit, indicator, period, ...) from minutes_normalise",
    "relations": "relation dicts (label, head, tail, score, evidence) from minutes_relations",
    "attendance": "attendance dicts (person, status, role, org, entity, evidence) from minutes_relations",
}

# Set on the Doc before the pipeline runs, by whoever hands it the text (no component assigns them).
DOC_INPUTS: dict[str, str] = {
    "given": "metadata known before the text is read (manifest, --council, council folder), set by the engine "
    "(`engine.batch`): council, committee, meeting_date, source_url and <field>_source (manifest, option, folder); "
    "minutes_sections puts the values in doc._.meeting in place of the header's",
}


def register_extensions() -> None:
    """Register every Doc extension once (idempotent: importing twice, or another package first, is fine)."""
    for name in [*DOC_EXTENSIONS, *DOC_INPUTS]:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()
