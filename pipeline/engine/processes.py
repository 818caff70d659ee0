"""Local worker processes: each loads the pipeline once and processes whole batches.

Workers are started with the spawn method (a forked copy of a process that has loaded torch or BLAS
threads can deadlock) and with one BLAS/OpenMP/torch thread each, so N workers use N cores instead of
oversubscribing them. Batches are handed out one at a time as workers become free (`imap_unordered`,
chunksize 1), and only `BatchReport`s (counts) come back: the parent never holds rows.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from contextlib import contextmanager
from typing import Iterable, Iterator

from .worker import BatchReport, init_worker, run_batch, single_thread_env


def _run(args) -> BatchReport:
    batch, out, model, limits = args
    return run_batch(batch, out, model, limits)


@contextmanager
def _child_env(env: dict[str, str]) -> Iterator[None]:
    """Spawned children inherit os.environ as it is when they start: set the thread caps just for that."""
    old = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        os.environ.setdefault(k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_batches_processes(batches: Iterable[list], out, model, limits, *, workers: int = 2, **_) -> Iterator[BatchReport]:
    ctx = mp.get_context("spawn")
    with _child_env(single_thread_env()):
        pool = ctx.Pool(processes=workers, initializer=init_worker)
    try:
        yield from pool.imap_unordered(_run, ((b, out, model, limits) for b in batches), chunksize=1)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
