"""One batch of source files -> their Parquet parts: `extract_batch`, what every engine runs per batch.

The batch goes through four stages, each a function of its own:
    ingest_stage    files -> SourceDocuments (each file's read under a time limit)
    annotate_stage  SourceDocuments -> spaCy Docs (one `nlp.pipe` over the whole batch)
    rows_stage      Docs -> table rows (`export.rows.doc_rows`)
    write_stage     rows -> one part per table for the whole batch, then each file's completion marker
Nothing is returned but counts (`BatchStats`), so rows never travel between processes.

Bad input never stops a batch: each file or document that fails becomes one row of `errors` with its
stage, and the rest go on. A file's ingest and each document's NLP run under a time limit
(`ExtractSettings.doc_seconds`, `Deadline`); a document longer than `nlp.max_length` is refused before
spaCy sees it; rows that cannot be written (Parquet refuses them) are replaced by the file's error row
before any part is written. See docs/ROBUSTNESS.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc

from .. import __version__, _extensions  # noqa: F401  (registers doc._.given)
from .. import nlp as nlp_module  # looked up at call time, so a test can substitute the cached pipeline
from ..corpus_tables import document_scopes
from ..export.rows import doc_rows
from ..export.schema import PER_FILE_TABLES, empty_rows
from ..export.writer import DatasetWriter, rows_to_table
from ..ingest import IngestError, SourceDocument, read_documents
from ..ingest.given import given_dict
from ..ingest.scan import CorpusFile
from ..text import DOC_TEXT_KEY
from .deadline import Deadline
from .plan import batch_part_name, part_key
from .settings import DEFAULT_NLP_BATCH_SIZE, ExtractSettings

TableRows = dict[str, list[dict]]  # table name -> rows, for one source file


@dataclass
class BatchStats:
    """Counts and per-stage seconds of one batch, or summed over a run."""

    files: int = 0
    documents: int = 0
    sections: int = 0
    entities: int = 0
    errors: int = 0
    words: int = 0
    failed_files: int = 0
    stage_seconds: dict = field(default_factory=dict)

    def add(self, other: BatchStats) -> None:
        for name in ("files", "documents", "sections", "entities", "errors", "words", "failed_files"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for stage, seconds in other.stage_seconds.items():
            self.stage_seconds[stage] = self.stage_seconds.get(stage, 0.0) + seconds


class BatchRows:
    """The rows gathered so far for each file of a batch, by part key (error rows included)."""

    def __init__(self, batch: list[CorpusFile]):
        self.files_by_key = {part_key(corpus_file): corpus_file for corpus_file in batch}
        self.by_key: dict[str, TableRows] = {}

    def of(self, key: str) -> TableRows:
        return self.by_key.setdefault(key, empty_rows())

    def add_error(self, key: str, stage: str, error: str, message: str, part: int | None = None) -> None:
        self.of(key)["errors"].append(error_row(self.files_by_key[key], stage, error, message, part))


def error_row(corpus_file: CorpusFile, stage: str, error: str, message: str, part: int | None = None) -> dict:
    """A row of the `errors` table about one file (or one document of it, when part is given)."""
    return {
        "source_path": corpus_file.source_path,
        "part": part,
        "sha256": corpus_file.sha256,
        "stage": stage,
        "error": error,
        "message": message,
    }


# ---------------------------------------------------------------- ingest


def ingest_file(corpus_file: CorpusFile, settings: ExtractSettings) -> list[SourceDocument] | dict:
    """One file's documents, or its single error row (stage read/detect/decode/parse/split/limit/timeout)."""
    deadline = Deadline(settings.doc_seconds)
    try:
        with deadline:
            return read_documents(corpus_file.abs_path, **settings.reader_limits())
    except Exception as exc:
        if deadline.expired:
            return error_row(corpus_file, "timeout", "DocumentTimeout", f"reading the file {deadline.message}")
        if isinstance(exc, IngestError):
            return error_row(corpus_file, exc.stage, type(exc).__name__, exc.message)
        if isinstance(exc, MemoryError):
            return error_row(corpus_file, "limit", "MemoryError", "ran out of memory reading the file")
        # a reader bug must not stop the run; report it as this file's error
        message = f"unexpected failure reading the file: {exc}"[:1000]
        return error_row(corpus_file, "parse", type(exc).__name__, message)


