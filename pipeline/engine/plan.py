"""Incremental planning: which scanned files a run must process, and which old rows it must drop.

A batch of source files writes one part per table (`batch_part_name`: named from what the batch holds, so
the same batch gives the same part and a retried Dask task rewrites it), each file's rows a slice of it
under the file's `part_key`, then one completion marker per file naming that part. `plan_work` skips a
file whose marker names the same path, package version, model and given metadata (its manifest row,
--council, its council folder: `CorpusFile.given`, which changes what the file's rows say, meeting dates
of figures included). At the end of a run `sweep` keeps, in every part, only the slices of files that are
still in the corpus and whose marker names that part: it rewrites a part that also holds a changed,
renamed or removed file (or one a killed run redid elsewhere), deletes a part with no live slice, and
leaves every other part untouched, so an incremental run ends with exactly the rows a full run would write,
each once, and rewrites only the parts that held what changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from .. import __version__
from ..export.schema import PER_FILE_TABLES, content_key, path_key
from ..export.writer import DatasetWriter
from ..ingest.scan import CorpusFile
from ..nlp import model_identity


def part_key(corpus_file: CorpusFile) -> str:
    """Name of the file's parts and marker: from its content, or from its path when it could not be read."""
    return content_key(corpus_file.sha256) if corpus_file.sha256 else path_key(corpus_file.source_path)


def batch_part_name(batch: list[CorpusFile], model_version: str) -> str:
    """Name of a batch's parts: from the part keys, paths and given metadata of its files, the package version
    and the model, so two batches with different rows never share a name and the same batch always does."""
    entries = [[part_key(f), f.source_path, sorted(dict(f.given).items())] for f in batch]
    text = json.dumps([__version__, model_version, entries], sort_keys=True, default=str)
    return "b" + hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:23]


def marker_part(marker: dict | None, key: str) -> str | None:
    """The part a marker says holds its file's rows (a marker from before batch parts: the file's own part)."""
    return None if marker is None else marker.get("part", key)


def corpus_marker(marker: dict, key: str) -> dict:
    """What the corpus tables need of a marker (its part and scopes), kept for every file through a run: the
    whole marker would hold paths and digests per file in memory (the peak grew with the corpus)."""
    kept = {"part": marker_part(marker, key)}
    if "scopes" in marker:
        kept["scopes"] = marker["scopes"]
    return kept


def _is_done(corpus_file: CorpusFile, marker: dict | None, model_id: str) -> bool:
    return (
        marker is not None
        and marker.get("source_path") == corpus_file.source_path
        and marker.get("version") == __version__
        and marker.get("model") == model_id
        and marker.get("given", {}) == dict(corpus_file.given)
    )


def plan_work(
    files: list[CorpusFile],
    writer: DatasetWriter,
    model: str | None = None,
    parts: dict[str, str] | None = None,
    markers: dict[str, dict] | None = None,
) -> tuple[list[CorpusFile], set[str]]:
    """Which files need processing, and the set of part keys the finished output should hold.

    Identical content at several paths is processed once, under the first path in sorted order, so
    doc_id (content-derived) is never duplicated. A file is skipped when its completion marker names
    the same path, package version, model version and given metadata (so a retrained model redoes
    everything, and a changed manifest row redoes its file); files that failed to read are always retried.
    `parts`, when given, is filled with the part that holds each skipped file's rows (for `sweep`);
    `markers` with every marker read, of skipped files and of files to redo (the corpus tables' scopes).
    """
    model_id = model_identity(model)
    first_by_content: dict[str, CorpusFile] = {}
    todo: list[CorpusFile] = []
    for corpus_file in files:
        if corpus_file.sha256 is None:
            todo.append(corpus_file)
        elif corpus_file.sha256 not in first_by_content:
            first_by_content[corpus_file.sha256] = corpus_file
    for first in first_by_content.values():
        key = part_key(first)
        marker = writer.read_marker(key)
        if markers is not None and marker is not None:
            markers[key] = corpus_marker(marker, key)
        if not _is_done(first, marker, model_id):
            todo.append(first)
        elif parts is not None:
            parts[key] = marker_part(marker, key)
    kept = [corpus_file for corpus_file in files if corpus_file.sha256 is None] + list(first_by_content.values())
    live = {part_key(corpus_file) for corpus_file in kept}
    return sorted(todo, key=lambda corpus_file: corpus_file.source_path), live


def count_done(files: list[CorpusFile], writer: DatasetWriter, model: str | None = None) -> int:
    """How many of these files have a marker that the next run would accept (after an interrupted run, the
    batches that were in flight when it stopped count too)."""
    model_id = model_identity(model)
    return sum(_is_done(f, writer.read_marker(part_key(f)), model_id) for f in files if f.sha256 is not None)


@dataclass
class SweepStats:
    """What `sweep` did: file keys whose rows went for good, parts rewritten and removed (all tables)."""

    stale: int = 0
    rewritten: int = 0
    removed: int = 0
    kept: int = 0
    rewritten_parts: list = field(default_factory=list)  # "table/name" of each part rewritten or removed


def sweep(writer: DatasetWriter, live: set[str], current: dict[str, str]) -> SweepStats:
    """Keep only live rows: a slice survives when its file is in the corpus (`live`) and its marker names the
    part it is in (`current`: file part key -> part, for every marked file). Parts whose slices all survive are
    not touched; the others are rewritten atomically or removed. Markers of files gone from the corpus go."""
    stats = SweepStats()
    stale = writer.done_keys() - live
    for table in PER_FILE_TABLES:
        for name in writer.part_names(table):
            files = writer.part_files(table, name)
            stale.update(key for key, _ in files if key not in live)
            keep = {key for key, _ in files if key in live and current.get(key) == name}
            outcome = writer.keep_files(table, name, keep)
            if outcome == "kept":
                stats.kept += 1
                continue
            setattr(stats, outcome, getattr(stats, outcome) + 1)
            stats.rewritten_parts.append(f"{table}/{name}")
    for key in stale:
        writer.unmark(key)
    stats.stale = len(stale)
    return stats


def remove_stale(writer: DatasetWriter, live: set[str]) -> int:
    """Drop the rows of files no longer in the corpus (or changed), so the output equals a full run's."""
    current = {key: marker_part(writer.read_marker(key), key) for key in writer.done_keys() & live}
    return sweep(writer, live, current).stale
