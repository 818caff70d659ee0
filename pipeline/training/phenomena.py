"""The phenomena fixtures, scored: every PHENOMENA.md item in several invented variants with expected facts.

`tests/fixtures/phenomena/NN_<slug>.json` holds one phenomenon and its variants (format:
tests/fixtures/phenomena/README.md). Each variant is run through the full pipeline and every expectation it
states is checked: the complete attendance set, relations that must (not) be found, meeting fields,
metrics (value, unit, indicator overlap, period), spans that must not be figures, PERSON spans, spans that
must not be ORG. A variant passes when all its checks pass; a phenomenon passes when at least
`PASSING_VARIANTS` of its variants do. The result is a number per phenomenon and per kind of check, so a
regression shows as a number (`minutes phenomena`), and the tests assert the floors in
tests/fixtures/phenomena/floors.json.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..normalise.names import canonical_person
from ..paths import REPO

FIXTURES = REPO / "tests" / "fixtures" / "phenomena"
PASSING_VARIANTS = 3  # the bar: a phenomenon holds when three of its variants pass
INDICATOR_OVERLAP = 0.5  # token overlap (Jaccard) at which an indicator is acceptable


@dataclass
class VariantResult:
    phenomenon: int
    variant: str
    failures: list[str] = field(default_factory=list)
    checks: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # kind -> [ok, n]

    @property
    def passed(self) -> bool:
        return not self.failures

    def check(self, kind: str, ok: bool, why: str) -> None:
        self.checks[kind][0] += ok
        self.checks[kind][1] += 1
        if not ok:
            self.failures.append(f"{kind}: {why}")


def load_fixtures(folder: Path = FIXTURES) -> list[dict]:
    """Every phenomenon file, in number order."""
    return sorted(
        (json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("[0-9][0-9]_*.json")),
        key=lambda item: item["phenomenon"],
    )


def _fold(text: str | None) -> str:
    words = (text or "").casefold().replace("’", "'").replace("\u00a0", " ").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words).strip(" .,;:")


def _person(text: str) -> str:
    return _fold(canonical_person(text) or text)


def _overlap(gold: str, predicted: str | None) -> float:
    a, b = set(_fold(gold).split()), set(_fold(predicted).split())
    return len(a & b) / len(a | b) if a and b else 0.0


def _relations(doc) -> set[tuple[str, str, str]]:
    text = doc.text
    out = set()
    for row in doc._.relations or []:
        if row["label"] in ("HAS_ROLE", "AFFILIATED_WITH"):
            (hs, he), (ts, te) = row["head"], row["tail"]
            out.add((row["label"], _person(text[hs:he]), _fold(text[ts:te])))
    return out


def score_variant(number: int, variant: dict, doc) -> VariantResult:
    """Check every expectation a variant states against one annotated Doc."""
    result = VariantResult(number, variant["id"])
    if "attendance" in variant:
        gold = {(_person(row["person"]), row["status"]) for row in variant["attendance"]}
        pred = {(_person(row["person"]), row["status"]) for row in doc._.attendance or []}
        for row in sorted(gold - pred):
            result.check("attendance", False, f"missing {row}")
        for row in sorted(pred - gold):
            result.check("attendance", False, f"unexpected {row}")
        for _row in gold & pred:
            result.check("attendance", True, "")
        if not gold and not pred:
            result.check("attendance", True, "")
    found = _relations(doc)
    for rel in variant.get("relations", []):
        key = (rel["label"], _person(rel["person"]), _fold(rel["value"]))
        result.check("relations", key in found, f"missing {key}")
    for rel in variant.get("not_relations", []):
        key = (rel["label"], _person(rel["person"]), _fold(rel["value"]))
        result.check("not_relations", key not in found, f"unexpected {key}")
    meeting = doc._.meeting or {}
    for name, expected in variant.get("meeting", {}).items():
        got = meeting.get(name)
        ok = (got is None) if expected is None else _fold(str(got)) == _fold(str(expected))
        result.check(f"meeting.{name}", ok, f"{got!r} (expected {expected!r})")
    metrics = doc._.metrics or []
    for gold in variant.get("metrics", []):
        same_value = [m for m in metrics if m.get("value") is not None and abs(m["value"] - gold["value"]) < 1e-6]
        result.check("metric.found", bool(same_value), f"no metric with value {gold['value']}")
        if not same_value:
            continue
        best = max(same_value, key=lambda m: _overlap(gold.get("indicator", ""), m.get("indicator")))
        if "unit" in gold:
            result.check("metric.unit", best.get("unit") == gold["unit"], f"{gold['value']}: unit {best.get('unit')}")
        if gold.get("indicator"):
            ok = _overlap(gold["indicator"], best.get("indicator")) >= INDICATOR_OVERLAP
            result.check("metric.indicator", ok, f"{gold['value']}: indicator {best.get('indicator')!r}")
        if "period" in gold:
            ok = (best.get("period") or None) == (gold["period"] or None)
            result.check("metric.period", ok, f"{gold['value']}: period {best.get('period')!r}")
    ents = [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
    for surface in variant.get("not_figures", []):
        start = doc.text.find(surface)
        hit = [t for s, e, label, t in ents if label in ("METRIC", "DATE") and s < start + len(surface) and e > start]
        result.check("not_figures", start >= 0 and not hit, f"{surface!r} tagged {hit}")
    persons = {_fold(t) for _s, _e, label, t in ents if label == "PERSON"}
    for name in variant.get("persons", []):
        result.check("persons", _fold(name) in persons, f"{name!r} not a PERSON")
    orgs = {_fold(t) for _s, _e, label, t in ents if label == "ORG"}
    for name in variant.get("not_orgs", []):
        result.check("not_orgs", _fold(name) not in orgs, f"{name!r} is an ORG")
    return result


def score_phenomena(nlp, fixtures: list[dict] | None = None) -> dict:
    """Run every variant through `nlp`; per phenomenon the variants passed, per check kind the share correct."""
    fixtures = load_fixtures() if fixtures is None else fixtures
    variants = [(item, variant) for item in fixtures for variant in item["variants"]]
    docs = nlp.pipe(variant["text"] for _item, variant in variants)
    results = [score_variant(item["phenomenon"], variant, doc) for (item, variant), doc in zip(variants, docs)]
    per_phenomenon: dict[str, dict] = {}
    checks: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in fixtures:
        mine = [r for r in results if r.phenomenon == item["phenomenon"]]
        per_phenomenon[str(item["phenomenon"])] = {
            "topic": item["topic"],
            "variants": len(mine),
            "passed": sum(r.passed for r in mine),
            "holds": sum(r.passed for r in mine) >= PASSING_VARIANTS,
            "failures": {r.variant: r.failures for r in mine if r.failures},
        }
        for r in mine:
            for kind, (ok, n) in r.checks.items():
                checks[kind][0] += ok
                checks[kind][1] += n
    return {
        "phenomena": len(per_phenomenon),
        "holding": sum(p["holds"] for p in per_phenomenon.values()),
        "variants": len(results),
        "variants_passed": sum(r.passed for r in results),
        "checks": {
            kind: {"correct": ok, "total": n, "share": round(ok / n, 4)} for kind, (ok, n) in sorted(checks.items())
        },
        "per_phenomenon": per_phenomenon,
    }


def summary_lines(scores: dict) -> list[str]:
    """The report `minutes phenomena` prints: one line per phenomenon, then per kind of check."""
    lines = [
        f"phenomena holding (>= {PASSING_VARIANTS} variants pass): {scores['holding']} of {scores['phenomena']}; "
        f"variants passed {scores['variants_passed']} of {scores['variants']}"
    ]
    for number, item in scores["per_phenomenon"].items():
        mark = "ok  " if item["holds"] else "MISS"
        lines.append(f"  {mark} {int(number):2d} {item['topic']:<10} {item['passed']}/{item['variants']}")
    for kind, c in scores["checks"].items():
        lines.append(f"  check {kind:<18} {c['correct']}/{c['total']} ({c['share']:.3f})")
    return lines


def floors_of(scores: dict) -> dict:
    """The floors the tests hold: variants passed per phenomenon, share correct per kind of check."""
    return {
        "command": "minutes phenomena --write-floors",
        "variants_passed": {number: item["passed"] for number, item in scores["per_phenomenon"].items()},
        "check_share": {kind: c["share"] for kind, c in scores["checks"].items()},
    }
