"""Engines run `pipeline.extract.extract_batch` over batches of files: in-process, in local worker
processes, or on a Dask cluster. All share `run_extract`, so their tables are identical."""

from .runner import RunSummary, run_extract

__all__ = ["RunSummary", "run_extract"]
