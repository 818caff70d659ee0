"""The guard on real trainings: an exact copy of a training document is accepted, damaged gold is refused.

Each case trains the shipped cnn config once (about 2 minutes on two cores), so both are slow-marked.
The current model is the shipped `models/cnn`, copied into a temporary models folder.
"""

from __future__ import annotations

import re
import shutil

import pytest
import spacy
from spacy.tokens import DocBin

from pipeline.paths import BUILD, MODELS
from pipeline.training import train
from pipeline.training.folds import AUGMENTED_NAME

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not ((MODELS / "cnn" / "meta.json").is_file() and (BUILD / "train.spacy").is_file()),
        reason="needs a trained models/cnn and annotations/build",
    ),
]


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A copy of the DocBins and of the current model; train_model writes only below tmp_path."""
    build = tmp_path / "build"
    shutil.copytree(BUILD, build, ignore=shutil.ignore_patterns("loo"))
    shutil.copytree(MODELS / "cnn", tmp_path / "models" / "cnn")
    monkeypatch.setattr(train, "MODELS", tmp_path / "models")
    return build


def _rewrite_training_docs(build, change) -> None:
    path = build / "train.spacy"
    docs = list(DocBin(store_user_data=True).from_disk(path).get_docs(spacy.blank("en").vocab))
    out = DocBin(store_user_data=True)
    for doc in change(docs):
        out.add(doc)
    out.to_disk(path)


def test_an_exact_copy_of_a_training_document_is_accepted(workspace, tmp_path):
    _rewrite_training_docs(workspace, lambda docs: [*docs, docs[1]])
    assert train.train_model("cnn", workspace) == 0
    assert not (tmp_path / "models" / ".candidates" / "cnn" / "REFUSED").exists()


def test_removing_person_spans_from_a_fifth_of_the_training_documents_is_refused(workspace, tmp_path):
    def without_person(docs):
        # a fifth of the documents, with every augmented copy of each (a copy is the same document renamed)
        names = sorted({re.sub(AUGMENTED_NAME, "", doc.user_data.get("doc_name", "")) for doc in docs})
        damaged = set(names[::5])
        for doc in docs:
            if re.sub(AUGMENTED_NAME, "", doc.user_data.get("doc_name", "")) in damaged:
                doc.set_ents([ent for ent in doc.ents if ent.label_ != "PERSON"], default="outside")
        return docs

    _rewrite_training_docs(workspace, without_person)
    assert train.train_model("cnn", workspace) == 3
    note = (tmp_path / "models" / ".candidates" / "cnn" / "REFUSED").read_text()
    assert note.startswith("REFUSED") and "PERSON" in note and "F1" in note
    assert "support" in note and "interval" in note
