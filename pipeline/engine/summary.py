"""What a run did, and what the tables hold after it, in the words `minutes extract` prints.

    RunSummary            file counts, summed batch stats, seconds per stage and per worker process
    table_totals(out)     rows per table, from the Parquet footers (nothing is read but metadata)
    failed_files(out)     the source files with a row in `errors` (this run's and earlier runs')
    summary_lines(...)    the lines printed at the end of a run

A run that changed nothing says so and reports what the tables hold, never "0 documents", which reads
as empty tables. Failed files are named, the first few, with where the rest are (the errors table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..export.schema import PER_FILE_TABLES, TABLES
from .batch import BatchStats
from .compact import CompactStats
from .plan import SweepStats
from .worker import BatchReport

FAILED_SHOWN = 5  # failed files named in the summary; the rest are in the errors table
# every per-file table, then the people, errors last (what a reader looks at first to last)
TOTALS_SHOWN = (*(table for table in PER_FILE_TABLES if table != "errors"), "people", "errors")


@dataclass
class RunSummary:
    """What a run did: file counts, summed batch stats, seconds per stage and per worker process."""

    files_seen: int = 0
    files_processed: int = 0
    files_skipped: int = 0  # unchanged since the last run
    files_left_out: int = 0  # not minutes (by extension or content), or --exclude: never read
    stale_removed: int = 0
    sweep: SweepStats = field(default_factory=SweepStats)  # parts rewritten or removed at the end of the run
    compact: CompactStats = field(default_factory=CompactStats)  # small parts merged after the sweep
    corpus_tables: object = None  # corpus_tables.CorpusTablesStats: the merge scopes the run updated
    seconds: float = 0.0
    stats: BatchStats = field(default_factory=BatchStats)
    # parent-side stages (scan, plan, stale, corpus_tables); per-batch stages are in stats.stage_seconds
    stage_seconds: dict = field(default_factory=dict)
    # "host:pid" -> {"batches", "files", "model_loads", "cpu" (the process's CPU seconds at its last batch)}
    # for each process that ran batches
    workers: dict = field(default_factory=dict)
    engine: str = "local"

    @property
    def words_per_second(self) -> float:
        return self.stats.words / self.seconds if self.seconds else 0.0

    @property
    def model_loads(self) -> int:
        return sum(worker["model_loads"] for worker in self.workers.values())

    def line(self) -> str:
        """This run in one line: the files, and what the processed ones gave (or that nothing changed)."""
        stats = self.stats
        left_out = f", {self.files_left_out} left out (not minutes)" if self.files_left_out else ""
        if not self.files_processed:  # then every stale key is a file gone from the corpus
            removed = f", {self.stale_removed} gone from the corpus (rows dropped)" if self.stale_removed else ""
            return f"no new or changed files: {self.files_seen} unchanged{removed}{left_out}"
        return (
            f"{self.files_seen} files ({self.files_processed} processed, {self.files_skipped} unchanged){left_out}; "
            f"this run: {stats.documents} documents, {stats.sections} sections, {stats.entities} entities, "
            f"{stats.errors} errors, "
            f"{self.words_per_second:,.0f} words/s"
        )

    def add(self, report: BatchReport) -> None:
        self.stats.add(report.stats)
        worker = self.workers.setdefault(report.worker, {"batches": 0, "files": 0, "model_loads": 0, "cpu": 0.0})
        worker["batches"] += 1
        worker["files"] += report.stats.files
        worker["model_loads"] += report.model_loads
        worker["cpu"] = max(worker["cpu"], report.process_cpu)


def table_totals(out: str | Path) -> dict[str, int]:
    """Rows per table in the output folder, from the parts' footers."""
    import pyarrow.parquet as pq

    return {
        name: sum(pq.read_metadata(part).num_rows for part in sorted((Path(out) / name).glob("*.parquet")))
        for name in TABLES
    }


def failed_files(out: str | Path) -> list[str]:
    """Sorted source paths with a row in the errors table."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    folder = Path(out) / "errors"
    if not folder.is_dir() or not any(folder.glob("*.parquet")):
        return []
    paths = ds.dataset(folder, format="parquet").to_table(columns=["source_path"]).column("source_path")
    return sorted(str(path) for path in pc.unique(paths).to_pylist() if path is not None)


def totals_line(totals: dict[str, int]) -> str:
    return "tables: " + ", ".join(f"{totals[name]:,} {name}" for name in TOTALS_SHOWN if name in totals)


def failures_line(failed: list[str], out: str | Path) -> str | None:
    """'2 files could not be read: a.txt, b.pdf; see the errors table (OUT/errors)', the first few named."""
    if not failed:
        return None
    shown = ", ".join(failed[:FAILED_SHOWN])
    where = f"see the errors table ({Path(out) / 'errors'})"
    rest = f" … and {len(failed) - FAILED_SHOWN} more: {where}" if len(failed) > FAILED_SHOWN else f"; {where}"
    return f"{len(failed)} files could not be read: {shown}{rest}"


def summary_lines(summary: RunSummary, out: str | Path) -> tuple[list[str], list[str]]:
    """(lines for stdout, the line naming the failed files for stderr, if any) at the end of a run."""
    failed = failed_files(out)
    stdout = [f"done: {summary.line()} -> {out}", totals_line(table_totals(out))]
    failures = failures_line(failed, out)
    return stdout, [failures] if failures else []
