"""The retraining guard: a paired bootstrap over documents tells a real regression from noise."""

from __future__ import annotations

import json
import random

from pipeline.training.guard import compare_models, document_counts, regressions, seed_tolerance, training_noise


def _documents(n_docs: int, persons: int, recall: float, seed: int) -> list[dict]:
    """Per-document counts for a model that finds each of `persons` PERSON mentions with probability `recall`."""
    rng = random.Random(seed)
    docs = []
    for _ in range(n_docs):
        found = sum(rng.random() < recall for _ in range(persons))
        docs.append({"PERSON": [found, rng.randint(0, 1), persons - found], "ORG": [3, 0, 1]})
    return docs


def test_document_counts_exact_match_per_label():
    gold = [(0, 4, "PERSON"), (10, 14, "ORG")]
    pred = [(0, 4, "PERSON"), (10, 15, "ORG")]
    assert document_counts(gold, pred) == {"PERSON": [1, 0, 0], "ORG": [0, 1, 1]}


def test_an_identical_model_is_accepted():
    docs = _documents(11, 30, 0.93, seed=1)
    comparisons = compare_models(docs, [dict(d) for d in docs])
    assert not regressions(comparisons, {})
    person = next(c for c in comparisons if c.label == "PERSON")
    assert person.low == person.high == 0.0 and person.support == 11 * 30


def test_noise_of_a_similar_model_is_accepted():
    old = _documents(11, 30, 0.93, seed=1)
    new = [
        {"PERSON": [d["PERSON"][0] - (i % 2), d["PERSON"][1], d["PERSON"][2] + (i % 2)], "ORG": d["ORG"]}
        for i, d in enumerate(old)
    ]
    new[0]["PERSON"] = [new[0]["PERSON"][0] + 3, 0, new[0]["PERSON"][2] - 3]  # better on one document, worse on others
    assert not regressions(compare_models(old, new), {})


def test_a_real_drop_is_refused_with_label_support_and_interval():
    old = _documents(11, 30, 0.93, seed=1)
    new = _documents(11, 30, 0.70, seed=2)  # a fifth of the PERSON mentions lost on every document
    fallen = regressions(compare_models(old, new), {})
    assert [c.label for c in fallen] == ["PERSON"]
    text = fallen[0].describe()
    assert "PERSON" in text and "support 330" in text and "interval" in text and fallen[0].high < 0


def test_a_drop_within_the_training_seed_spread_is_accepted():
    old = _documents(11, 30, 0.93, seed=1)
    new = _documents(11, 30, 0.88, seed=2)
    comparisons = compare_models(old, new)
    drop = next(c.old_f1 - c.new_f1 for c in comparisons if c.label == "PERSON")
    assert not regressions(comparisons, {"PERSON": drop + 0.01})


def test_seed_tolerance_is_the_bound_of_a_difference_of_two_trainings(tmp_path):
    measured = {
        "per_seed_f1": {"1": {"ROLE": 0.90}, "2": {"ROLE": 0.92}, "3": {"ROLE": 0.94}, "4": {"ROLE": 0.92}},
        "spread": {"ROLE": 0.04},
    }
    path = tmp_path / "cnn.noise.json"
    path.write_text(json.dumps(measured), encoding="utf-8")
    # sd of the four seeds is 0.0163; two independent trainings differ by up to 1.96*sqrt(2)*sd = 0.045
    assert training_noise(path) == {"ROLE": 0.0453}
    assert seed_tolerance({"per_seed_f1": {"1": {"ROLE": 0.9}}, "spread": {"ROLE": 0.01}}, "ROLE") == 0.01
    assert training_noise(tmp_path / "missing.json") == {}
