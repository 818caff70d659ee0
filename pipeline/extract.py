"""The extraction job: corpus folder -> Parquet tables. Engines (local, processes, Dask) call `extract_batch`.

A batch is a list of source files. Each worker process loads the pipeline once (`get_nlp` caches it per
process, so Dask workers keep it between tasks), ingests the files, runs `nlp.pipe` over all their
documents, and writes one content-addressed part per table per file followed by a completion marker.
Nothing is returned but counts, so rows never travel between processes.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .export.rows import doc_rows
from .export.schema import PER_FILE_TABLES, content_key, empty_rows, path_key
from .export.writer import DatasetWriter
from .ingest import IngestError, SourceDocument, read_documents

_NLP_CACHE: dict[str, object] = {}


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
    sha256: str | None  # None when the bytes could not be read
    read_error: str | None = None

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


def scan_corpus(corpus: str | Path) -> list[CorpusFile]:
    """Every regular file under the corpus, sorted, hashed. Unreadable entries become read errors, not crashes."""
    root = Path(corpus)
    found: list[CorpusFile] = []
    walk_errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=walk_errors.append, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            abs_path = os.path.join(dirpath, name)
            rel = os.path.relpath(abs_path, root)
            try:
                if os.path.islink(abs_path):
                    target = os.path.realpath(abs_path)  # a loop resolves to itself or raises
                    if not os.path.isfile(target):
                        raise OSError(f"symbolic link does not lead to a regular file ({os.readlink(abs_path)!r})")
                elif not os.path.isfile(abs_path):
                    raise OSError("not a regular file")
                found.append(CorpusFile(rel, abs_path, sha256_file(abs_path)))
            except OSError as exc:
                found.append(CorpusFile(rel, abs_path, None, f"{type(exc).__name__}: {exc.strerror or exc}"))
    for exc in walk_errors:
        rel = os.path.relpath(exc.filename, root) if exc.filename else str(root)
        found.append(CorpusFile(rel, str(exc.filename), None, f"cannot list folder: {exc.strerror or exc}"))
    return sorted(found, key=lambda f: f.source_path)


def plan_work(files: list[CorpusFile], writer: DatasetWriter) -> tuple[list[CorpusFile], set[str]]:
    """Which files need processing, and the set of part keys the finished output should hold.

    Identical content at several paths is processed once, under the first path in sorted order, so
    doc_id (content-derived) is never duplicated. A file is skipped when its completion marker names
    the same path; files that failed to read are always retried.
    """
    canonical: dict[str, CorpusFile] = {}
    todo: list[CorpusFile] = []
    for f in files:
        if f.sha256 is None:
            todo.append(f)
        elif f.sha256 not in canonical:
            canonical[f.sha256] = f
    for f in canonical.values():
        marker = writer.read_marker(f.key)
        if marker is None or marker.get("source_path") != f.source_path or marker.get("version") != __version__:
            todo.append(f)
    live = {f.key for f in files if f.sha256 is None} | {f.key for f in canonical.values()}
    return sorted(todo, key=lambda f: f.source_path), live


def _error_row(f: CorpusFile, stage: str, error: str, message: str, part: int | None = None) -> dict:
    return {"source_path": f.source_path, "part": part, "sha256": f.sha256, "stage": stage, "error": error, "message": message}


def extract_batch(batch: list[CorpusFile], out_dir: str, model: str | None, limits: dict | None = None) -> BatchStats:
    """Process a batch of files and write their parts. Safe to call in any worker process."""
    limits = limits or {}
    nlp = get_nlp(model)
    from .nlp import model_version

    mversion = model_version(nlp)
    writer = DatasetWriter(out_dir)
    stats = BatchStats()
    per_file: dict[str, dict[str, list[dict]]] = {}
    docs_in: list[tuple[str, SourceDocument]] = []
    t0 = time.perf_counter()
    for f in batch:
        stats.files += 1
        rows = per_file.setdefault(f.key, empty_rows())
        if f.read_error:
            rows["errors"].append(_error_row(f, "read", "OSError", f.read_error))
            continue
        try:
            sources = read_documents(f.abs_path, **{k: v for k, v in limits.items() if k in ("max_bytes", "max_chars")})
        except IngestError as exc:
            rows["errors"].append(_error_row(f, exc.stage, type(exc).__name__, exc.message))
            continue
        except Exception as exc:  # a reader bug must not stop the run; report it as this file's error
            rows["errors"].append(_error_row(f, "parse", type(exc).__name__, f"unexpected failure reading the file: {exc}"))
            continue
        for src in sources:
            # the tables record the corpus-relative path, not where this worker found the file
            docs_in.append((f.key, _with_path(src, f.source_path)))
    t1 = time.perf_counter()
    stats.stage_seconds["ingest"] = t1 - t0

    def annotate(pairs):
        texts = ((src.text, (key, src)) for key, src in pairs)
        for doc, (key, src) in nlp.pipe(texts, as_tuples=True, batch_size=int(limits.get("nlp_batch_size", 32))):
            yield key, src, doc

    results = []
    try:
        results = list(annotate(docs_in))
    except Exception:
        # isolate the document that breaks the pipeline; the others still go through
        results = []
        for key, src in docs_in:
            try:
                results.extend(annotate([(key, src)]))
            except Exception as exc:
                f = next(b for b in batch if b.key == key)
                per_file[key]["errors"].append(_error_row(f, "nlp", type(exc).__name__, str(exc)[:500], src.part))
    t2 = time.perf_counter()
    stats.stage_seconds["nlp"] = t2 - t1

    from . import __version__ as pversion

    for key, src, doc in results:
        rows = doc_rows(src, doc, pversion, mversion)
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
        stats.errors += len(rows["errors"])
        stats.failed_files += bool(rows["errors"])
        for table in PER_FILE_TABLES:
            writer.write_part(table, f.key, rows[table])
        if f.sha256 is not None:
            # marker last: until it exists, the next run redoes this file and overwrites its parts
            writer.mark_done(f.key, {"source_path": f.source_path, "sha256": f.sha256, "version": __version__})
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
