"""Corpus-wide tables (people, role_history), rebuilt from the per-file parts at the end of every run."""

from __future__ import annotations

from pathlib import Path

from .export.writer import DatasetWriter

CORPUS_KEY = "corpus"


def build_corpus_tables(out: str | Path) -> None:
    writer = DatasetWriter(out)
    try:
        from .people import build_people  # filled in by the relations/attendance work
    except ImportError:
        people, history = [], []
    else:
        people, history = build_people(out)
    writer.write_part("people", CORPUS_KEY, people)
    writer.write_part("role_history", CORPUS_KEY, history)
