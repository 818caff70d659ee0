"""Dask distributed engine: the same batches as the local engine, one task per batch.

Workers import `pipeline.extract` (an importable module, not `__main__`), so `get_nlp` caches the model
once per worker process across tasks. Parts are content-addressed, so workers never collide; the output
folder must be visible to every worker (a shared filesystem on a real cluster).
"""

from __future__ import annotations

from typing import Iterable

from ..extract import BatchStats, extract_batch


def _task(batch, out, model, limits) -> BatchStats:
    from ..nlp import limit_threads

    limit_threads()
    return extract_batch(batch, out, model, limits)


def run_batches_dask(batches, out, model, limits, *, workers: int = 2, scheduler: str | None = None, **_) -> Iterable[BatchStats]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(_task, b, out, model, limits, pure=False) for b in batches]
        for fut in as_completed(futures):
            yield fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
