"""The names test: PERSON recall on names of many origins placed in real-looking attendance lines.

Evaluation data only, never trained on (`annotations/eval/names/`): `names.tsv` holds invented names with
their origin (english, south_asian, west_african, eastern_european, …) and form (full, three_part,
hyphenated, initials, particle, lowercase_slip, surname_only); `templates.tsv` holds attendance,
apology, substitution, welcome, contact and table lines with `{name1}`…`{name4}` and `{org}` slots;
`orgs.txt` fills `{org}`. `names_documents` places every name `PLACEMENTS` times, deterministically
(a surname alone only where a title or honorific stands before the slot), a dozen lines per document;
`score_names` runs a pipeline over them and reports PERSON recall (exact span), per origin and form,
names tagged as another label, and PERSON spans the lines do not contain (precision).
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..paths import ANNOTATIONS

NAMES_DIR = ANNOTATIONS / "eval" / "names"
PLACEMENTS = 3  # how many lines each name appears in
LINES_PER_DOCUMENT = 12
_SLOT = re.compile(r"\{(name[1-4]|org)\}")
_TITLED = re.compile(
    r"(?:Councillors?|Cllrs?\.?|CC|Mr|Mrs|Ms|Miss|Mx|Dr|Alderman|Mayor|Bailie|Provost|Professor|Prof)\s$"
)


@dataclass(frozen=True)
class PlacedName:
    start: int
    end: int
    name: str
    origin: str
    form: str
    layout: str


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def names_documents(folder: Path = NAMES_DIR, seed: int = 13) -> list[tuple[str, list[PlacedName]]]:
    """(text, placed names) for every generated document; the same documents on every call."""
    rng = random.Random(seed)
    names = _rows(folder / "names.tsv")
    templates = _rows(folder / "templates.tsv")
    orgs = [line.strip() for line in (folder / "orgs.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    surnames = [row for row in names for _ in range(PLACEMENTS) if row["form"] == "surname_only"]
    others = [row for row in names for _ in range(PLACEMENTS) if row["form"] != "surname_only"]
    rng.shuffle(surnames)
    rng.shuffle(others)
    lines: list[tuple[str, list[PlacedName]]] = []
    order = list(range(len(templates)))
    while surnames or others:
        rng.shuffle(order)
        for index in order:
            if not (surnames or others):
                break
            template = templates[index]["template"].replace("\\n", "\n")
            text, placed, pos = [], [], 0
            for match in _SLOT.finditer(template):
                text.append(template[pos : match.start()])
                pos = match.end()
                so_far = "".join(text)
                if match.group(1) == "org":
                    text.append(rng.choice(orgs))
                    continue
                pool = surnames if surnames and _TITLED.search(so_far) else others or surnames
                row = pool.pop() if pool else rng.choice([r for r in names if r["form"] != "surname_only"])
                start = len(so_far)
                text.append(row["name"])
                placed.append(
                    PlacedName(
                        start,
                        start + len(row["name"]),
                        row["name"],
                        row["origin"],
                        row["form"],
                        templates[index]["layout"],
                    )
                )
            text.append(template[pos:])
            lines.append(("".join(text), placed))
    documents = []
    for first in range(0, len(lines), LINES_PER_DOCUMENT):
        parts, placed, offset = [], [], 0
        for line, names_in_line in lines[first : first + LINES_PER_DOCUMENT]:
            placed += [
                PlacedName(p.start + offset, p.end + offset, p.name, p.origin, p.form, p.layout) for p in names_in_line
            ]
            parts.append(line)
            offset += len(line) + 2
        documents.append(("\n\n".join(parts), placed))
    return documents


def _ratio(hit: int, total: int) -> float:
    return round(hit / total, 4) if total else 0.0


def score_names(nlp, documents: list[tuple[str, list[PlacedName]]] | None = None) -> dict:
    """PERSON recall over the placed names (exact span), by origin and form; what the misses became."""
    documents = documents if documents is not None else names_documents()
    found, total = Counter(), Counter()
    by_origin, by_form = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    became = Counter()
    predicted_person, predicted_person_true = 0, 0
    misses = []
    for doc, (_, placed) in zip(nlp.pipe(text for text, _ in documents), documents):
        persons = {(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "PERSON"}
        gold = {(p.start, p.end) for p in placed}
        predicted_person += len(persons)
        predicted_person_true += len(persons & gold)
        for name in placed:
            hit = (name.start, name.end) in persons
            for key, table in ((name.origin, by_origin), (name.form, by_form)):
                table[key][0] += hit
                table[key][1] += 1
            found["all"] += hit
            total["all"] += 1
            if not hit:
                overlapping = [e for e in doc.ents if e.start_char < name.end and name.start < e.end_char]
                kind = (
                    "none"
                    if not overlapping
                    else "PERSON (boundary)"
                    if any(e.label_ == "PERSON" for e in overlapping)
                    else overlapping[0].label_
                )
                became[kind] += 1
                if len(misses) < 25:
                    misses.append({"name": name.name, "layout": name.layout, "became": kind})
    return {
        "names": total["all"],
        "documents": len(documents),
        "person_recall": _ratio(found["all"], total["all"]),
        "person_precision": _ratio(predicted_person_true, predicted_person),
        "by_origin": {key: {"recall": _ratio(*value), "n": value[1]} for key, value in sorted(by_origin.items())},
        "by_form": {key: {"recall": _ratio(*value), "n": value[1]} for key, value in sorted(by_form.items())},
        "misses_became": dict(became.most_common()),
        "example_misses": misses,
    }
