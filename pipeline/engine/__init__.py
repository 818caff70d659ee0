"""The extraction job: corpus folder -> Parquet tables, in-process, in local worker processes or on Dask.

    settings.py    ExtractSettings, the run's batch size and limits (one frozen value)
    plan.py        incremental planning: files to do, stale parts to drop
    batch.py       extract_batch: one batch of files, ingest -> annotate -> rows -> write
    deadline.py    Deadline, the per-document time limit
    worker.py      run_batch, what every engine runs per batch in whichever process gets it
    runner.py      run_extract: scan, plan, hand batches to an engine, finish the corpus-wide tables
    summary.py     RunSummary, the tables' totals and the lines a run ends with
    run_state.py   OUT/_state/run.json: whether the last run completed (pipeline.load warns when not)
    preflight.py   checks before a run: the corpus, --out, the model (--model, $MINUTES_MODEL, models/cnn)
    command.py     `minutes extract` from its options to its exit status (pipeline/errors.py: the statuses)
    processes.py, dask_engine.py   the local-processes and Dask engines (all give identical tables)

Imports are lazy, so a worker process that imports `pipeline.engine.worker` can cap its threads before
numpy, thinc or torch load.
"""

__all__ = ["ExtractSettings", "RunSummary", "run_extract"]


def __getattr__(name):
    if name == "ExtractSettings":
        from .settings import ExtractSettings

        return ExtractSettings
    if name in __all__:
        from . import runner

        return getattr(runner, name)
    raise AttributeError(name)
