"""The extraction job: corpus folder -> Parquet tables. Engines (local, processes, Dask) call `extract_batch`.

A batch is a list of source files. Each worker process loads the pipeline once (`get_nlp` caches it per
process, so Dask workers keep it between tasks), ingests the files, runs `nlp.pipe` over all their
documents, and writes one content-addressed part per table per file followed by a completion marker.
Nothing is returned but counts, so rows never travel between processes.

Bad input never stops a batch: each file or document that fails becomes one row of `errors` with its
stage, and the rest go on. A file's ingest and each document's NLP run under a time limit
(`limits["doc_seconds"]`, `Deadline`); a document longer than `nlp.max_length` is refused before spaCy
sees it; rows that cannot be written (Parquet refuses them) are replaced by the file's error row before
any part is written. See docs/ROBUSTNESS.md.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .export.rows import doc_rows
from .export.schema import PER_FILE_TABLES, content_key, empty_rows, path_key
from .export.writer import DatasetWriter, rows_to_table
from .ingest import IngestError, SourceDocument, read_documents

_NLP_CACHE: dict[str, object] = {}

# Per-document time limit (seconds): one file's ingest, or one document's NLP. limits={"doc_seconds": ...}
DEFAULT_DOC_SECONDS = 600.0
_REFIRE_SECONDS = 1.0  # after expiry the timeout is raised again this often until the guarded block exits


class DocumentTimeout(TimeoutError):
    """One file's ingest or one document's NLP ran past the per-document time limit."""


def _async_raise(thread_id: int, exc_type: type[BaseException] | None) -> None:
    """Raise exc_type in another thread at its next bytecode (None clears a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc_type) if exc_type else None)


class Deadline:
    """Run a block under a time limit; on expiry raise DocumentTimeout inside it, and again every second.

    In the main thread (the inline engine, and each local worker process) this is SIGALRM via
    signal.setitimer, which also interrupts blocking system calls. Elsewhere (Dask runs tasks in threads)
    a watchdog thread raises the exception asynchronously in the worker thread; that only interrupts
    Python code, not a single long call into C. The exception is raised again every second because
    library code with a broad `except Exception` (a PDF page loop, the HTML fallback parser) may swallow
    one; `expired` stays set, and a block that completes after expiring still ends in DocumentTimeout,
    so a half-done result is never used. `restart()` gives the next document a fresh limit.
    """

    def __init__(self, seconds: float | None):
        self.seconds = float(seconds) if seconds else 0.0
        self.expired = False
        self._active = False
        self._signal = False
        self._old_handler = None
        self._old_timer = (0.0, 0.0)
        self._thread_id = threading.get_ident()
        self._due = 0.0
        self._stop: threading.Event | None = None
        self._watchdog: threading.Thread | None = None

    def _message(self) -> str:
        return f"took longer than the {self.seconds:g} s limit per document"

    def _on_alarm(self, signum, frame):
        if self._active:
            self.expired = True
            raise DocumentTimeout(self._message())

    def _watch(self) -> None:
        assert self._stop is not None
        while not self._stop.wait(max(0.0, self._due - time.monotonic())):
            if time.monotonic() >= self._due:
                self.expired = True
                _async_raise(self._thread_id, DocumentTimeout)
                self._due = time.monotonic() + _REFIRE_SECONDS

    def __enter__(self) -> "Deadline":
        if self.seconds <= 0:
            return self
        self._thread_id = threading.get_ident()
        self._active = True
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self._signal = True
            self._old_handler = signal.signal(signal.SIGALRM, self._on_alarm)
            self._old_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds, _REFIRE_SECONDS)
        else:
            self._due = time.monotonic() + self.seconds
            self._stop = threading.Event()
            self._watchdog = threading.Thread(target=self._watch, name="minutes-deadline", daemon=True)
            self._watchdog.start()
        return self

    def restart(self) -> None:
        """A fresh limit for the next document (raises if the current one already expired)."""
        if self.expired:
            raise DocumentTimeout(self._message())
        if not self._active:
            return
        if self._signal:
            signal.setitimer(signal.ITIMER_REAL, self.seconds, _REFIRE_SECONDS)
        else:
            self._due = time.monotonic() + self.seconds

    def _disarm(self) -> None:
        self._active = False
        if self._signal:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old_handler if self._old_handler is not None else signal.SIG_DFL)
            if self._old_timer[0] > 0:  # give an outer timer (e.g. a test runner's) its remaining time back
                signal.setitimer(signal.ITIMER_REAL, *self._old_timer)
        elif self._watchdog is not None:
            assert self._stop is not None
            self._stop.set()
            while True:
                try:
                    self._watchdog.join()
                    _async_raise(self._thread_id, None)  # drop one injected just before the stop
                    break
                except DocumentTimeout:
                    self.expired = True

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._active:
            self._disarm()
        if exc_type is None and self.expired:
            raise DocumentTimeout(self._message())
        return False


