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


def make_batches(files: list[CorpusFile], batch_files: int) -> Iterator[list[CorpusFile]]:
    for i in range(0, len(files), batch_files):
        yield files[i : i + batch_files]


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
    todo, live = plan_work(files, writer)
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
    for report in run_batches(make_batches(todo, size), out, model, limits, workers=workers, scheduler=scheduler):
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


def run_batches_inline(batches: Iterable[list], out, model, limits, **_) -> Iterator[BatchReport]:
    for batch in batches:
        yield run_batch(batch, out, model, limits)


BatchRunner = Callable[..., Iterable[BatchReport]]
