"""Local worker processes: each loads the pipeline once and processes whole batches.

Workers are started with the spawn method (a forked copy of a process that has loaded torch or BLAS
threads can deadlock) and with one BLAS/OpenMP/torch thread each, so N workers use N cores instead of
oversubscribing them. At most two batches per worker are in flight, handed out as workers become free,
and only `BatchReport`s (counts) come back: the parent never holds rows. If a worker process dies (killed
for memory, a crash in a C library) the run stops with a clear error instead of hanging; everything
finished so far is kept and the next run resumes from the completion markers.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ..envvars import temporary_environ
from .worker import BatchReport, init_worker, run_batch, single_thread_env


class WorkerDied(RuntimeError):
    """A worker process ended without returning its batch's report."""


def init_process_worker() -> None:
    """A worker process leaves Ctrl-C to the parent, which stops handing out batches and shuts the pool down
    (a worker killed by the terminal's SIGINT mid-batch would break the pool instead)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker()


def run_batches_processes(
    jobs: Callable[[int], Iterable[tuple[list, object]]], out, model, *, workers: int = 2, **_
) -> Iterator[BatchReport]:
    """jobs(workers): (batch of CorpusFile, ExtractSettings) pairs, consumed lazily."""
    ctx = mp.get_context("spawn")
    pending = iter(jobs(workers))
    in_flight = set()
    with temporary_environ(single_thread_env(), override=False):
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_process_worker)
    try:

        def submit_more() -> None:
            while len(in_flight) < 2 * workers:
                job = next(pending, None)
                if job is None:
                    return
                batch, settings = job
                # the executor starts processes lazily, on submit
                with temporary_environ(single_thread_env(), override=False):
                    in_flight.add(pool.submit(run_batch, batch, out, model, settings))

        submit_more()
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                in_flight.discard(future)
                try:
                    report = future.result()
                except BrokenProcessPool as exc:
                    raise WorkerDied(
                        "a worker process died (killed for memory, or a crash in a library); the files finished "
                        "so far are kept, and running the same command again resumes the run"
                    ) from exc
                yield report
            submit_more()
    except BaseException:
        for future in in_flight:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
