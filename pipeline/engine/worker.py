"""What every engine runs for one batch, in whichever process it lands: `run_batch`.

This module imports nothing heavy at import time, so a fresh worker process can cap its BLAS/OpenMP/torch
threads (`init_worker`) before numpy, thinc or torch are first imported. `run_batch` loads the pipeline
at most once per process (`pipeline.nlp.cached_nlp` keeps it), processes the batch with
`pipeline.engine.batch.extract_batch` (which writes the batch's Parquet parts itself) and returns a
`BatchReport`: counts, timings and which process did the work. Rows never travel back to the parent.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass

THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)

# Dask may run several tasks of one worker in threads: the model is loaded once, and one batch at a time
# uses it (a spaCy pipeline is not documented as thread-safe, and the GIL makes threads no faster anyway).
_LOAD_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()


def single_thread_env() -> dict[str, str]:
    """Environment for worker processes: one thread each for BLAS/OpenMP (set before numpy is imported)."""
    return {var: "1" for var in THREAD_VARS}


def init_worker() -> None:
    """First thing in a worker process: one thread for BLAS/OpenMP and torch, so N workers use N cores."""
    for var, value in single_thread_env().items():
        os.environ.setdefault(var, value)
    from ..nlp import limit_threads

    limit_threads()


@dataclass
class BatchReport:
    """One finished batch, as an engine yields it: counts only (`stats`), never rows."""

    stats: object  # pipeline.engine.batch.BatchStats
    pid: int
    host: str
    model_loads: int  # 1 when this batch loaded the pipeline into its process (the first batch there), else 0
    models_cached: int  # pipelines held by the process after the batch (1 in a normal run)
    process_cpu: float = 0.0  # CPU seconds the process had used when the batch ended (imports and loading included)

    @property
    def worker(self) -> str:
        return f"{self.host}:{self.pid}"


def ensure_nlp(model: str | None) -> tuple[int, float]:
    """Load the pipeline into this process's cache unless it is there: (loads done now, seconds)."""
    from .. import nlp as nlp_module
    from ..errors import ModelError

    with _LOAD_LOCK:
        before = nlp_module.cache_size()
        started = time.perf_counter()
        try:
            nlp_module.cached_nlp(model)
        except Exception as exc:  # a broken model folder: the user's to fix, not a crash of the run
            reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}".rstrip(": ")
            raise ModelError(
                f"the model at {model} cannot be loaded ({reason}): retrain it (`make train`), "
                "give another with --model DIR, or run with --rules-only"
            ) from exc
        return max(0, nlp_module.cache_size() - before), time.perf_counter() - started


def memory_zone(nlp, enabled: bool = True):
    """spaCy's memory zone (3.8+): strings and lexemes first seen in the batch are freed when it ends, so
    a long-lived worker's vocabulary does not grow with the corpus (every new name and number would
    otherwise stay interned for the life of the process). Docs never outlive `extract_batch`."""
    zone = getattr(nlp, "memory_zone", None)
    return zone() if enabled and zone is not None else nullcontext()


def run_batch(batch, out: str, model: str | None, settings=None) -> BatchReport:
    """Process one batch (a list of CorpusFile) with `settings` (an ExtractSettings; None: the defaults)."""
    from .. import nlp as nlp_module
    from .batch import extract_batch
    from .settings import ExtractSettings

    settings = settings or ExtractSettings()
    loads, seconds = ensure_nlp(model)
    with _RUN_LOCK, memory_zone(nlp_module.cached_nlp(model), settings.memory_zone):
        stats = extract_batch(batch, out, model, settings)
    if loads:
        stats.stage_seconds["model_load"] = stats.stage_seconds.get("model_load", 0.0) + seconds
    return BatchReport(stats, os.getpid(), socket.gethostname(), loads, nlp_module.cache_size(), time.process_time())
