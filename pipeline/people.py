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

At the end of each run this rebuilds `people` and `role_history` and fills `attendance.person_id`
(rewriting atomically each attendance part where a person_id changed, its file slices kept). This still
reads every part of documents, attendance, entities and relations: O(corpus) per run, not O(changed rows).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from .export.writer import DatasetWriter


def _read(out: Path, table: str, columns: list[str]) -> pd.DataFrame:
    files = sorted((out / table).glob("part-*.parquet"))
    frames = [pq.read_table(f, columns=columns).to_pandas() for f in files]
    frames = [f for f in frames if len(f)]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    # missing values as None, not NaN (pandas 3 reads null strings as NaN, which is truthy and unsortable with str)
    return df.astype(object).where(df.notna(), None)


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


def build_people(out: str | Path) -> tuple[list[dict], list[dict]]:
    out = Path(out)
    docs = _read(out, "documents", ["doc_id", "council", "meeting_date"])
    att = _read(out, "attendance", ["doc_id", "person", "role", "org"])
    ents = _read(out, "entities", ["doc_id", "entity_id", "norm", "label"])
    rels = _read(out, "relations", ["doc_id", "label", "head_id", "tail_id"])
    meta = docs.set_index("doc_id").to_dict("index") if len(docs) else {}

    # every canonical person name seen in attendance or as the head of a HAS_ROLE/AFFILIATED_WITH relation
    norm_of = dict(zip(ents["entity_id"], ents["norm"])) if len(ents) else {}
    label_of = dict(zip(ents["entity_id"], ents["label"])) if len(ents) else {}
    stated: list[tuple[str, str, str | None, str | None]] = []  # (doc_id, person, role, org)
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
            pid, {"person_id": pid, "name": name, "council": council, "aliases": set(), "docs": set(), "dates": set()}
        )
        if person != name:
            p["aliases"].add(person)
        p["docs"].add(doc_id)
        if date is not None:
            p["dates"].add(date)
        if role or org:
            history.add((pid, name, role, org, doc_id, date))

    people_rows = [
        {
            "person_id": p["person_id"],
            "name": p["name"],
            "council": p["council"],
            "aliases": sorted(p["aliases"]),
            "first_seen": min(p["dates"]) if p["dates"] else None,
            "last_seen": max(p["dates"]) if p["dates"] else None,
            "n_meetings": len(p["docs"]),
        }
        for p in sorted(people.values(), key=lambda p: p["person_id"])
    ]
    history_rows = [
        {"person_id": h[0], "person": h[1], "role": h[2], "org": h[3], "doc_id": h[4], "meeting_date": h[5]}
        for h in sorted(history, key=lambda h: (h[0], str(h[5]), h[4], h[2] or "", h[3] or ""))
    ]
    _fill_attendance_ids(out, meta, chosen)
    return people_rows, history_rows


def _fill_attendance_ids(out: Path, meta: dict, chosen: dict) -> None:
    writer = DatasetWriter(out)
    for f in sorted((out / "attendance").glob("part-*.parquet")):
        table = pq.read_table(f)
        if table.num_rows == 0:
            continue
        rows = table.to_pylist()
        changed = False
        for r in rows:
            scope = merge_scope(meta.get(r["doc_id"], {}).get("council"), r["doc_id"])
            pid = person_id(scope, chosen.get((scope, r["person"]), r["person"]))
            if r.get("person_id") != pid:
                r["person_id"], changed = pid, True
        if changed:
            writer.replace_rows("attendance", f.name[len("part-") : -len(".parquet")], rows)
