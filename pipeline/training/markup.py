"""Inline-markup gold files (`annotations/**/*.ann`) -> Prodigy-compatible JSONL records.

An `.ann` file is how people write gold data by hand (see annotations/GUIDELINES.md, "File format"):

    @meta council="Kent County Council" committee="Children's Select Committee" layout=printed
    @@@
    The Chair welcomed {{PERSON#p1|Sally Allen}}, {{ROLE#r1|Acting Director of Children's Social Care}} ...
    @@@
    @rel p1 HAS_ROLE r1
    @att p1 present
    @metric m1 value=21.3 unit=percent indicator="Re-referral rate" period=2019-10
    @decision item=4 part=1 text="The report be noted." outcome=noted carried=unanimous
    @vote p1 for item=4
    @tally item=4 for=7 against=3 abstain=1
    @interest p1 item=5 kind=non_pecuniary reason="as a governor of Anytown School" withdrew=no

Decisions, votes and interests (GUIDELINES.md, "Decisions, votes and interests") give their text as it
reads in the document: the checker finds it there and records its offsets, so marks added to the body
later never move them. Every check here is strict: a span that does not land on exact text, an unknown
label or id, a decision text that is not in the document (or is there twice with no nth=), a tally that
disagrees with the named votes, or a body that differs from the source file it claims to annotate raises
`MarkupError` and stops the build. This module needs only the standard library so annotators can check
files before anything is installed.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from ..paths import ANNOTATIONS, REPO
from ..rules import DECISION_CARRIED, DECISION_OUTCOMES, INTEREST_KINDS  # stdlib only, as this module
from ..rules import VOTES as VOTE_CHOICES

ENTITY_LABELS = ("PERSON", "ROLE", "ORG", "DATE", "METRIC")
RELATION_LABELS = {
    # label: (head label, tail label)
    "HAS_ROLE": ("PERSON", "ROLE"),
    "AFFILIATED_WITH": ("PERSON", "ORG"),
    "ROLE_IN_ORG": ("ROLE", "ORG"),
}
ATTENDANCE_STATUSES = ("present", "apologies", "substitute", "in_attendance", "chair")
METRIC_UNITS = ("count", "percent", "rate", "currency", "average")
PERIOD_RE = re.compile(
    r"^\d{4}(-\d{2}(-\d{2})?)?(\.\.\d{4}(-\d{2}(-\d{2})?)?)?$"
)  # 2019 | 2019-10 | 2019-10-31 | 2018-04-01..2019-03-31
BODY_FENCE = "@@@"
INLINE_RE = re.compile(r"\{\{([A-Z]+)(?:#([A-Za-z0-9_]+))?\|(.*?)\}\}", re.S)
HELD_OUT_FRACTION = 0.2  # of written-for-training docs: the fixed test split, by a hash of the file name
DEV_FRACTION = 0.1  # next slice: dev, used only to pick the best checkpoint while training
SPLITS_FILE = ANNOTATIONS / "splits.json"  # the recorded split of every written document

# issue 17: decisions, recorded votes, declarations of interest (GUIDELINES.md, "Decisions, votes and interests")
YES_NO = ("yes", "no")
DECISIONS_ANNOTATED = "annotated"  # @meta decisions=annotated: the file's decisions, votes and interests are complete
ITEM_RE = re.compile(r"^[0-9A-Za-z]+(?:[./-][0-9A-Za-z]+)*$")  # 4 | 45/19 | 7a | 4.1 (as printed, no "Item", no dot)
PART_RE = re.compile(r"^[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*$")  # 1 | ii | a | 2.b (the label without brackets or dot)
MOTION_RE = re.compile(r"^[a-z][a-z0-9_]*$")  # amendment | amendment2 | substantive: separates votes on one item
ESCAPES = {"n": "\n", "t": "\t"}  # in a quoted text="..." or reason="...": \n a line break, \t a tab


class MarkupError(ValueError):
    """A gold file that does not follow the format; the message names the file and the problem."""


@dataclass
class Span:
    start: int
    end: int
    label: str
    text: str
    id: str | None


def split_for(name: str) -> str:
    """The hash-based split the recorded splits were first drawn from (kept to explain annotations/splits.json)."""
    bucket = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    if bucket < HELD_OUT_FRACTION:
        return "test"
    return "dev" if bucket < HELD_OUT_FRACTION + DEV_FRACTION else "train"


SPLITS = ("train", "dev", "test")


def recorded_splits(path: Path = SPLITS_FILE) -> dict[str, str]:
    """The committed split of every written-for-training document (annotations/splits.json)."""
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8"))["splits"])


def assign_split(doc_name: str, named: str | None, recorded: dict[str, str], where: str) -> str:
    """A recorded document keeps its split; a new one goes to train unless its @meta names split=dev|test."""
    if named is not None and named not in SPLITS:
        raise MarkupError(f"{where}: meta split must be one of {', '.join(SPLITS)}, not {named!r}")
    if doc_name in recorded:
        if named is not None and named != recorded[doc_name]:
            raise MarkupError(
                f"{where}: meta split={named} but annotations/splits.json records {recorded[doc_name]!r} "
                "(recorded splits never move; edit the file on purpose if you must)"
            )
        return recorded[doc_name]
    return named or "train"


def record_new_splits(records: list[dict], path: Path = SPLITS_FILE) -> list[str]:
    """Add documents not yet in annotations/splits.json with the split they were given; returns their names."""
    document = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"comment": "", "splits": {}}
    new = [
        r["meta"]["doc_name"]
        for r in records
        if r["meta"]["split"] in SPLITS and r["meta"]["doc_name"] not in document["splits"]
    ]
    if new:
        for record in records:
            if record["meta"]["doc_name"] in new:
                document["splits"][record["meta"]["doc_name"]] = record["meta"]["split"]
        document["splits"] = dict(sorted(document["splits"].items()))
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
    return new


def _key_values(tokens: list[str], where: str) -> dict[str, str]:
    """`key=value` tokens as a dict; anything else is a MarkupError."""
    out = {}
    for token in tokens:
        if "=" not in token:
            raise MarkupError(f"{where}: expected key=value, got {token!r}")
        key, value = token.split("=", 1)
        out[key] = value
    return out


def strip_markup(body: str, where: str) -> tuple[str, list[Span]]:
    """Remove `{{LABEL#id|text}}` marks; return the plain text and spans with exact offsets."""
    out: list[str] = []
    spans: list[Span] = []
    pos = 0
    length = 0
    for match in INLINE_RE.finditer(body):
        chunk = body[pos : match.start()]
        if "{{" in chunk or "}}" in chunk:
            raise MarkupError(f"{where}: unbalanced '{{{{' or '}}}}' near {chunk[-60:]!r}")
        out.append(chunk)
        length += len(chunk)
        label, ident, text = match.group(1), match.group(2), match.group(3)
        if label not in ENTITY_LABELS:
            raise MarkupError(f"{where}: unknown label {label!r} on {text!r}")
        if not text or text != text.strip():
            raise MarkupError(f"{where}: span {text!r} is empty or has outer whitespace")
        if "{{" in text or "\n\n" in text:
            raise MarkupError(f"{where}: span {text[:60]!r} is nested or crosses a blank line")
        spans.append(Span(length, length + len(text), label, text, ident))
        out.append(text)
        length += len(text)
        pos = match.end()
    tail = body[pos:]
    if "{{" in tail or "}}" in tail:
        raise MarkupError(f"{where}: unbalanced '{{{{' or '}}}}' near {tail[:60]!r}")
    out.append(tail)
    return "".join(out), spans


def _find_indicator(text: str, indicator: str, near: int, where: str) -> tuple[int, int]:
    """The occurrence of `indicator` closest to the metric (indicators are words in the text)."""
    hits = [match.start() for match in re.finditer(re.escape(indicator), text)]
    if not hits:
        raise MarkupError(f"{where}: indicator {indicator!r} does not occur in the text")
    best = min(hits, key=lambda hit: abs(hit - near))
    return best, best + len(indicator)


def _unescape(value: str) -> str:
    """`\\n` and `\\t` in a quoted value (after shlex) as a line break and a tab; other backslashes stay."""
    return re.sub(r"\\([nt])", lambda match: ESCAPES[match.group(1)], value)


def _directive_keys(tokens: list[str], allowed: tuple[str, ...], where: str) -> dict[str, str]:
    """`key=value` tokens of a decisions/votes/interests line: only `allowed` keys, each at most once."""
    out: dict[str, str] = {}
    for token in tokens:
        if "=" not in token:
            raise MarkupError(f"{where}: expected key=value, got {token!r}")
        key, value = token.split("=", 1)
        if key not in allowed:
            raise MarkupError(f"{where}: unknown key {key!r} (allowed: {', '.join(allowed)})")
        if key in out:
            raise MarkupError(f"{where}: key {key!r} given twice")
        if value == "":
            raise MarkupError(f"{where}: {key}= is empty")
        out[key] = value
    return out


def _choice(extra: dict[str, str], key: str, choices: tuple[str, ...], where: str) -> str | None:
    """The value of `key` when given, checked to be one of `choices`."""
    value = extra.get(key)
    if value is not None and value not in choices:
        raise MarkupError(f"{where}: {key} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _pattern(extra: dict[str, str], key: str, pattern: re.Pattern, example: str, where: str) -> str | None:
    """The value of `key` when given, checked against `pattern`."""
    value = extra.get(key)
    if value is not None and not pattern.match(value):
        raise MarkupError(f"{where}: {key}={value!r} is not a label as printed ({example})")
    return value


def _count(extra: dict[str, str], key: str, where: str, required: bool) -> int | None:
    """A non-negative whole number (a vote count)."""
    if key not in extra:
        if required:
            raise MarkupError(f"{where}: needs {key}=N")
        return None
    if not extra[key].isdigit():
        raise MarkupError(f"{where}: {key} must be a whole number, not {extra[key]!r}")
    return int(extra[key])


def find_exact(text: str, needle: str, nth: str | None, where: str, what: str = "text") -> tuple[int, int]:
    """Offsets of `needle` in the document text: the only occurrence, or the nth (1-based) when it recurs."""
    if not needle or needle != needle.strip():
        raise MarkupError(f"{where}: {what} {needle[:60]!r} is empty or has outer whitespace")
    hits, at = [], text.find(needle)
    while at >= 0:
        hits.append(at)
        at = text.find(needle, at + 1)
    if not hits:
        loose = re.search(r"\s+".join(re.escape(word) for word in needle.split()), text)
        hint = ""
        if loose:
            hint = (
                f"; it occurs at char {loose.start()} with other spacing: {loose.group(0)!r} "
                "(write a line break as \\n, a tab as \\t)"
            )
        raise MarkupError(f"{where}: {what} {needle[:60]!r} does not occur in the text{hint}")
    if nth is None:
        if len(hits) > 1:
            raise MarkupError(
                f"{where}: {what} {needle[:60]!r} occurs {len(hits)} times (at chars "
                f"{', '.join(map(str, hits[:6]))}); give nth=K to say which"
            )
        k = 1
    else:
        if not nth.isdigit() or int(nth) < 1:
            raise MarkupError(f"{where}: nth must be a whole number from 1, not {nth!r}")
        k = int(nth)
        if k > len(hits):
            raise MarkupError(f"{where}: nth={k} but {what} {needle[:60]!r} occurs {len(hits)} time(s)")
    return hits[k - 1], hits[k - 1] + len(needle)


def _once(name: str, rows: list[dict], key, message) -> None:
    """MarkupError at the second row with the same key(row); message(row, first line) says what repeats."""
    first: dict[tuple, int] = {}
    for row in rows:
        if key(row) in first:
            raise MarkupError(f"{name}:{row['line']}: {message(row, first[key(row)])}")
        first[key(row)] = row["line"]


def check_tallies(votes: list[dict], tallies: list[dict], name: str) -> None:
    """A tally agrees with the named votes of the same item and motion when the names form a full division.

    The names are a full division when they include a `for` vote and an `against` or `abstain` vote (a
    recorded vote lists every side; a member who asks for her own vote to be recorded does not): then `for`
    and `against` must equal the tally, and `abstain` too when the tally states it."""
    for tally in tallies:
        named = [vote for vote in votes if (vote["item"], vote["motion"]) == (tally["item"], tally["motion"])]
        sides = {vote["vote"] for vote in named}
        if "for" not in sides or not sides & {"against", "abstain"}:
            continue
        for side in ("for", "against", "abstain"):
            stated = tally[side]
            if stated is None:
                continue
            listed = sum(vote["vote"] == side for vote in named)
            if listed != stated:
                raise MarkupError(
                    f"{name}:{tally['line']}: @tally item={tally['item']} says {side}={stated} but "
                    f"{listed} @vote line(s) of that item say {side}"
                )


def parse_ann(source: str, name: str, repo_root: Path | None = None, splits: dict[str, str] | None = None) -> dict:
    """Parse one `.ann` file's content into a record (Prodigy-style, plus our own fields).

    `splits` is the recorded split of each written document (default: the repository's annotations/splits.json).
    """
    if splits is None:
        splits = recorded_splits((repo_root / "annotations" / "splits.json") if repo_root else SPLITS_FILE)
    lines = source.split("\n")
    try:
        first = lines.index(BODY_FENCE)
        last = len(lines) - 1 - lines[::-1].index(BODY_FENCE)
    except ValueError:
        raise MarkupError(f"{name}: needs a body between two '{BODY_FENCE}' lines") from None
    if last <= first:
        raise MarkupError(f"{name}: needs a body between two '{BODY_FENCE}' lines")
    meta: dict = {}
    for line in lines[:first]:
        if line.startswith("@meta"):
            meta.update(_key_values(shlex.split(line[len("@meta") :]), f"{name} @meta"))
        elif line.strip() and not line.startswith("#"):
            raise MarkupError(f"{name}: unexpected line before the body: {line[:60]!r}")
    body = "\n".join(lines[first + 1 : last])
    text, spans = strip_markup(body, name)

    kind = meta.get("kind", "written_for_training")
    if kind not in ("real", "written_for_training"):
        raise MarkupError(f"{name}: meta kind must be real or written_for_training, not {kind!r}")
    if kind == "real":
        source_path = meta.get("source")
        if not source_path:
            raise MarkupError(f"{name}: a real document needs meta source=<path of the file>")
        if repo_root is not None:
            original = (repo_root / source_path).read_bytes().decode("utf-8")
            if original != text:
                i = next((k for k, (a, b) in enumerate(zip(original, text)) if a != b), min(len(original), len(text)))
                raise MarkupError(
                    f"{name}: text differs from {source_path} at char {i}: "
                    f"source {original[max(0, i - 30) : i + 30]!r} vs markup {text[max(0, i - 30) : i + 30]!r}"
                )
    by_id: dict[str, Span] = {}
    for span in spans:
        if span.id:
            if span.id in by_id:
                raise MarkupError(f"{name}: id {span.id!r} used twice")
            by_id[span.id] = span

    def span_by_id(ident: str, where: str, label: str | None = None) -> Span:
        """The span with this id, checked to carry `label` when one is given."""
        if ident not in by_id:
            raise MarkupError(f"{name}: {where} names unknown id {ident!r}")
        span = by_id[ident]
        if label and span.label != label:
            raise MarkupError(f"{name}: {where}: {ident!r} is {span.label}, expected {label}")
        return span

    relations, attendance, metrics = [], [], []
    decisions, votes, tallies, interests = [], [], [], []
    for lineno, line in enumerate(lines[last + 1 :], start=last + 2):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{name}:{lineno}"
        try:
            parts = shlex.split(line)
        except ValueError as exc:
            raise MarkupError(f"{where}: {exc}") from None
        directive = parts[0]
        if directive == "@rel":
            if len(parts) != 4 or parts[2] not in RELATION_LABELS:
                raise MarkupError(f"{where}: expected '@rel HEAD_ID LABEL TAIL_ID', got {line!r}")
            head_label, tail_label = RELATION_LABELS[parts[2]]
            head, tail = span_by_id(parts[1], where, head_label), span_by_id(parts[3], where, tail_label)
            relations.append({"head_id": head.id, "child_id": tail.id, "label": parts[2]})
        elif directive == "@att":
            if len(parts) < 3 or parts[2] not in ATTENDANCE_STATUSES:
                raise MarkupError(f"{where}: expected '@att PERSON_ID STATUS [name=..] [role=ID] [org=ID]'")
            person = span_by_id(parts[1], where, "PERSON")
            extra = _key_values(parts[3:], where)
            row = {"span_id": person.id, "person": extra.get("name", person.text), "status": parts[2]}
            for key, label in (("role", "ROLE"), ("org", "ORG")):
                if key in extra:
                    row[key] = span_by_id(extra[key], where, label).text
            attendance.append(row)
        elif directive == "@metric":
            if len(parts) < 2:
                raise MarkupError(f"{where}: expected '@metric METRIC_ID value=.. unit=.. indicator=\"..\" period=..'")
            span = span_by_id(parts[1], where, "METRIC")
            extra = _key_values(parts[2:], where)
            try:
                value = float(extra["value"])
            except (KeyError, ValueError):
                raise MarkupError(f"{where}: metric needs a numeric value=") from None
            unit = extra.get("unit", "")
            if unit not in METRIC_UNITS:
                raise MarkupError(f"{where}: unit must be one of {METRIC_UNITS}, got {unit!r}")
            period = extra.get("period", "")
            if period and not PERIOD_RE.match(period):
                raise MarkupError(f"{where}: period {period!r} is not ISO (2019, 2019-10, 2019-10-31, a..b)")
            row = {
                "span_id": span.id,
                "start": span.start,
                "end": span.end,
                "text": span.text,
                "value": value,
                "unit": unit,
                "per": float(extra["per"]) if extra.get("per") else None,
                "period": period or None,
            }
            if extra.get("indicator"):
                indicator_start, indicator_end = _find_indicator(text, extra["indicator"], span.start, where)
                row.update(indicator=extra["indicator"], indicator_start=indicator_start, indicator_end=indicator_end)
            else:
                row.update(indicator=None, indicator_start=None, indicator_end=None)
            if extra.get("compare"):
                row["compare_to"] = span_by_id(extra["compare"], where, "METRIC").id
            metrics.append(row)
        elif directive == "@decision":
            extra = _directive_keys(parts[1:], ("item", "text", "nth", "part", "outcome", "carried"), where)
            if "text" not in extra:
                raise MarkupError(f"{where}: expected '@decision [item=ITEM] text=\"EXACT TEXT\" [nth=K] [part=P] ..'")
            decision_text = _unescape(extra["text"])
            start, end = find_exact(text, decision_text, extra.get("nth"), where)
            decisions.append(
                {
                    "item": _pattern(extra, "item", ITEM_RE, "4, 45/19, 7a", where),
                    "part": _pattern(extra, "part", PART_RE, "1, ii, a: no brackets", where),
                    "text": decision_text,
                    "start": start,
                    "end": end,
                    "outcome": _choice(extra, "outcome", DECISION_OUTCOMES, where),
                    "carried": _choice(extra, "carried", DECISION_CARRIED, where),
                    "line": lineno,
                }
            )
        elif directive == "@vote":
            if len(parts) < 3 or "=" in parts[1] or "=" in parts[2]:
                raise MarkupError(f"{where}: expected '@vote PERSON_ID VOTE [item=ITEM] [name=\"..\"] [motion=M]'")
            person = span_by_id(parts[1], where, "PERSON")
            if parts[2] not in VOTE_CHOICES:
                raise MarkupError(f"{where}: vote must be one of {', '.join(VOTE_CHOICES)}, not {parts[2]!r}")
            extra = _directive_keys(parts[3:], ("item", "name", "motion"), where)
            votes.append(
                {
                    "span_id": person.id,
                    "person": extra.get("name", person.text),
                    "start": person.start,
                    "end": person.end,
                    "vote": parts[2],
                    "item": _pattern(extra, "item", ITEM_RE, "4, 45/19, 7a", where),
                    "motion": _pattern(extra, "motion", MOTION_RE, "amendment, substantive", where),
                    "line": lineno,
                }
            )
        elif directive == "@tally":
            extra = _directive_keys(parts[1:], ("item", "for", "against", "abstain", "motion"), where)
            tallies.append(
                {
                    "item": _pattern(extra, "item", ITEM_RE, "4, 45/19, 7a", where),
                    "motion": _pattern(extra, "motion", MOTION_RE, "amendment, substantive", where),
                    "for": _count(extra, "for", where, required=True),
                    "against": _count(extra, "against", where, required=True),
                    "abstain": _count(extra, "abstain", where, required=False),
                    "line": lineno,
                }
            )
        elif directive == "@interest":
            if len(parts) < 2 or "=" in parts[1]:
                raise MarkupError(f"{where}: expected '@interest PERSON_ID [item=ITEM] kind=KIND [reason=\"..\"] ..'")
            person = span_by_id(parts[1], where, "PERSON")
            extra = _directive_keys(
                parts[2:], ("item", "kind", "reason", "nth", "withdrew", "dispensation", "name"), where
            )
            if "kind" not in extra:
                raise MarkupError(f"{where}: @interest needs kind= ({', '.join(INTEREST_KINDS)})")
            if "nth" in extra and "reason" not in extra:
                raise MarkupError(f"{where}: nth= picks an occurrence of reason=, which is missing")
            row = {
                "span_id": person.id,
                "person": extra.get("name", person.text),
                "start": person.start,
                "end": person.end,
                "item": _pattern(extra, "item", ITEM_RE, "4, 45/19, 7a", where),
                "kind": _choice(extra, "kind", INTEREST_KINDS, where),
                "reason": None,
                "reason_start": None,
                "reason_end": None,
                "withdrew": (_choice(extra, "withdrew", YES_NO, where) or "no") == "yes",
                "dispensation": (_choice(extra, "dispensation", YES_NO, where) or "no") == "yes",
                "line": lineno,
            }
            if "reason" in extra:
                reason = _unescape(extra["reason"])
                row["reason"] = reason
                row["reason_start"], row["reason_end"] = find_exact(text, reason, extra.get("nth"), where, "reason")
            interests.append(row)
        else:
            raise MarkupError(f"{where}: unknown directive {directive!r}")
    seen_people = set()
    for row in attendance:
        if row["person"] in seen_people:
            raise MarkupError(f"{name}: person {row['person']!r} has two @att lines (one status per person)")
        seen_people.add(row["person"])
    _once(
        name,
        decisions,
        lambda row: (row["start"], row["end"]),
        lambda row, first: f"the same text as the @decision on line {first} (give nth= for another occurrence)",
    )
    _once(
        name,
        votes,
        lambda row: (row["person"], row["item"], row["motion"]),
        lambda row, first: (
            f"{row['person']!r} already has a @vote on item {row['item']} "
            f"(line {first}; a second vote on the item needs motion=)"
        ),
    )
    _once(
        name,
        tallies,
        lambda row: (row["item"], row["motion"]),
        lambda row, first: (
            f"a second @tally for item {row['item']} (line {first}; a second vote on the item needs motion=)"
        ),
    )
    _once(
        name,
        interests,
        lambda row: (row["person"], row["item"], row["kind"]),
        lambda row, first: (
            f"{row['person']!r} already declared a {row['kind']} interest in item {row['item']} (line {first})"
        ),
    )
    check_tallies(votes, tallies, name)
    annotated = meta.get("decisions")
    if annotated is not None and annotated != DECISIONS_ANNOTATED:
        raise MarkupError(f"{name}: meta decisions must be {DECISIONS_ANNOTATED!r} (or absent), not {annotated!r}")
    metric_ids = {metric["span_id"] for metric in metrics}
    for span in spans:
        if span.label == "METRIC" and (span.id is None or span.id not in metric_ids):
            raise MarkupError(f"{name}: METRIC {span.text!r} at {span.start} has no @metric line (give it an id)")

    doc_name = Path(name).stem
    meta_out = {
        "source": meta.get("source", f"annotations/{name}"),
        "council": meta.get("council"),
        "committee": meta.get("committee"),
        "layout": meta.get("layout"),
        "kind": kind,
        "split": "loo" if kind == "real" else assign_split(doc_name, meta.get("split"), splits, name),
        "doc_name": doc_name,
        "decisions_annotated": annotated == DECISIONS_ANNOTATED,
    }
    return {
        "text": text,
        "spans": [
            {"start": span.start, "end": span.end, "label": span.label, "text": span.text, "id": span.id}
            for span in spans
        ],
        "relations": relations,
        "attendance": attendance,
        "metrics": metrics,
        "decisions": decisions,
        "votes": votes,
        "tallies": tallies,
        "interests": interests,
        "meta": meta_out,
    }


def load_ann_file(path: Path, repo_root: Path) -> dict:
    """Parse one .ann file, named by its path under annotations/ (which sets its split)."""
    annotations = repo_root / "annotations"
    name = path.relative_to(annotations) if path.is_relative_to(annotations) else path
    return parse_ann(path.read_text(encoding="utf-8"), str(name), repo_root)


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline.training.markup FILE...`: check files, print counts; exit 1 on any error."""
    argv = sys.argv[1:] if argv is None else argv
    failed = 0
    for arg in argv:
        path = Path(arg).resolve()
        try:
            record = load_ann_file(path, REPO)
        except (MarkupError, OSError, UnicodeDecodeError) as exc:
            print(f"ERROR {exc}")
            failed += 1
            continue
        counts: dict[str, int] = {}
        for span in record["spans"]:
            counts[span["label"]] = counts.get(span["label"], 0) + 1
        print(
            f"ok {arg}: {len(record['text'].split())} words, spans {json.dumps(counts)}, "
            f"{len(record['relations'])} relations, {len(record['attendance'])} attendance, "
            f"{len(record['metrics'])} metrics, {len(record['decisions'])} decisions, {len(record['votes'])} votes, "
            f"{len(record['tallies'])} tallies, {len(record['interests'])} interests"
            f"{' (decisions annotated)' if record['meta']['decisions_annotated'] else ''}, "
            f"split={record['meta']['split']}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
