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
