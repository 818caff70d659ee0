"""Corpus-wide tables (people, role_history), rebuilt from the per-file parts at the end of every run."""

from __future__ import annotations

from pathlib import Path

from .export.writer import DatasetWriter
from .people import build_people

CORPUS_KEY = "corpus"


def build_corpus_tables(out: str | Path) -> None:
    people, history = build_people(out)
    writer = DatasetWriter(out)
    writer.write_part("people", CORPUS_KEY, people)
    writer.write_part("role_history", CORPUS_KEY, history)
