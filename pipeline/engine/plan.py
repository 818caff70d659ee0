"""Incremental planning: which scanned files a run must process, and which old parts it must drop.

Every source file's rows are written as one content-addressed part per table (`part_key`) plus a
completion marker. `plan_work` skips a file whose marker names the same path, package version, model and
given metadata (its manifest row, --council, its council folder: `CorpusFile.given`, which changes what
the file's rows say, meeting dates of figures included);
`remove_stale` deletes the parts of files no longer in the corpus, so an incremental run ends with exactly
the tables a full run would write.
"""

from __future__ import annotations

from .. import __version__
from ..export.schema import PER_FILE_TABLES, content_key, path_key
from ..export.writer import DatasetWriter
from ..ingest.scan import CorpusFile
from ..nlp import model_identity


def part_key(corpus_file: CorpusFile) -> str:
    """Name of the file's parts and marker: from its content, or from its path when it could not be read."""
    return content_key(corpus_file.sha256) if corpus_file.sha256 else path_key(corpus_file.source_path)


def _is_done(corpus_file: CorpusFile, writer: DatasetWriter, model_id: str) -> bool:
    marker = writer.read_marker(part_key(corpus_file))
    return (
        marker is not None
        and marker.get("source_path") == corpus_file.source_path
        and marker.get("version") == __version__
        and marker.get("model") == model_id
        and marker.get("given", {}) == dict(corpus_file.given)
    )


def plan_work(
    files: list[CorpusFile], writer: DatasetWriter, model: str | None = None
) -> tuple[list[CorpusFile], set[str]]:
    """Which files need processing, and the set of part keys the finished output should hold.

    Identical content at several paths is processed once, under the first path in sorted order, so
    doc_id (content-derived) is never duplicated. A file is skipped when its completion marker names
    the same path, package version, model version and given metadata (so a retrained model redoes
    everything, and a changed manifest row redoes its file); files that failed to read are always retried.
    """
    model_id = model_identity(model)
    first_by_content: dict[str, CorpusFile] = {}
    todo: list[CorpusFile] = []
    for corpus_file in files:
        if corpus_file.sha256 is None:
            todo.append(corpus_file)
        elif corpus_file.sha256 not in first_by_content:
            first_by_content[corpus_file.sha256] = corpus_file
    todo.extend(first for first in first_by_content.values() if not _is_done(first, writer, model_id))
    kept = [corpus_file for corpus_file in files if corpus_file.sha256 is None] + list(first_by_content.values())
    live = {part_key(corpus_file) for corpus_file in kept}
    return sorted(todo, key=lambda corpus_file: corpus_file.source_path), live


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