def get_nlp(model: str | None):
    """One pipeline per process and model path (importable, so Dask workers reuse it across tasks)."""
    key = str(model)
    if key not in _NLP_CACHE:
        from .nlp import load_nlp

        _NLP_CACHE[key] = load_nlp(model)
    return _NLP_CACHE[key]


@dataclass(frozen=True)
class CorpusFile:
    source_path: str  # relative to the corpus folder, as stored in the tables
    abs_path: str
    sha256: str | None  # None when the bytes could not be read (or were too many to read)
    read_error: str | None = None
    error_stage: str = "read"  # stage of read_error: "read", or "limit" for a file over max_bytes

    @property
    def key(self) -> str:
        return content_key(self.sha256) if self.sha256 else path_key(self.source_path)


@dataclass
class BatchStats:
    files: int = 0
    documents: int = 0
    sections: int = 0
    entities: int = 0
    errors: int = 0
    words: int = 0
    failed_files: int = 0
    stage_seconds: dict = field(default_factory=dict)

    def add(self, other: "BatchStats") -> None:
        for name in ("files", "documents", "sections", "entities", "errors", "words", "failed_files"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k, v in other.stage_seconds.items():
            self.stage_seconds[k] = self.stage_seconds.get(k, 0.0) + v


def sha256_file(path: str, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def table_path(rel: str) -> str:
    """The path as stored in the tables: a name that is not valid UTF-8 (undecodable bytes, which Python
    keeps as lone surrogates) would make Parquet refuse the whole part, so those bytes are written as \\xNN."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class _NotAFile(OSError):
    """A corpus entry that is not a regular file (its message is the whole explanation)."""


DEFAULT_MAX_BYTES = 50_000_000  # as read_documents: a larger file is refused from its size, never read


def scan_corpus(corpus: str | Path, max_bytes: int | None = None) -> list[CorpusFile]:
    """Every regular file under the corpus, sorted, hashed. Unreadable entries become read errors, not crashes.

    A file over max_bytes is not hashed (a link to something endless such as /proc/kcore would never
    finish): it becomes a "limit" error keyed by its path.
    """
    max_bytes = max_bytes or DEFAULT_MAX_BYTES
    root = Path(corpus)
    root_real = os.path.realpath(root)
    found: list[CorpusFile] = []
    walk_errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=walk_errors.append, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            abs_path = os.path.join(dirpath, name)
            rel = table_path(os.path.relpath(abs_path, root))
            try:
                if os.path.islink(abs_path):
                    target = os.path.realpath(abs_path)  # a loop resolves to itself or raises
                    if os.path.commonpath([target, root_real]) != root_real:
                        # never copy a file from elsewhere on the machine into the tables
                        raise _NotAFile(f"symbolic link leads outside the corpus folder (to {os.readlink(abs_path)!r}); not followed")
                    if not os.path.isfile(target):
                        raise _NotAFile(f"symbolic link does not lead to a regular file (it points to {os.readlink(abs_path)!r})")
                elif not os.path.isfile(abs_path):
                    raise _NotAFile("not a regular file (a pipe, socket or device)")
                size = os.stat(abs_path).st_size
                if size > max_bytes:
                    message = f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit"
                    found.append(CorpusFile(rel, abs_path, None, message, "limit"))
                    continue
                found.append(CorpusFile(rel, abs_path, sha256_file(abs_path)))
            except _NotAFile as exc:
                found.append(CorpusFile(rel, abs_path, None, str(exc)))
            except OSError as exc:
                found.append(CorpusFile(rel, abs_path, None, f"cannot read the file ({type(exc).__name__}: {exc.strerror or exc})"))
    for exc in walk_errors:
        rel = table_path(os.path.relpath(exc.filename, root) if exc.filename else str(root))
        found.append(CorpusFile(rel, str(exc.filename), None, f"cannot list folder: {exc.strerror or exc}"))
    return sorted(found, key=lambda f: f.source_path)


def plan_work(files: list[CorpusFile], writer: DatasetWriter, model: str | None = None) -> tuple[list[CorpusFile], set[str]]:
    """Which files need processing, and the set of part keys the finished output should hold.

    Identical content at several paths is processed once, under the first path in sorted order, so
    doc_id (content-derived) is never duplicated. A file is skipped when its completion marker names
    the same path, package version and model version (so a retrained model redoes everything);
    files that failed to read are always retried.
    """
    from .nlp import model_identity

    model_id = model_identity(model)
    canonical: dict[str, CorpusFile] = {}
    todo: list[CorpusFile] = []
    for f in files:
        if f.sha256 is None:
            todo.append(f)
        elif f.sha256 not in canonical:
            canonical[f.sha256] = f
    for f in canonical.values():
        marker = writer.read_marker(f.key)
        if (marker is None or marker.get("source_path") != f.source_path or marker.get("version") != __version__
                or marker.get("model") != model_id):
            todo.append(f)
    live = {f.key for f in files if f.sha256 is None} | {f.key for f in canonical.values()}
    return sorted(todo, key=lambda f: f.source_path), live


def _error_row(f: CorpusFile, stage: str, error: str, message: str, part: int | None = None) -> dict:
    return {"source_path": f.source_path, "part": part, "sha256": f.sha256, "stage": stage, "error": error, "message": message}


def _pick(limits: dict, *names: str) -> dict:
    return {k: limits[k] for k in names if limits.get(k) is not None}


def _ingest(f: CorpusFile, limits: dict, seconds: float) -> list[SourceDocument] | dict:
    """One file's documents, or its single error row (stage read/detect/decode/parse/split/limit/timeout)."""
    deadline = Deadline(seconds)
    try:
        with deadline:
            return read_documents(f.abs_path, **_pick(limits, "max_bytes", "max_chars"))
    except Exception as exc:
        if deadline.expired:
            return _error_row(f, "timeout", "DocumentTimeout", f"reading the file {deadline._message()}")
        if isinstance(exc, IngestError):
            return _error_row(f, exc.stage, type(exc).__name__, exc.message)
        if isinstance(exc, MemoryError):
            return _error_row(f, "limit", "MemoryError", "ran out of memory reading the file")
        # a reader bug must not stop the run; report it as this file's error
        return _error_row(f, "parse", type(exc).__name__, f"unexpected failure reading the file: {exc}"[:1000])


def _table_problem(rows: dict[str, list[dict]]) -> str | None:
    """Why these rows cannot be written (e.g. a lone surrogate in a string), checked before any part is."""
    for table in PER_FILE_TABLES:
        try:
            rows_to_table(table, rows[table])
        except Exception as exc:
            return f"rows for the {table} table cannot be written ({type(exc).__name__}: {str(exc)[:300]})"
    return None


def extract_batch(batch: list[CorpusFile], out_dir: str, model: str | None, limits: dict | None = None) -> BatchStats:
    """Process a batch of files and write their parts. Safe to call in any worker process.

    limits: max_bytes, max_chars (ingest), nlp_batch_size, doc_seconds (time limit for one file's ingest
    and for one document's NLP; 0 or None turns it off). A failure of one file or document becomes its
    row in `errors` (stage read, detect, decode, parse, split, limit, nlp, timeout or write); the other
    files and documents of the batch still go through.
    """
    limits = limits or {}
    seconds = limits.get("doc_seconds", DEFAULT_DOC_SECONDS)
    nlp = get_nlp(model)
    from .nlp import model_version

    mversion = model_version(nlp)
    max_length = getattr(nlp, "max_length", None)
    writer = DatasetWriter(out_dir)
    stats = BatchStats()
    per_file: dict[str, dict[str, list[dict]]] = {}
    by_key = {f.key: f for f in batch}
    docs_in: list[tuple[str, SourceDocument]] = []
    t0 = time.perf_counter()
    for f in batch:
        stats.files += 1
        rows = per_file.setdefault(f.key, empty_rows())
        if f.read_error:
            error = "OSError" if f.error_stage == "read" else "FileTooLarge"
            rows["errors"].append(_error_row(f, f.error_stage, error, f.read_error))
            continue
        sources = _ingest(f, limits, seconds)
        if isinstance(sources, dict):
            rows["errors"].append(sources)
            continue
        for src in sources:
            if max_length and len(src.text) > max_length:
                # spaCy refuses these (E088) because memory grows with length; say so in words
                rows["errors"].append(_error_row(
                    f, "limit", "DocumentTooLong",
                    f"document {src.part} is {len(src.text):,} characters long, over the pipeline's limit of "
                    f"{max_length:,} characters (nlp.max_length)", src.part,
                ))
                continue
            # the tables record the corpus-relative path, not where this worker found the file
            docs_in.append((f.key, _with_path(src, f.source_path)))
    t1 = time.perf_counter()
    stats.stage_seconds["ingest"] = t1 - t0

    batch_size = int(limits.get("nlp_batch_size") or 32)

    def annotate(pairs):
        texts = ((src.text, (key, src)) for key, src in pairs)
        for doc, (key, src) in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
            yield key, src, doc

    results = []
    deadline = Deadline(seconds)
    try:
        # the limit is re-armed as each document comes out (a trained component's minibatch counts as one)
        with deadline:
            for item in annotate(docs_in):
                deadline.restart()  # raises instead if this document overran (its result is not kept)
                results.append(item)
    except Exception:
        # isolate the document that breaks the pipeline or overruns; the others still go through
        for key, src in docs_in[len(results):]:
            one = Deadline(seconds)
            try:
                with one:
                    done = list(annotate([(key, src)]))
                results.extend(done)
            except Exception as exc:
                if one.expired:
                    row = _error_row(by_key[key], "timeout", "DocumentTimeout", f"document {src.part} {one._message()} in the NLP pipeline", src.part)
                elif isinstance(exc, MemoryError):
                    row = _error_row(by_key[key], "limit", "MemoryError", f"document {src.part}: ran out of memory in the NLP pipeline", src.part)
                else:
                    row = _error_row(by_key[key], "nlp", type(exc).__name__, str(exc)[:500] or type(exc).__name__, src.part)
                per_file[key]["errors"].append(row)
    t2 = time.perf_counter()
    stats.stage_seconds["nlp"] = t2 - t1

    from . import __version__ as pversion

    for key, src, doc in results:
        try:
            rows = doc_rows(src, doc, pversion, mversion)
        except Exception as exc:
            message = f"document {src.part}: table rows could not be built ({type(exc).__name__}: {str(exc)[:300]})"
            per_file[key]["errors"].append(_error_row(by_key[key], "write", type(exc).__name__, message, src.part))
            continue
        for table, table_rows in rows.items():
            per_file[key][table].extend(table_rows)
        stats.documents += 1
        stats.sections += len(rows["sections"])
        stats.entities += len(rows["entities"])
        stats.words += rows["documents"][0]["n_words"]
    t3 = time.perf_counter()
    stats.stage_seconds["rows"] = t3 - t2

    for f in batch:
        if f.key not in per_file:
            continue
        rows = per_file.pop(f.key)
        problem = _table_problem(rows)
        if problem:
            rows = empty_rows()
            rows["errors"].append(_error_row(f, "write", "ArrowInvalid", problem))
        stats.errors += len(rows["errors"])
        stats.failed_files += bool(rows["errors"])
        for table in PER_FILE_TABLES:
            writer.write_part(table, f.key, rows[table])
        if f.sha256 is not None:
            # marker last: until it exists, the next run redoes this file and overwrites its parts
            writer.mark_done(f.key, {"source_path": f.source_path, "sha256": f.sha256, "version": __version__, "model": mversion})
    stats.stage_seconds["write"] = time.perf_counter() - t3
    return stats


def _with_path(src: SourceDocument, source_path: str) -> SourceDocument:
    from dataclasses import replace

    return replace(src, source_path=source_path)


def remove_stale(writer: DatasetWriter, live: set[str]) -> int:
    """Drop parts of files no longer in the corpus (or changed), so the output equals a full run's."""
    stale = set()
    for table in PER_FILE_TABLES:
        stale |= writer.part_keys(table) - live
    stale |= writer.done_keys() - live
    for key in stale:
        writer.unmark(key)
        for table in PER_FILE_TABLES:
            writer.remove_part(table, key)
    return len(stale)
