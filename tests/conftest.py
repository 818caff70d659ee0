"""Shared fixtures. Plain helper functions live in tests/helpers.py."""

from __future__ import annotations

import pytest
import spacy


@pytest.fixture(scope="module")
def nlp():
    """A blank English pipeline with the packaged section rules (sections and meeting tests)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("minutes_sections")
    nlp.initialize()
    return nlp


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory):
    """The sample corpus extracted once per test session (with the trained model when there is one); read it,
    never write into it."""
    from pipeline.engine import run_extract
    from tests.helpers import CORPUS, MODEL

    out = tmp_path_factory.mktemp("sample") / "extracted"
    run_extract(CORPUS, out, str(MODEL) if MODEL.is_dir() else None)
    return out
