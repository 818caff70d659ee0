"""Scores for decisions, votes and interests (issue 17) against the gold `@decision`, `@vote`, `@tally` and
`@interest` lines, over the documents whose `@meta` says `decisions=annotated` (others are not scored).

- decisions: a predicted decision matches a gold one when their character spans overlap by at least
  SPAN_OVERLAP of the longer of the two (one-to-one, best overlap first); outcome and carried are scored
  on the matched pairs;
- votes: (person, vote, item) triples, names compared by `person_key`;
- interests: (person, item, kind) triples, and withdrew on the matched ones;
- tallies: every predicted decision with both a stated tally and named votes must have them agree.

    python -m pipeline.training.evaluate_decisions [--model models/cnn]   scores by group (seeds, each council)
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict

from ..facts.decisions import decision_rows, people_of_doc
from .scoring import person_key, prf

SPAN_OVERLAP = 0.8


def predicted_rows(doc, doc_id: str = "doc") -> dict[str, list[dict]]:
    return decision_rows(doc_id, doc.text, doc._.sections or [], people_of_doc(doc), lambda offset: None)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, shared) / max(a[1] - a[0], b[1] - b[0], 1)


def match_spans(gold: list[tuple[int, int]], predicted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs overlapping by >= SPAN_OVERLAP, one-to-one, best first."""
    candidates = sorted(
        ((_overlap(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(predicted)),
        reverse=True,
    )
    used_gold, used_pred, pairs = set(), set(), []
    for overlap, i, j in candidates:
        if overlap < SPAN_OVERLAP:
            break
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return pairs


def _item(value) -> str | None:
    return str(value).strip().rstrip(".").casefold() if value else None


def score_decisions(records, docs) -> dict:
    counts = {name: [0, 0, 0] for name in ("decisions", "votes", "interests")}
    attribute = defaultdict(lambda: [0, 0])  # attribute -> [agree, compared]
    tallies = {"checked": 0, "inconsistent": 0}
    scored = 0
    for record, doc in zip(records, docs):
        if not record["meta"].get("decisions_annotated"):
            continue
        scored += 1
        rows = predicted_rows(doc)
        gold = record.get("decisions", [])
        predicted = rows["decisions"]
        pairs = match_spans(
            [(g["start"], g["end"]) for g in gold], [(p["start_char"], p["end_char"]) for p in predicted]
        )
        counts["decisions"][0] += len(pairs)
        counts["decisions"][1] += len(predicted) - len(pairs)
        counts["decisions"][2] += len(gold) - len(pairs)
        for i, j in pairs:
            for name in ("outcome", "carried"):
                attribute[name][0] += (gold[i].get(name) or None) == (predicted[j].get(name) or None)
                attribute[name][1] += 1
        gold_votes = {(person_key(v["person"]), v["vote"], _item(v.get("item"))) for v in record.get("votes", [])}
        pred_votes = {(person_key(v["person"]), v["vote"], _item(v["item_number"])) for v in rows["votes"]}
        _add(counts["votes"], gold_votes, pred_votes)
        gold_interests = {
            (person_key(i["person"]), _item(i.get("item")), i["kind"]): i for i in record.get("interests", [])
        }
        pred_interests = {(person_key(i["person"]), _item(i["item_number"]), i["kind"]): i for i in rows["interests"]}
        _add(counts["interests"], set(gold_interests), set(pred_interests))
        for key in set(gold_interests) & set(pred_interests):
            attribute["withdrew"][0] += gold_interests[key]["withdrew"] == pred_interests[key]["withdrew"]
            attribute["withdrew"][1] += 1
        for decision in predicted:
            if decision["tally_source"] == "both":
                tallies["checked"] += 1
                tallies["inconsistent"] += decision["tally_consistent"] is False
    out = {name: {**prf(*c), "support": c[0] + c[2]} for name, c in counts.items()}
    out["attributes"] = {
        name: {"accuracy": round(agree / compared, 4) if compared else None, "compared": compared}
        for name, (agree, compared) in attribute.items()
    }
    out["tallies"] = tallies
    out["documents"] = scored
    return out


def _add(count: list[int], gold: set, predicted: set) -> None:
    count[0] += len(gold & predicted)
    count[1] += len(predicted - gold)
    count[2] += len(gold - predicted)


def main(argv: list[str] | None = None) -> int:
    from ..nlp import load_nlp
    from ..paths import BUILD, MODELS
    from .folds import council_of
    from .scoring import load_gold_records, predict

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(MODELS / "cnn"))
    args = parser.parse_args(argv)
    records = [r for r in load_gold_records(BUILD) if r["meta"].get("decisions_annotated")]
    nlp = load_nlp(args.model)
    docs = predict(nlp, records)
    groups = defaultdict(list)
    for position, record in enumerate(records):
        groups["seeds" if record["meta"]["kind"] == "real" else "written"].append(position)
        if record["meta"]["kind"] != "real":
            groups[f"written: {council_of(record)}"].append(position)
    report = {
        group: score_decisions([records[i] for i in members], [docs[i] for i in members])
        for group, members in sorted(groups.items(), key=lambda kv: (kv[0] != "seeds", kv[0] != "written", kv[0]))
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
