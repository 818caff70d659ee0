"""Local worker processes: each loads the pipeline once and processes whole batches."""

from __future__ import annotations

import multiprocessing as mp
from typing import Iterable

from ..extract import BatchStats, extract_batch
from ..nlp import limit_threads


def _init_worker() -> None:
    limit_threads()


def _run(args) -> BatchStats:
    batch, out, model, limits = args
    return extract_batch(batch, out, model, limits)


def run_batches_processes(batches, out, model, limits, *, workers: int = 2, **_) -> Iterable[BatchStats]:
    # spawn, not fork: a forked copy of a process that has loaded torch/BLAS threads can deadlock
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes=workers, initializer=_init_worker) as pool:
        yield from pool.imap_unordered(_run, [(b, out, model, limits) for b in batches])
