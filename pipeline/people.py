"""People across the corpus: a stable person_id, aliases, first/last meeting seen, and role history.

Merge rule (conservative, within one scope only — people are never merged across councils):
1. the same canonical name (casefolded) is the same person;
2. a short form ("B Dawson", "Dawson") joins a full name ("Bernard Dawson") only when exactly one full
   name in that scope has that surname and first initial; otherwise it stays a person of its own.
The scope is the document's council when it is known (from a manifest, --council, the council's folder or
the header), else the document's source file ("file:<first 16 hex digits of its SHA-256>", the doc_id's
prefix): two documents of unknown council are not assumed to be one council, but the meetings printed in
one file are one publisher's.
person_id = first 12 hex digits of sha256("<scope>|<chosen name casefolded>"): stable across runs
while the chosen (fullest) name and the scope stay the same.

pipeline/corpus_tables.py keeps `people`, `role_history` and `attendance.person_id` up to date, scope by
scope: this module is the merge itself, over the stated names of whole scopes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pandas as pd


def person_id(scope: str | None, name: str) -> str:
    return hashlib.sha256(f"{scope or ''}|{name.casefold()}".encode()).hexdigest()[:12]


def merge_scope(council: str | None, doc_id: str) -> str:
    """Where a document's people are merged: its council, or its source file when the council is unknown."""
    return council if council else f"file:{doc_id.rsplit('-', 1)[0]}"


def _is_short(name: str) -> bool:
    parts = name.split()
    return len(parts) == 1 or all(len(p) == 1 for p in parts[:-1])


def resolve_names(names_by_scope: dict[str | None, set[str]]) -> dict[tuple[str | None, str], str]:
    """(scope, name) -> chosen name for the merged person."""
    chosen = {}
    for scope, names in names_by_scope.items():
        full = [n for n in names if not _is_short(n)]
        for n in names:
            target = n
            if _is_short(n):
                parts = n.split()
                surname = parts[-1].casefold()
                initial = parts[0][0].casefold() if len(parts) > 1 else None
                fits = {
                    f
                    for f in full
                    if f.split()[-1].casefold() == surname and (initial is None or f[0].casefold() == initial)
                }
                if len(fits) == 1:
                    target = fits.pop()
            chosen[(scope, n)] = target
    return chosen


def stated_people(
    docs: pd.DataFrame, att: pd.DataFrame, ents: pd.DataFrame, rels: pd.DataFrame, *named: pd.DataFrame
) -> list[tuple]:
    """(doc_id, person, role, org) for every canonical person name stated in attendance, as the head of a
    HAS_ROLE/AFFILIATED_WITH relation, or in the `named` tables (votes, interests: doc_id and person)."""
    norm_of = dict(zip(ents["entity_id"], ents["norm"])) if len(ents) else {}
    label_of = dict(zip(ents["entity_id"], ents["label"])) if len(ents) else {}
    stated: list[tuple[str, str, str | None, str | None]] = []
    for r in att.itertuples(index=False):
        stated.append((r.doc_id, r.person, r.role, r.org))
    for r in rels.itertuples(index=False):
        if label_of.get(r.head_id) == "PERSON" and norm_of.get(r.head_id):
            tail = norm_of.get(r.tail_id)
            stated.append(
                (
                    r.doc_id,
                    norm_of[r.head_id],
                    tail if r.label == "HAS_ROLE" else None,
                    tail if r.label == "AFFILIATED_WITH" else None,
                )
            )
    for frame in named:
        stated.extend((r.doc_id, r.person, None, None) for r in frame.itertuples(index=False))
    return stated


def people_of(stated: list[tuple], meta: dict) -> tuple[list[dict], list[dict], dict]:
    """People and role-history rows (each with its merge `scope`) from the stated names of some scopes' documents
    (all of each scope's documents: merging looks at every name of a scope), and the chosen name of each
    (scope, name). meta: doc_id -> {"council", "meeting_date"}."""

    def scope_of(doc_id: str) -> str:
        return merge_scope(meta.get(doc_id, {}).get("council"), doc_id)

    names_by_scope: dict[str | None, set[str]] = defaultdict(set)
    for doc_id, person, _, _ in stated:
        if person:
            names_by_scope[scope_of(doc_id)].add(person)
    chosen = resolve_names(names_by_scope)

    people: dict[str, dict] = {}
    history = set()
    for doc_id, person, role, org in stated:
        if not person:
            continue
        m = meta.get(doc_id, {})
        council, scope = m.get("council"), scope_of(doc_id)
        name = chosen[(scope, person)]
        pid = person_id(scope, name)
        date = m.get("meeting_date")
        date = None if pd.isna(date) else date
        p = people.setdefault(
            pid,
            {
                "person_id": pid,
                "name": name,
                "council": council,
                "scope": scope,
                "aliases": set(),
                "docs": set(),
                "dates": set(),
            },
        )
        if person != name:
            p["aliases"].add(person)
        p["docs"].add(doc_id)
        if date is not None:
            p["dates"].add(date)
        if role or org:
            history.add((pid, name, role, org, doc_id, date, scope))

    people_rows = [
        {
            "person_id": p["person_id"],
            "name": p["name"],
            "council": p["council"],
            "aliases": sorted(p["aliases"]),
            "first_seen": min(p["dates"]) if p["dates"] else None,
            "last_seen": max(p["dates"]) if p["dates"] else None,
            "n_meetings": len(p["docs"]),
            "scope": p["scope"],
        }
        for p in sorted(people.values(), key=lambda p: p["person_id"])
    ]
    history_rows = [
        {
            "person_id": h[0],
            "person": h[1],
            "role": h[2],
            "org": h[3],
            "doc_id": h[4],
            "meeting_date": h[5],
            "scope": h[6],
        }
        for h in sorted(history, key=lambda h: (h[0], str(h[5]), h[4], h[2] or "", h[3] or ""))
    ]
    return people_rows, history_rows, chosen


def row_person_id(row: dict, meta: dict, chosen: dict) -> str:
    """The person_id of a row naming a person (attendance, votes, interests), once its scope's names are
    resolved (`chosen`)."""
    scope = merge_scope(meta.get(row["doc_id"], {}).get("council"), row["doc_id"])
    return person_id(scope, chosen.get((scope, row["person"]), row["person"]))
