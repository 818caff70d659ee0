"""Scores for the facts analysts use: relations (on predicted entities), attendance, metric attributes."""

from __future__ import annotations

from collections import defaultdict

from .evaluate import count_matches, prf, summarise

REL_LABELS = ("HAS_ROLE", "AFFILIATED_WITH", "ROLE_IN_ORG")
STATUSES = ("present", "apologies", "substitute", "in_attendance", "chair")


def _words(s: str | None) -> set[str]:
    return set((s or "").casefold().replace("’", "'").split())


def score_relations(records, docs) -> dict:
    """A predicted relation counts when both mentions match gold spans exactly and the label agrees."""
    counts = defaultdict(lambda: [0, 0, 0])
    by_evidence = defaultdict(lambda: [0, 0])
    for rec, doc in zip(records, docs):
        spans = {s["id"]: (s["start"], s["end"]) for s in rec["spans"] if s.get("id")}
        gold = {(spans[r["head_id"]], spans[r["child_id"]], r["label"]) for r in rec["relations"]}
        pred_rows = doc._.relations or []
        pred = {(tuple(r["head"]), tuple(r["tail"]), r["label"]) for r in pred_rows}
        count_matches(gold, pred, counts)
        for r in pred_rows:
            kind = "model" if r["evidence"] == "model" else "rule"
            by_evidence[kind][0] += (tuple(r["head"]), tuple(r["tail"]), r["label"]) in gold
            by_evidence[kind][1] += 1
    out = summarise(counts, REL_LABELS)
    out["precision_by_evidence"] = {k: {"correct": v[0], "predicted": v[1], "precision": round(v[0] / v[1], 4) if v[1] else 0.0}
                                    for k, v in by_evidence.items()}
    return out


def score_attendance(records, docs) -> dict:
    """(person, status) pairs; names compared casefolded. Also person-only F1 (status ignored)."""
    counts = defaultdict(lambda: [0, 0, 0])
    names = [0, 0, 0]
    for rec, doc in zip(records, docs):
        gold = {(a["person"].casefold(), a["status"]) for a in rec.get("attendance", [])}
        pred = {(a["person"].casefold(), a["status"]) for a in (doc._.attendance or [])}
        count_matches(gold, pred, counts)
        gn, pn = {g[0] for g in gold}, {p[0] for p in pred}
        names[0] += len(gn & pn)
        names[1] += len(pn - gn)
        names[2] += len(gn - pn)
    out = summarise(counts, STATUSES)
    out["person_only"] = prf(*names)
    return out


def score_metrics(records, docs) -> dict:
    """Gold METRIC mentions: found exactly by NER, and for those, value/unit/indicator/period agreement."""
    from ..normalise.numbers import parse_metric

    n_gold = found = value_ok = unit_ok = ind_exact = ind_overlap = ind_n = period_ok = 0
    parser_value_ok = parser_unit_ok = 0
    for rec, doc in zip(records, docs):
        text = rec["text"]
        pred = {(m["start_char"], m["end_char"]): m for m in (doc._.metrics or [])}
        for g in rec.get("metrics", []):
            n_gold += 1
            parsed = parse_metric(g["text"], text[max(0, g["start"] - 60) : g["start"]], text[g["end"] : g["end"] + 60])
            if parsed:
                parser_value_ok += abs(parsed.value - g["value"]) < 1e-6
                parser_unit_ok += parsed.unit == g["unit"]
            p = pred.get((g["start"], g["end"]))
            if p is None:
                continue
            found += 1
            value_ok += p["value"] is not None and abs(p["value"] - g["value"]) < 1e-6
            unit_ok += p["unit"] == g["unit"]
            period_ok += (p.get("period") or None) == (g.get("period") or None)
            if g.get("indicator"):
                ind_n += 1
                ind_exact += (p.get("indicator") or "").casefold() == g["indicator"].casefold()
                gw, pw = _words(g["indicator"]), _words(p.get("indicator"))
                ind_overlap += bool(gw and pw and len(gw & pw) / len(gw | pw) >= 0.5)

    def r(a, b):
        return round(a / b, 4) if b else 0.0

    return {
        "gold_metrics": n_gold,
        "found_by_ner": r(found, n_gold),
        "value_exact": r(value_ok, found),
        "unit_exact": r(unit_ok, found),
        "indicator_exact": r(ind_exact, ind_n),
        "indicator_overlap": r(ind_overlap, ind_n),
        "period_exact": r(period_ok, found),
        "value_exact_on_gold_spans": r(parser_value_ok, n_gold),
        "unit_exact_on_gold_spans": r(parser_unit_ok, n_gold),
    }


def score_facts(records, docs) -> dict:
    return {
        "relations": score_relations(records, docs),
        "attendance": score_attendance(records, docs),
        "metrics": score_metrics(records, docs),
    }
