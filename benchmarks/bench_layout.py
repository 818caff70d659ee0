"""The table layout at archive scale: files per table, read time against one file per table, a 1%-changed re-run,
the Dask engine on the same archive, peak memory at 1x, 20x and 100x.

    python -m benchmarks.bench_layout [--docs 2000] [--batch-files 16,256] [--changed 0.01] [--check]
                                      [--model DIR] [--dask] [--rss]
    make bench-archive      (10,000 documents, the defaults below)

1. A synthetic archive of page-sized documents: the sample corpus (corpus/) cut into pages of about
   PAGE_CHARS characters, each page copied with `benchmarks.corpus.perturb` and given its own last line, so
   every file has its own SHA-256 (content addressing cannot dedupe it).
2. For each --batch-files: a full rules-only run (`run_extract(..., model=None)`, one process) into an
   empty folder; files and bytes per table; `pipeline.load` and a DuckDB join over the part globs, timed
   against the same rows in one file per table and in one file per source file (the layout before parts
   held batches, rebuilt here from the parts' file slices); then --changed of the files get a new line and
   the run is repeated: its time against the full run's, and the parts it rewrote, removed and added.
   --check compares the incremental output with a fresh full run over the changed corpus. The re-run's
   corpus tables: how many merge scopes it recomputed, how many files it read for them.
3. --dask: the same full run on the Dask engine (a LocalCluster of 2 worker processes) into another folder;
   its tables must equal the local engine's.
4. --rss: full runs over the first 1%, 20% and all of the archive (1x, 20x, 100x), each in a fresh process:
   peak RSS (ru_maxrss), documents and words per second.
--model DIR runs the trained pipeline (default: rules only, which is what the layout measures; the NER's own
speed is `make bench`'s). Timings are wall seconds, fastest of --repeat reads; the machine may be shared
(load average printed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.corpus import perturb
from pipeline.paths import REPO

PAGE_CHARS = 3_000
QUERY = (
    "select d.committee, s.kind, count(*) from read_parquet({sections}) s join read_parquet({documents}) d "
    "using (doc_id) group by all"
)


def make_archive(dest: Path, n_docs: int) -> int:
    """n_docs page-sized minutes under dest (100 per folder); returns the bytes written."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt"))]
    pages: list[str] = []
    for text in texts:
        lines, page = text.splitlines(keepends=True), ""
        for line in lines:
            page += line
            if len(page) >= PAGE_CHARS:
                pages.append(page)
                page = ""
        if page.strip():
            pages.append(page)
    total = 0
    for i in range(n_docs):
        page = perturb(pages[i % len(pages)], i // len(pages))
        data = (page + f"\nPage reference {i:06d}.\n").encode("utf-8")
        path = dest / f"f{i // 100:03d}" / f"page-{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return total


def table_files(out: Path) -> dict[str, dict]:
    from pipeline.export.schema import TABLES

    return {
        t: {
            "files": len(list((out / t).glob("*.parquet"))),
            "bytes": sum(p.stat().st_size for p in (out / t).glob("*.parquet")),
        }
        for t in TABLES
    }


def relayout(out: Path, dest: Path, per_file: bool) -> None:
    """The same rows as one file per table, or as one file per source file (the old layout)."""
    from pipeline.export.schema import PER_FILE_TABLES, TABLES
    from pipeline.export.writer import DatasetWriter

    writer = DatasetWriter(out)
    for table in TABLES:
        folder = dest / table
        folder.mkdir(parents=True)
        parts = sorted((out / table).glob("*.parquet"))
        if not per_file or table not in PER_FILE_TABLES:
            data = pa.concat_tables([pq.read_table(p) for p in parts]) if parts else TABLES[table].schema.empty_table()
            pq.write_table(data.replace_schema_metadata(None), folder / "part-all.parquet", compression="zstd")
            continue
        for p in parts:
            data, offset = pq.read_table(p), 0
            for key, count in writer.part_files(table, p.name[len("part-") : -len(".parquet")]):
                pq.write_table(data.slice(offset, count), folder / f"part-{key}.parquet", compression="zstd")
                offset += count


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def read_times(out: Path, repeat: int) -> dict:
    import duckdb

    import pipeline

    def glob(table: str) -> str:
        return "'" + (out / table).as_posix() + "/*.parquet'"

    query = QUERY.format(sections=glob("sections"), documents=glob("documents"))
    return {
        "load": best(lambda: pipeline.load(out), repeat),
        "duckdb": best(lambda: duckdb.connect().execute(query).fetchall(), repeat),
    }


def one_setting(
    corpus: Path,
    work: Path,
    batch_files: int,
    changed: float,
    repeat: int,
    check: bool,
    model: str | None = None,
    dask: bool = False,
    part_files: int = 256,
) -> dict:
    from pipeline.engine import ExtractSettings, run_extract
    from pipeline.engine.compare import differences

    settings = ExtractSettings(batch_files=batch_files, part_files=part_files)
    out = work / f"out-{batch_files}"
    t = time.perf_counter()
    full = run_extract(corpus, out, model, settings=settings, progress=False)
    full_s = time.perf_counter() - t
    files = table_files(out)
    dask_result = None
    if dask:
        t = time.perf_counter()
        run_extract(corpus, work / "dask", model, settings=settings, progress=False, engine="dask", workers=2)
        dask_result = {"seconds": time.perf_counter() - t, "equal": differences(out, work / "dask") == []}
        shutil.rmtree(work / "dask")
    one, per_file = work / f"one-{batch_files}", work / f"perfile-{batch_files}"
    relayout(out, one, per_file=False)
    relayout(out, per_file, per_file=True)
    reads = {"parts": read_times(out, repeat), "one": read_times(one, repeat), "per_file": read_times(per_file, 1)}
    per_file_files = table_files(per_file)
    shutil.rmtree(one)
    shutil.rmtree(per_file)

    before = {p: p.stat().st_mtime_ns for p in out.glob("*/part-*.parquet")}
    paths = sorted(corpus.rglob("*.txt"))
    picked = random.Random(15).sample(paths, max(1, round(changed * len(paths))))
    backups = {p: p.read_bytes() for p in picked}
    for p in picked:
        p.write_bytes(backups[p] + b"A late note was added.\n")
    t = time.perf_counter()
    again = run_extract(corpus, out, model, settings=settings, progress=False)
    again_s = time.perf_counter() - t
    after = {p: p.stat().st_mtime_ns for p in out.glob("*/part-*.parquet")}
    from pipeline.export.schema import PER_FILE_TABLES

    def per_file(parts) -> set:
        return {p for p in parts if p.parent.name in PER_FILE_TABLES}

    touched = sum(1 for p, m in before.items() if after.get(p) != m and p in per_file(before))
    added = len(per_file(after) - set(before))
    corpus_parts = len(set(before) - per_file(before))
    equal = None
    if check:
        run_extract(corpus, work / "fresh", model, settings=settings, progress=False)
        equal = differences(out, work / "fresh") == []
        shutil.rmtree(work / "fresh")
    for p, data in backups.items():
        p.write_bytes(data)
    scopes_total = len(set(scopes_of(out)))
    shutil.rmtree(out)
    return {
        "batch_files": batch_files,
        "part_files": part_files,
        "documents": full.stats.documents,
        "batches": sum(w["batches"] for w in full.workers.values()),
        "full_seconds": full_s,
        "files": files,
        "per_file_files": {t: v["files"] for t, v in per_file_files.items()},
        "reads": reads,
        "changed_files": len(picked),
        "rerun_seconds": again_s,
        "rerun_processed": again.files_processed,
        "parts_before": len(per_file(before)),
        "parts_rewritten_or_removed": touched,
        "parts_added": added,
        "sweep": {"rewritten": again.sweep.rewritten, "removed": again.sweep.removed, "kept": again.sweep.kept},
        "rerun_equals_full_run": equal,
        "words_per_second": full.stats.words / full_s,
        "rerun_corpus_tables": {
            "scopes": again.corpus_tables.scopes,
            "scopes_total": scopes_total,
            "files_read": again.corpus_tables.files_read,
            "parts_written": len(again.corpus_tables.parts_written),
            "parts_before": corpus_parts,
        },
        "dask": dask_result,
    }


def scopes_of(out: Path) -> list[str]:
    from pipeline.export.writer import DatasetWriter

    writer = DatasetWriter(out)
    return [scope for key in writer.done_keys() for scope in (writer.read_marker(key) or {}).get("scopes", ())]


# peak RSS from /proc/self/status VmHWM: ru_maxrss survives exec on Linux, so a child started by a big parent
# would report the parent's peak
RSS_CHILD = """
import json, sys
from pathlib import Path
from pipeline.engine import ExtractSettings, run_extract
def peak_rss_bytes():
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024
corpus, out, model, batch_files, part_files = sys.argv[1:6]
settings = ExtractSettings(batch_files=int(batch_files), part_files=int(part_files))
summary = run_extract(corpus, out, model or None, settings=settings, progress=False)
print(json.dumps({"rss": peak_rss_bytes(), "documents": summary.stats.documents, "words": summary.stats.words,
                  "seconds": summary.seconds}))
"""


def peak_rss(work: Path, n_docs: int, model: str | None, batch_files: int, part_files: int) -> list[dict]:
    """Full runs over 1x, 20x and 100x (the first 1%, 20% and all of n_docs), each in a fresh process."""
    results = []
    for scale in (1, 20, 100):
        corpus, out = work / f"rss-corpus-{scale}", work / f"rss-out-{scale}"
        make_archive(corpus, max(1, n_docs * scale // 100))
        child = subprocess.run(
            [sys.executable, "-c", RSS_CHILD, str(corpus), str(out), model or "", str(batch_files), str(part_files)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        results.append({"scale": scale, **json.loads(child.stdout.strip().splitlines()[-1])})
        shutil.rmtree(corpus)
        shutil.rmtree(out)
    return results


def report(results: list[dict], n_bytes: int) -> str:
    lines = []
    for r in results:
        reads = r["reads"]
        lines += [
            f"--batch-files {r['batch_files']} --part-files {r['part_files']}: "
            f"{r['documents']:,} documents ({n_bytes / 1e6:.1f} MB) in "
            f"{r['batches']} batches, full run {r['full_seconds']:.1f} s",
            f"  files per table: {r['files']['sections']['files']} (was one per source file: "
            f"{r['per_file_files']['sections']:,}); all tables {sum(v['files'] for v in r['files'].values())} "
            f"files, {sum(v['bytes'] for v in r['files'].values()) / 1e6:.1f} MB",
            f"  pipeline.load {reads['parts']['load']:.3f} s vs one file per table {reads['one']['load']:.3f} s "
            f"({reads['parts']['load'] / reads['one']['load']:.2f}x); one file per source file "
            f"{reads['per_file']['load']:.2f} s ({reads['per_file']['load'] / reads['one']['load']:.0f}x)",
            f"  DuckDB join {reads['parts']['duckdb'] * 1e3:.1f} ms vs one file {reads['one']['duckdb'] * 1e3:.1f} ms "
            f"({reads['parts']['duckdb'] / reads['one']['duckdb']:.2f}x); per source file "
            f"{reads['per_file']['duckdb'] * 1e3:.0f} ms",
            f"  {r['changed_files']} files changed: re-run {r['rerun_seconds']:.2f} s "
            f"({r['rerun_seconds'] / r['full_seconds']:.1%} of the full run), {r['rerun_processed']} processed, "
            f"{r['parts_rewritten_or_removed']} of {r['parts_before']} per-file-table parts rewritten or removed "
            f"({r['parts_rewritten_or_removed'] / r['parts_before']:.1%}), {r['parts_added']} added"
            + ("" if r["rerun_equals_full_run"] is None else f"; equals a full run: {r['rerun_equals_full_run']}"),
            f"  re-run corpus tables: {_scopes(c := r['rerun_corpus_tables'])} recomputed, {c['files_read']} files "
            f"read for them, {c['parts_written']} parts written or rewritten (of {c['parts_before']} people and "
            "role_history parts before)",
            f"  full run {r['words_per_second']:,.0f} words/s (wall)",
        ]
        if r["dask"]:
            lines.append(
                f"  Dask LocalCluster (2 workers): {r['dask']['seconds']:.1f} s, tables equal the local engine's: "
                f"{r['dask']['equal']}"
            )
    return "\n".join(lines)


def _scopes(c: dict) -> str:
    return "every scope (a full rebuild)" if c["scopes"] is None else f"{c['scopes']} of {c['scopes_total']} scopes"


def rss_report(results: list[dict]) -> str:
    base = results[0]["rss"]
    return "\n".join(
        f"peak RSS {r['scale']:>3}x ({r['documents']:,} documents): {r['rss'] / 2**20:,.0f} MiB "
        f"({r['rss'] / base:.3f} of 1x), {r['words'] / r['seconds']:,.0f} words/s (wall)"
        for r in results
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--batch-files", default="16")
    parser.add_argument("--changed", type=float, default=0.01)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--model", default=None, help="a trained pipeline (default: rules only)")
    parser.add_argument("--dask", action="store_true", help="also run the Dask engine and compare its tables")
    parser.add_argument("--rss", action="store_true", help="peak RSS at 1x, 20x and 100x, each in a fresh process")
    parser.add_argument("--part-files", type=int, default=256, help="files per part after compaction (extract's)")
    args = parser.parse_args(argv)
    print(f"load average at start {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-layout-") as tmp:
        work = Path(tmp)
        n_bytes = make_archive(work / "corpus", args.docs)
        results = [  # Dask only for the first setting: its tables are compared, not its layout
            one_setting(
                work / "corpus",
                work,
                int(b),
                args.changed,
                args.repeat,
                args.check,
                args.model,
                args.dask and not i,
                args.part_files,
            )
            for i, b in enumerate(args.batch_files.split(","))
        ]
        first = int(args.batch_files.split(",")[0])
        rss = peak_rss(work, args.docs, args.model, first, args.part_files) if args.rss else None
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    print(report(results, n_bytes))
    if rss:
        print(rss_report(rss))
    if args.json:
        args.json.write_text(json.dumps({"settings": results, "rss": rss}, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
