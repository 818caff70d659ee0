"""Dask distributed engine: the same batches as the local engine, one task per batch.

`--engine dask` starts a LocalCluster (N worker processes, one thread each); `--scheduler tcp://host:port`
uses an existing cluster. Each task runs `pipeline.engine.worker.run_batch`: workers import
`pipeline.nlp` (an importable module, not `__main__`, whose `cached_nlp` keeps the pipeline), so the
pipeline is loaded once per worker process and kept across tasks, and each task reports which process
ran it and whether it loaded the model.

Parts are content-addressed (`part-<sha256 prefix>.parquet`, written to a temporary name and renamed), so
workers never collide, and a task that Dask retries after losing a worker just rewrites the same parts.
The corpus and the output folder must be visible at the same paths to every worker (a shared
filesystem on a real cluster). At most a few tasks per worker thread are submitted at a time, so the
scheduler's memory does not grow with the corpus either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from .worker import BatchReport, init_worker, run_batch, single_thread_env


def _task(batch, out, model, settings) -> BatchReport:
    init_worker()
    return run_batch(batch, out, model, settings)


def run_batches_dask(
    jobs: Callable[[int], Iterable[tuple[list, object]]],
    out,
    model,
    *,
    workers: int = 2,
    scheduler: str | None = None,
    **_,
) -> Iterator[BatchReport]:
    """jobs(slots): (batch of CorpusFile, ExtractSettings) pairs, sized for the cluster's worker threads and consumed
    lazily (at most two tasks per worker thread in flight)."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env=single_thread_env(),
        )
        client = Client(cluster)
    try:
        slots = max(1, sum(client.nthreads().values())) if scheduler else max(1, workers)
        pending = iter(jobs(slots))
        queue = as_completed()

        def submit_next() -> bool:
            job = next(pending, None)
            if job is None:
                return False
            batch, settings = job
            queue.add(client.submit(_task, batch, out, model, settings, pure=False))
            return True

        for _ in range(2 * slots):
            if not submit_next():
                break
        for future in queue:
            report = future.result()
            future.release()
            yield report
            submit_next()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