def ingest_stage(
    batch: list[CorpusFile], settings: ExtractSettings, rows: BatchRows, max_length: int | None
) -> list[tuple[str, SourceDocument]]:
    """(part key, document) for every document of the batch's files; failures go to the files' error rows."""
    documents: list[tuple[str, SourceDocument]] = []
    for corpus_file in batch:
        key = part_key(corpus_file)
        file_rows = rows.of(key)
        if corpus_file.read_error:
            error = "OSError" if corpus_file.error_stage == "read" else "FileTooLarge"
            file_rows["errors"].append(error_row(corpus_file, corpus_file.error_stage, error, corpus_file.read_error))
            continue
        sources = ingest_file(corpus_file, settings)
        if isinstance(sources, dict):
            file_rows["errors"].append(sources)
            continue
        for source in sources:
            if max_length and len(source.text) > max_length:
                # spaCy refuses these (E088) because memory grows with length; say so in words
                file_rows["errors"].append(
                    error_row(
                        corpus_file,
                        "limit",
                        "DocumentTooLong",
                        f"document {source.part} is {len(source.text):,} characters long, over the pipeline's limit of "
                        f"{max_length:,} characters (nlp.max_length)",
                        source.part,
                    )
                )
                continue
            # the tables record the corpus-relative path, not where this worker found the file, and what the
            # run was told about it (manifest, --council, folder)
            documents.append((key, replace(source, source_path=corpus_file.source_path, given=corpus_file.given)))
    return documents


# ---------------------------------------------------------------- annotate


def _pipe(nlp: Language, documents: list[tuple[str, SourceDocument]], batch_size: int):
    """(part key, document, Doc) for each document, in order, from one `nlp.pipe`. A document's given metadata
    is on its Doc (`doc._.given`) before the components run, so `minutes_sections` puts it in doc._.meeting."""

    def docs():
        for key, source in documents:
            doc = nlp.make_doc(source.text)
            doc.user_data[DOC_TEXT_KEY] = source.text  # the text spaCy tokenized: `doc_text` need not rebuild it
            doc._.given = given_dict(source.given)
            yield doc, (key, source)

    for doc, (key, source) in nlp.pipe(docs(), as_tuples=True, batch_size=batch_size):
        yield key, source, doc


def _nlp_failure(exc: Exception, deadline: Deadline, source: SourceDocument) -> tuple[str, str, str]:
    """(stage, error, message) for a document the pipeline failed on or overran."""
    if deadline.expired:
        return "timeout", "DocumentTimeout", f"document {source.part} {deadline.message} in the NLP pipeline"
    if isinstance(exc, MemoryError):
        return "limit", "MemoryError", f"document {source.part}: ran out of memory in the NLP pipeline"
    return "nlp", type(exc).__name__, str(exc)[:500] or type(exc).__name__


def _annotate_alone(
    nlp: Language, key: str, source: SourceDocument, settings: ExtractSettings, batch_size: int, rows: BatchRows
) -> list[tuple[str, SourceDocument, Doc]]:
    """One document on its own, under its own time limit; a failure becomes its error row."""
    deadline = Deadline(settings.doc_seconds)
    try:
        with deadline:
            return list(_pipe(nlp, [(key, source)], batch_size))
    except Exception as exc:
        stage, error, message = _nlp_failure(exc, deadline, source)
        rows.add_error(key, stage, error, message, source.part)
        return []


def annotate_stage(
    nlp: Language, documents: list[tuple[str, SourceDocument]], settings: ExtractSettings, rows: BatchRows
) -> list[tuple[str, SourceDocument, Doc]]:
    """Run the pipeline over all documents; if one breaks it or overruns, redo the rest one at a time so
    that only that document is lost (its error row says why)."""
    batch_size = int(settings.nlp_batch_size or DEFAULT_NLP_BATCH_SIZE)
    annotated: list[tuple[str, SourceDocument, Doc]] = []
    deadline = Deadline(settings.doc_seconds)
    try:
        # the limit is re-armed as each document comes out (a trained component's minibatch counts as one)
        with deadline:
            for item in _pipe(nlp, documents, batch_size):
                deadline.restart()  # raises instead if this document overran (its result is not kept)
                annotated.append(item)
    except Exception:
        for key, source in documents[len(annotated) :]:
            annotated.extend(_annotate_alone(nlp, key, source, settings, batch_size, rows))
    return annotated


# ---------------------------------------------------------------- rows


