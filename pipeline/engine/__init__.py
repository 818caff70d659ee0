"""Engines run `pipeline.extract.extract_batch` over batches of files: in-process, in local worker
processes, or on a Dask cluster. All share `run_extract`, so their tables are identical.

Imports are lazy, so a worker process that imports `pipeline.engine.worker` can cap its threads before
numpy, thinc or torch load.
"""

__all__ = ["RunSummary", "run_extract"]


def __getattr__(name):
    if name in __all__:
        from . import runner

        return getattr(runner, name)
    raise AttributeError(name)
