"""The settings of one extraction run, as one frozen value: `ExtractSettings`.

`run_extract` takes them, slices batches with `batch_files`, and hands each batch its own copy (with
`nlp_batch_size` filled in from the batch's largest file unless it was given) to whichever process runs
it. Being frozen and made of plain values, they pickle to worker processes and Dask tasks unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_DOC_SECONDS = 600.0  # time limit for one file's ingest, and for one document's NLP
DEFAULT_BATCH_FILES = 16
DEFAULT_PART_FILES = 256  # measured on 10,000 pages: 16-file parts read 33x slower than one file, 256-file 2.4x
DEFAULT_NLP_BATCH_SIZE = 32  # documents per nlp.pipe minibatch when a batch is run without a size


@dataclass(frozen=True)
class ExtractSettings:
    """How a run cuts and processes its work. None means "the default" wherever it is allowed.

    batch_files: files per batch at most (bounds a worker's memory).
    part_files: files per Parquet part that compaction merges small parts up to, after the run (engine/compact.py):
        parts much larger than batches read faster (benchmarks/RESULTS.md, "Table layout").
    doc_seconds: time limit for one file's ingest and for one document's NLP; 0 or None turns it off.
    max_bytes: files larger than this are refused from their size (None: ingest's 50 MB default).
    max_chars: documents longer than this are refused by ingest (None: ingest's default).
    nlp_batch_size: documents per nlp.pipe minibatch (None: sized from the batch's largest file).
    memory_zone: run each batch in spaCy's memory zone, so a long-lived worker's vocabulary stays small.
    """

    batch_files: int = DEFAULT_BATCH_FILES
    part_files: int = DEFAULT_PART_FILES
    doc_seconds: float | None = DEFAULT_DOC_SECONDS
    max_bytes: int | None = None
    max_chars: int | None = None
    nlp_batch_size: int | None = None
    memory_zone: bool = True

    def reader_limits(self) -> dict[str, int]:
        """The keyword arguments for `read_documents` (only the limits that are set)."""
        limits = {"max_bytes": self.max_bytes, "max_chars": self.max_chars}
        return {name: value for name, value in limits.items() if value is not None}
