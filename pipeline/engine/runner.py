"""Plan a run, hand batches to an engine, finish corpus-wide tables, summarise.

Memory stays flat as the corpus grows: the only structures proportional to the number of files are the
scan (path, sha256 per file: `scan_corpus`) and the plan derived from it (`plan_work`); files are hashed
in 1 MiB chunks; batches are sliced from the plan lazily; an engine returns one `BatchReport` (counts
and timings) per batch, which is folded into the summary and dropped. Rows are built and written inside
`extract_batch`, one bounded batch (`--batch-files`) at a time, in whichever process runs it.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..export.writer import DatasetWriter
from ..extract import BatchStats, CorpusFile, plan_work, remove_stale, scan_corpus
from .worker import BatchReport, run_batch

log = logging.getLogger("minutes")

BATCHES_PER_WORKER = 4  # with several workers, at least this many batches each, so they finish together
BATCH_BYTES = 2_000_000  # a batch closes at --batch-files files or this many bytes of input, whichever first
# Text per spaCy minibatch: the transient memory of tok2vec + NER grows with the tokens in one minibatch,
# so the number of documents per nlp.pipe minibatch is chosen from the batch's largest file (1 for long
# minutes, up to NLP_BATCH_MAX for short ones) unless limits["nlp_batch_size"] is given.
NLP_BATCH_BYTES = 16_000
NLP_BATCH_MAX = 32


@dataclass
class RunSummary:
    files_seen: int = 0
    files_processed: int = 0
    files_skipped: int = 0
    stale_removed: int = 0
    seconds: float = 0.0
    stats: BatchStats = field(default_factory=BatchStats)
    # parent-side stages (scan, plan, stale, corpus_tables); per-batch stages are in stats.stage_seconds
    stage_seconds: dict = field(default_factory=dict)
    # "host:pid" -> {"batches": n, "files": n, "model_loads": n} for each process that ran batches
    workers: dict = field(default_factory=dict)
    engine: str = "local"

    @property
    def words_per_second(self) -> float:
        return self.stats.words / self.seconds if self.seconds else 0.0

    @property
    def model_loads(self) -> int:
        return sum(w["model_loads"] for w in self.workers.values())

    def line(self) -> str:
        s = self.stats
        return (
            f"{self.files_seen} files ({self.files_processed} processed, {self.files_skipped} unchanged), "
            f"{s.documents} documents, {s.sections} sections, {s.entities} entities, {s.errors} errors, "
            f"{self.words_per_second:,.0f} words/s"
        )

    def add(self, report: BatchReport) -> None:
        self.stats.add(report.stats)
        w = self.workers.setdefault(report.worker, {"batches": 0, "files": 0, "model_loads": 0})
        w["batches"] += 1
        w["files"] += report.stats.files
        w["model_loads"] += report.model_loads


def batch_size_for(n_files: int, batch_files: int, workers: int) -> int:
    """--batch-files bounds memory; with several workers, batches are made smaller (never larger) so
    each worker gets several and none waits idle at the end while another finishes a big last batch."""
    if workers <= 1 or n_files == 0:
        return max(1, batch_files)
    return max(1, min(batch_files, math.ceil(n_files / (workers * BATCHES_PER_WORKER))))


def _size(f: CorpusFile) -> int:
    try:
        return os.stat(f.abs_path).st_size
    except OSError:
        return 0


def make_batches(files: list[CorpusFile], batch_files: int, batch_bytes: int = BATCH_BYTES) -> Iterator[tuple[list[CorpusFile], int]]:
    """Consecutive (files, largest file's size in bytes): at most batch_files files and, unless a single file
    is larger, at most batch_bytes bytes. Lazy, so batches exist only while an engine works on them."""
    batch: list[CorpusFile] = []
    total = largest = 0
    for f in files:
        size = _size(f)
        if batch and (len(batch) >= batch_files or total + size > batch_bytes):
            yield batch, largest
            batch, total, largest = [], 0, 0
        batch.append(f)
        total += size
        largest = max(largest, size)
    if batch:
        yield batch, largest


def nlp_batch_size(largest_file_bytes: int) -> int:
    return max(1, min(NLP_BATCH_MAX, NLP_BATCH_BYTES // max(1, largest_file_bytes)))


def make_jobs(files: list[CorpusFile], batch_files: int, limits: dict) -> Iterator[tuple[list[CorpusFile], dict]]:
    """(batch, limits for that batch) as the engines take them."""
    for batch, largest in make_batches(files, batch_files):
        if limits.get("nlp_batch_size"):
            yield batch, limits
        else:
            yield batch, {**limits, "nlp_batch_size": nlp_batch_size(largest)}


def choose_engine(engine: str, workers: int, scheduler: str | None) -> tuple[str, Callable[..., Iterable[BatchReport]]]:
    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r}: use local or dask")
    if engine == "dask" or scheduler:
        from .dask_engine import run_batches_dask

        return "dask", run_batches_dask
    if workers > 1:
        from .processes import run_batches_processes

        return "processes", run_batches_processes
    return "inline", run_batches_inline


def run_extract(
    corpus: str | Path,
    out: str | Path,
    model: str | None,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    batch_files: int = 16,
    limits: dict | None = None,
    progress: bool | None = None,
) -> RunSummary:
    t0 = time.perf_counter()
    out = str(Path(out))
    model = str(model) if model else None
    limits = limits or {}
    name, run_batches = choose_engine(engine, workers, scheduler)
    writer = DatasetWriter(out)
    writer.clean_temporaries()
    files = scan_corpus(corpus, **({"max_bytes": limits["max_bytes"]} if limits.get("max_bytes") else {}))
    t_scan = time.perf_counter()
    todo, live = plan_work(files, writer, model)
    summary = RunSummary(files_seen=len(files), files_processed=len(todo), engine=name)
    summary.files_skipped = len({f.key for f in files}) - len({f.key for f in todo})
    summary.stage_seconds["scan"] = t_scan - t0
    summary.stage_seconds["plan"] = time.perf_counter() - t_scan
    del files
    size = batch_size_for(len(todo), batch_files, workers if name != "inline" else 1)
    if progress is None:
        progress = sys.stderr.isatty()

    t_batches = time.perf_counter()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="file", desc="extract")
    done = 0
    for report in run_batches(make_jobs(todo, size, limits), out, model, workers=workers, scheduler=scheduler):
        summary.add(report)
        done += report.stats.files
        if bar is not None:
            bar.update(report.stats.files)
        else:
            log.info("extract: %d/%d files, %d documents, %d errors", done, len(todo), summary.stats.documents, summary.stats.errors)
    if bar is not None:
        bar.close()
    t_stale = time.perf_counter()
    summary.stage_seconds["batches"] = t_stale - t_batches

    summary.stale_removed = remove_stale(writer, live)
    t_corpus = time.perf_counter()
    summary.stage_seconds["stale"] = t_corpus - t_stale
    from ..corpus_tables import build_corpus_tables

    build_corpus_tables(out)
    t_end = time.perf_counter()
    summary.stage_seconds["corpus_tables"] = t_end - t_corpus
    summary.seconds = t_end - t0
    return summary


def run_batches_inline(jobs: Iterable[tuple[list, dict]], out, model, **_) -> Iterator[BatchReport]:
    for batch, limits in jobs:
        yield run_batch(batch, out, model, limits)


BatchRunner = Callable[..., Iterable[BatchReport]]
