"""Plan a run, hand batches to an engine, finish corpus-wide tables, summarise."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..export.writer import DatasetWriter
from ..extract import BatchStats, CorpusFile, extract_batch, plan_work, remove_stale, scan_corpus

log = logging.getLogger("minutes")


@dataclass
class RunSummary:
    files_seen: int = 0
    files_processed: int = 0
    files_skipped: int = 0
    stale_removed: int = 0
    seconds: float = 0.0
    stats: BatchStats = field(default_factory=BatchStats)

    @property
    def words_per_second(self) -> float:
        return self.stats.words / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        s = self.stats
        return (
            f"{self.files_seen} files ({self.files_processed} processed, {self.files_skipped} unchanged), "
            f"{s.documents} documents, {s.sections} sections, {s.entities} entities, {s.errors} errors, "
            f"{self.words_per_second:,.0f} words/s"
        )


def make_batches(files: list[CorpusFile], batch_files: int) -> list[list[CorpusFile]]:
    return [files[i : i + batch_files] for i in range(0, len(files), batch_files)]


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
    writer = DatasetWriter(out)
    writer.clean_temporaries()
    files = scan_corpus(corpus, (limits or {}).get("max_bytes"))
    todo, live = plan_work(files, writer)
    summary = RunSummary(files_seen=len(files), files_processed=len(todo))
    summary.files_skipped = len({f.key for f in files}) - len({f.key for f in todo})
    batches = make_batches(todo, batch_files)
    if progress is None:
        progress = sys.stderr.isatty()

    if engine == "dask" or scheduler:
        from .dask_engine import run_batches_dask as run_batches
    elif workers > 1:
        from .processes import run_batches_processes as run_batches
    else:
        run_batches = run_batches_inline
    results = run_batches(batches, out, model, limits or {}, workers=workers, scheduler=scheduler)

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="file", desc="extract")
    done = 0
    for stats in results:
        summary.stats.add(stats)
        done += stats.files
        if bar is not None:
            bar.update(stats.files)
        else:
            log.info("extract: %d/%d files, %d documents, %d errors", done, len(todo), summary.stats.documents, summary.stats.errors)
    if bar is not None:
        bar.close()

    summary.stale_removed = remove_stale(writer, live)
    from ..corpus_tables import build_corpus_tables

    build_corpus_tables(out)
    summary.seconds = time.perf_counter() - t0
    return summary


def run_batches_inline(batches, out, model, limits, **_) -> Iterable[BatchStats]:
    for batch in batches:
        yield extract_batch(batch, out, model, limits)


BatchRunner = Callable[..., Iterable[BatchStats]]
