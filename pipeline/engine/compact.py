"""Compaction: small parts of the per-file tables merged, so incremental runs do not fragment the output.

Batches write parts of `--batch-files` files (16: a worker's memory bound), small for readers: on 10,000
page-sized documents `pipeline.load` read 625 such parts 33x slower than one file per table, 40 parts of
256 files 2.4x (benchmarks/RESULTS.md). And each incremental run adds parts holding only the files it
redid and shrinks the parts it swept. So at the end of a run, after the sweep, parts holding fewer than
half of `--part-files` files (256) are merged, in name order, into parts of at most `--part-files` files
and MERGED_PART_BYTES on disk (one group at a time): the merged part is written (temporary name, then
rename), the markers of its files are pointed at it, then the small parts go. A run stopped in between
leaves slices whose marker names another part, which the next run's sweep drops, so nothing is duplicated
or lost for longer than a run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..export.schema import PER_FILE_TABLES
from ..export.writer import DatasetWriter
from .plan import corpus_marker

MERGED_PART_BYTES = 32 * 2**20  # on disk, all tables together: a merged part is read back whole while merging


@dataclass
class CompactStats:
    """Parts merged away and merged parts written (per table)."""

    merged: int = 0
    written: int = 0


def _part_bytes(writer: DatasetWriter, name: str) -> int:
    return sum(path.stat().st_size for table in PER_FILE_TABLES if (path := writer.part_path(table, name)).is_file())


def small_part_groups(writer: DatasetWriter, part_files: int) -> list[list[str]]:
    """Groups (two parts or more) of the parts holding fewer than half of `part_files` files."""
    groups: list[list[str]] = []
    group, files, size = [], 0, 0
    for name in writer.part_names("documents"):  # every per-file table has the same parts
        count = len(writer.part_files("documents", name))
        if count >= part_files // 2:
            continue
        part_size = _part_bytes(writer, name)
        if group and (files + count > part_files or size + part_size > MERGED_PART_BYTES):
            groups.append(group)
            group, files, size = [], 0, 0
        group.append(name)
        files += count
        size += part_size
    groups.append(group)
    return [g for g in groups if len(g) > 1]


def compact(writer: DatasetWriter, part_files: int, markers: dict[str, dict] | None = None) -> CompactStats:
    """Merge the small parts; `markers` (file part key -> marker), when given, is updated like the files."""
    stats = CompactStats()
    for group in small_part_groups(writer, part_files):
        merged = "m" + hashlib.sha256(json.dumps(group).encode()).hexdigest()[:23]
        keys = [key for name in group for key, _ in writer.part_files("documents", name)]
        for table in PER_FILE_TABLES:
            writer.merge_parts(table, [n for n in group if writer.part_path(table, n).is_file()], merged)
            stats.written += 1
        for key in keys:  # now the merged part's slices are live, the small parts' are not
            marker = writer.read_marker(key)
            if marker is None:
                continue
            marker["part"] = merged
            writer.mark_done(key, marker)
            if markers is not None and key in markers:
                markers[key] = corpus_marker(marker, key)
        for table in PER_FILE_TABLES:
            for name in group:
                writer.remove_part(table, name)
        stats.merged += len(group)
    return stats