def rows_stage(
    annotated: list[tuple[str, SourceDocument, Doc]], rows: BatchRows, model_version: str, stats: BatchStats
) -> None:
    """Table rows for each annotated document, added to its file's rows (a failure: its "write" error row)."""
    for key, source, doc in annotated:
        try:
            doc_tables = doc_rows(source, doc, __version__, model_version)
        except Exception as exc:
            reason = f"{type(exc).__name__}: {str(exc)[:300]}"
            message = f"document {source.part}: table rows could not be built ({reason})"
            rows.add_error(key, "write", type(exc).__name__, message, source.part)
            continue
        file_rows = rows.of(key)
        for table, table_rows in doc_tables.items():
            file_rows[table].extend(table_rows)
        stats.documents += 1
        stats.sections += len(doc_tables["sections"])
        stats.entities += len(doc_tables["entities"])
        stats.words += doc_tables["documents"][0]["n_words"]


# ---------------------------------------------------------------- write


def unwritable_reason(file_rows: TableRows) -> str | None:
    """Why these rows cannot be written (e.g. a lone surrogate in a string), checked before any part is."""
    for table in PER_FILE_TABLES:
        try:
            rows_to_table(table, file_rows[table])
        except Exception as exc:
            return f"rows for the {table} table cannot be written ({type(exc).__name__}: {str(exc)[:300]})"
    return None


def write_stage(
    batch: list[CorpusFile], rows: BatchRows, writer: DatasetWriter, model_version: str, stats: BatchStats
) -> None:
    """The batch's parts (one per table, each file's rows a slice of it), then each file's completion marker
    naming that part; a file's rows Parquet refuses become its one error row."""
    written: list[CorpusFile] = []
    seen: set[str] = set()
    scopes: dict[str, list[str]] = {}
    by_table: dict[str, list[tuple[str, list[dict]]]] = {table: [] for table in PER_FILE_TABLES}
    for corpus_file in batch:
        key = part_key(corpus_file)
        if key not in rows.by_key or key in seen:
            continue
        file_rows = rows.by_key.pop(key)
        problem = unwritable_reason(file_rows)
        if problem:
            file_rows = empty_rows()
            file_rows["errors"].append(error_row(corpus_file, "write", "ArrowInvalid", problem))
        stats.errors += len(file_rows["errors"])
        stats.failed_files += bool(file_rows["errors"])
        seen.add(key)
        written.append(corpus_file)
        scopes[key] = document_scopes(file_rows["documents"])
        for table in PER_FILE_TABLES:
            by_table[table].append((key, file_rows[table]))
    if not written:
        return
    name = batch_part_name(written, model_version)
    for table in PER_FILE_TABLES:
        writer.write_files_part(table, name, by_table[table])
    for corpus_file in written:
        # markers last: until a file's marker names this part, the next run redoes the file and the sweep
        # drops its slice here
        marker = {
            "source_path": corpus_file.source_path,
            "sha256": corpus_file.sha256,
            "version": __version__,
            "model": model_version,
            "given": dict(corpus_file.given),
            "part": name,
            "scopes": scopes[part_key(corpus_file)],  # where its people merge (pipeline/corpus_tables.py)
        }
        writer.mark_done(part_key(corpus_file), marker)


# ---------------------------------------------------------------- the batch


def extract_batch(
    batch: list[CorpusFile], out_dir: str, model: str | None, settings: ExtractSettings | None = None
) -> BatchStats:
    """Process a batch of files and write their parts. Safe to call in any worker process.

    The pipeline comes from this process's cache (`pipeline.nlp.cached_nlp`). A failure of one file or
    document becomes its row in `errors` (stage read, detect, decode, parse, split, limit, nlp, timeout or
    write); the other files and documents of the batch still go through.
    """
    settings = settings or ExtractSettings()
    nlp = nlp_module.cached_nlp(model)
    model_version = nlp_module.model_version(nlp)
    stats = BatchStats(files=len(batch))
    rows = BatchRows(batch)
    started = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        stats.stage_seconds[stage] = now - started
        started = now

    documents = ingest_stage(batch, settings, rows, getattr(nlp, "max_length", None))
    lap("ingest")
    annotated = annotate_stage(nlp, documents, settings, rows)
    lap("nlp")
    rows_stage(annotated, rows, model_version, stats)
    lap("rows")
    write_stage(batch, rows, DatasetWriter(out_dir), model_version, stats)
    lap("write")
    return stats
