"""Plan a run, hand batches to an engine, finish corpus-wide tables, summarise.

Memory does not grow with the corpus:
- the only structures proportional to the number of files are the scan (path and SHA-256 per file of minutes,
  `ingest.scan.scan_selected`, which hashes in 1 MiB chunks; other files are only named) and the plan derived from it
  (`engine.plan.plan_work`: the files to do and the set of live part keys);
- batches are sliced from the plan lazily, closing at `--batch-files` files or BATCH_BYTES bytes, and an
  engine keeps at most two batches per worker in flight;
- each batch is processed and written by `engine.batch.extract_batch` in whichever process runs it; what comes back
  is a `BatchReport` (counts and timings), folded into the summary and dropped: rows never reach the
  parent, and the inline engine frees them batch by batch;
- spaCy minibatches are sized from the batch's largest file (NLP_BATCH_BYTES), because the transient
  memory of tok2vec + NER grows with the tokens in one minibatch;
- each batch runs in spaCy's memory zone (`worker.run_batch`), so a long-lived worker's string store
  does not grow with every new name and number it sees.
Each batch writes one part per table (`engine.batch.write_stage`), so the number of files grows with
batches, not documents. After the batches, `engine.plan.sweep` rewrites only the parts that still hold
rows of changed, renamed or removed files (see plan.py), and `engine.compact` merges small parts up to
`--part-files`. The corpus-wide tables (people, role_history, person_id) are then updated in the parent, only
for the merge scopes the run touched (pipeline/corpus_tables.py).
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import CorpusEmpty, ExtractInterrupted, UsageError
from ..export.writer import DatasetWriter
from ..ingest.given import MetadataOptions, load_metadata
from ..ingest.scan import CorpusFile, scan_selected
from ..ingest.select import MINUTE_SUFFIXES, FileSelection
from .compact import compact
from .interrupt import InterruptWatch
from .plan import corpus_marker, count_done, marker_part, part_key, plan_work, sweep
from .run_state import read_run_state, record_run
from .settings import ExtractSettings
from .summary import RunSummary
from .worker import BatchReport, run_batch

log = logging.getLogger("minutes")

BATCHES_PER_WORKER = 4  # guided scheduling: the next batch is at most 1/(this x workers) of the files left
BATCH_BYTES = 2_000_000  # a batch closes at --batch-files files or this many bytes of input, whichever first
# Text per spaCy minibatch: the transient memory of tok2vec + NER grows with the tokens in one minibatch,
# so the number of documents per nlp.pipe minibatch is chosen from the batch's largest file (1 for long
# minutes, up to NLP_BATCH_MAX for short ones) unless ExtractSettings.nlp_batch_size is given.
NLP_BATCH_BYTES = 16_000
NLP_BATCH_MAX = 32


def batch_size_for(remaining: int, batch_files: int, slots: int) -> int:
    """Files in the next batch. --batch-files bounds memory; with several workers, batches shrink as the
    run nears its end (guided scheduling: a 1/(BATCHES_PER_WORKER x slots) share of what remains), so all
    workers finish at about the same time instead of one finishing a large last batch alone."""
    if slots <= 1:
        return max(1, batch_files)
    return max(1, min(batch_files, math.ceil(remaining / (slots * BATCHES_PER_WORKER))))


def _size(corpus_file: CorpusFile) -> int:
    try:
        return os.stat(corpus_file.abs_path).st_size
    except OSError:
        return 0


def make_batches(
    files: list[CorpusFile], batch_files: int, batch_bytes: int = BATCH_BYTES, slots: int = 1
) -> Iterator[tuple[list[CorpusFile], int]]:
    """Consecutive (files, largest file's size in bytes): at most batch_size_for(...) files and, unless a
    single file is larger, at most batch_bytes bytes. Lazy, so batches exist only while an engine works on them."""
    batch: list[CorpusFile] = []
    total = largest = 0
    limit = batch_size_for(len(files), batch_files, slots)
    for index, corpus_file in enumerate(files):
        size = _size(corpus_file)
        if batch and (len(batch) >= limit or total + size > batch_bytes):
            yield batch, largest
            batch, total, largest = [], 0, 0
            limit = batch_size_for(len(files) - index, batch_files, slots)
        batch.append(corpus_file)
        total += size
        largest = max(largest, size)
    if batch:
        yield batch, largest


def nlp_batch_size(largest_file_bytes: int) -> int:
    return max(1, min(NLP_BATCH_MAX, NLP_BATCH_BYTES // max(1, largest_file_bytes)))


def make_jobs(
    files: list[CorpusFile], settings: ExtractSettings, slots: int = 1
) -> Iterator[tuple[list[CorpusFile], ExtractSettings]]:
    """(batch, settings for that batch) as the engines take them: batches of at most settings.batch_files
    files, each with its nlp_batch_size (sized from its largest file unless the settings give one)."""
    for batch, largest in make_batches(files, settings.batch_files, slots=slots):
        if settings.nlp_batch_size:
            yield batch, settings
        else:
            yield batch, replace(settings, nlp_batch_size=nlp_batch_size(largest))


def choose_engine(engine: str, workers: int, scheduler: str | None) -> tuple[str, Callable[..., Iterable[BatchReport]]]:
    if engine not in ("local", "dask"):
        raise UsageError(f"unknown --engine {engine!r}: use local or dask")
    if engine == "dask" or scheduler:
        from .dask_engine import run_batches_dask

        return "dask", run_batches_dask
    if workers > 1:
        from .processes import run_batches_processes

        return "processes", run_batches_processes
    return "inline", run_batches_inline


def run_extract(
    corpus: str | Path,
    out: str | Path,
    model: str | None,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    settings: ExtractSettings | None = None,
    progress: bool | None = None,
    metadata: MetadataOptions | None = None,
    selection: FileSelection | None = None,
) -> RunSummary:
    """Extract every file of `corpus` that changed since the last run into the tables under `out`.

    settings: batch size and limits (`ExtractSettings`; None: the defaults). workers, engine and
    scheduler choose where batches run (`choose_engine`); progress: a progress bar (default: on a terminal).
    metadata: a manifest, --council, --council-from-folder (`MetadataOptions`; None: a manifest.csv or
    manifest.json at the corpus root if there is one). selection: which files are minutes (`FileSelection`;
    None: the minute formats only). Raised before anything is written: `ManifestError` / `MetadataError`
    (a manifest or option that cannot be used), `CorpusEmpty` (no minutes to read). A model that cannot be
    loaded raises `ModelError` from the first batch. Ctrl-C raises `ExtractInterrupted`; what was finished is kept,
    and OUT/_state/run.json says whether the run completed (`engine.run_state`).
    """
    started = time.perf_counter()
    out = str(Path(out))
    model = str(model) if model else None
    settings = settings or ExtractSettings()
    name, run_batches = choose_engine(engine, workers, scheduler)
    given = load_metadata(corpus, metadata)  # the manifest is checked before the (long) scan
    scan = scan_selected(corpus, settings.max_bytes, selection)
    left_out = [path for path in scan.left_out if not given.is_manifest(path, corpus)]
    files = given.apply(scan.files, corpus, left_out)
    if not files:
        raise CorpusEmpty(
            f"{corpus} holds no minutes ({' '.join(MINUTE_SUFFIXES)})"
            + (f": {len(left_out)} other files left out" if left_out else "")
            + "; give the folder that holds them, or read other files with --include GLOB (nothing was written)"
        )
    if given.manifest is not None:
        log.info("manifest %s: %d files", given.manifest, len(given.rows))
    if left_out:
        log.info(
            "left out %d files that are not minutes (%s%s); --include GLOB reads them",
            len(left_out),
            ", ".join(left_out[:3]),
            ", ..." if len(left_out) > 3 else "",
        )
    writer = DatasetWriter(out)
    writer.clean_temporaries()
    last_run = read_run_state(out)
    last_run_complete = last_run is not None and last_run.get("status") == "complete"
    record_run(out, "running")
    done, total = 0, None
    with InterruptWatch() as watch:
        try:
            t_scan = time.perf_counter()
            current: dict[str, str] = {}  # file part key -> the part that holds its rows, for the sweep
            markers: dict[str, dict] = {}  # file part key -> its marker (before this run's batches)
            todo, live = plan_work(files, writer, model, current, markers)
            total = len(todo)
            summary = RunSummary(files_seen=len(files), files_processed=len(todo), engine=name)
            summary.files_left_out = len(left_out)
            summary.files_skipped = len(set(map(part_key, files))) - len(set(map(part_key, todo)))
            summary.stage_seconds["scan"] = t_scan - started
            summary.stage_seconds["plan"] = time.perf_counter() - t_scan
            del files, scan
            record_run(out, "running", 0, total)

            def jobs(slots: int) -> Iterator[tuple[list[CorpusFile], ExtractSettings]]:
                """The run's (batch, settings) pairs for an engine with this many parallel slots (worker threads)."""
                return make_jobs(todo, settings, slots)

            if progress is None:
                progress = sys.stderr.isatty()

            t_batches = time.perf_counter()
            bar = None
            if progress:
                from tqdm import tqdm

                bar = tqdm(total=len(todo), unit="file", desc="extract")
            reports = run_batches(jobs, out, model, workers=workers, scheduler=scheduler)
            try:
                for report in reports:
                    summary.add(report)
                    done += report.stats.files
                    watch.check()  # a Ctrl-C swallowed by a finaliser during the batch stops the run here
                    if bar is not None:
                        bar.update(report.stats.files)
                    else:
                        log.info(
                            "extract: %d/%d files, %d documents, %d errors",
                            done,
                            len(todo),
                            summary.stats.documents,
                            summary.stats.errors,
                        )
            finally:
                close = getattr(reports, "close", None)
                if close is not None:  # an engine's workers and cluster are shut down now, also on Ctrl-C
                    close()
                if bar is not None:
                    bar.close()
            t_stale = time.perf_counter()
            summary.stage_seconds["batches"] = t_stale - t_batches

            touched = note_finished(writer, todo, live, current, markers)
            summary.sweep = sweep(writer, live, current)
            summary.stale_removed = summary.sweep.stale
            summary.compact = compact(writer, settings.part_files, markers)
            t_corpus = time.perf_counter()
            summary.stage_seconds["stale"] = t_corpus - t_stale
            from ..corpus_tables import needs_full_rebuild, update_corpus_tables

            watch.check()
            live_markers = {key: marker for key, marker in markers.items() if key in live and key in current}
            if needs_full_rebuild(writer, live_markers, last_run_complete):
                summary.corpus_tables = update_corpus_tables(out)
            else:
                summary.corpus_tables = update_corpus_tables(out, live_markers, touched)
            watch.check()
        except KeyboardInterrupt:
            if total is not None:
                done = max(done, count_done(todo, writer, model))
            record_run(out, "interrupted", done, total)
            raise ExtractInterrupted(done, total) from None
        except BaseException:
            record_run(out, "failed", done, total)
            raise
        record_run(out, "complete", done, total)
    t_end = time.perf_counter()
    summary.stage_seconds["corpus_tables"] = t_end - t_corpus
    summary.seconds = t_end - started
    return summary


def note_finished(
    writer: DatasetWriter, todo: list[CorpusFile], live: set[str], current: dict[str, str], markers: dict[str, dict]
) -> set[str]:
    """After the batches: record the part of each redone file (`current`, `markers`) and return the merge scopes
    whose people may change: of the files redone, before (their old markers) and after, and of files gone."""
    redone = set(map(part_key, todo))
    touched = {scope for key in redone for scope in markers.get(key, {}).get("scopes", ())}
    gone = writer.done_keys() - live
    touched.update(scope for key in gone for scope in (writer.read_marker(key) or {}).get("scopes", ()))
    for key in redone:
        marker = writer.read_marker(key)
        part = marker_part(marker, key)
        if part is not None:
            current[key] = part
            markers[key] = corpus_marker(marker, key)
            touched.update(marker.get("scopes", ()))
    return touched


def run_batches_inline(
    jobs: Callable[[int], Iterable[tuple[list, ExtractSettings]]], out, model, **_
) -> Iterator[BatchReport]:
    """The inline engine: each batch in this process, one after the other."""
    for batch, settings in jobs(1):
        yield run_batch(batch, out, model, settings)


# An engine: run_batches(jobs, out, model, *, workers, scheduler) -> BatchReports as batches finish, where
# jobs(slots) gives the (batch, settings) pairs sized for that many parallel slots.
BatchRunner = Callable[..., Iterable[BatchReport]]
