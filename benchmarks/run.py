"""Throughput and memory benchmarks for `minutes extract` -> benchmarks/RESULTS.md (`make bench`).

    python -m benchmarks.run --model models/cnn [--sizes 1,20] [--repeat 3] [--workers 2] [--results FILE]

1. Corpora: the sample corpus (corpus/) repeated 1x and 20x, every copy perturbed (names, years,
   decimals, percentages) so each file has its own SHA-256 and content addressing cannot dedupe it.
2. For each size, `repeat` times and interleaved: a fresh process runs the baselines over the same
   document texts (bare spaCy tokenizer; bare `nlp.pipe` of the same trained model's own components, none of
   the extraction's rule components; the same with only tok2vec + ner), and
   another fresh process runs `run_extract` end to end into an empty output folder, with each spaCy
   component and each engine stage timed (wall and CPU seconds) and its peak RSS read (ru_maxrss).
   The fastest repetition of each is reported; ratios compare numbers from the same run of this script.
3. Workers: `run_extract` over the largest corpus with --workers 1 and --workers 2 (fresh processes,
   model loading included in both), wall time ratio.

The machine may be shared: CPU seconds are reported next to wall seconds (CPU time is much less
disturbed by other processes than wall time), with the load average around each measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024
STAGES = [
    "scan",
    "ingest",
    "tokenizer",
    "minutes_sections",
    "tok2vec",
    "tagger",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "ner",
    "minutes_titles",
    "minutes_not_figures",
    "minutes_normalise",
    "minutes_relations",
    "rows",
    "write",
    "stale",
    "corpus_tables",
]
STAGE_NOTES = {
    "scan": "walk + SHA-256 of every file (1 MiB chunks)",
    "ingest": "bytes -> text, split into documents",
    "tokenizer": "spaCy tokenizer (minutes rules)",
    "minutes_sections": "sections splitter + meeting metadata (rules)",
    "tok2vec": "trained CNN embedding + encoder (the base's, shared by tagger and parser)",
    "tagger": "trained tagger (en_core_web_sm base, frozen)",
    "parser": "trained dependency parser (en_core_web_sm base, frozen; the facts read the parse)",
    "attribute_ruler": "tag -> POS rules (en_core_web_sm base)",
    "lemmatizer": "rule lemmatizer (en_core_web_sm base)",
    "ner": "trained transition-based NER (its own CNN tok2vec inside)",
    "minutes_titles": "office titles and name affixes around the NER's entities (rules)",
    "minutes_not_figures": "drops METRICs that are not figures (rules)",
    "minutes_normalise": "dates, metric values, canonical names",
    "minutes_relations": "relations (rules + classifier)",
    "rows": "Doc -> table rows (pipeline/export/rows.py)",
    "write": "Arrow conversion + Parquet parts + completion markers",
    "stale": "remove parts of changed/removed files",
    "corpus_tables": "people, role_history, attendance.person_id of the touched scopes (pipeline/corpus_tables.py)",
}


def machine() -> dict:
    info = {"nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        import psutil

        info["ram_gib"] = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    try:
        models = [
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ]
        info["cpu"] = f"{models[0]} x {len(models)}" if models else platform.processor()
        mhz = [
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("cpu MHz")
        ]
        if mhz:
            info["cpu_mhz"] = mhz[0]
    except OSError:
        info["cpu"] = platform.processor()
    import pyarrow
    import spacy
    import thinc

    info["spacy"], info["thinc"], info["pyarrow"] = spacy.__version__, thinc.__version__, pyarrow.__version__
    return info


def _measure(what: str, json_path: Path, *args: str) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.measure", what, *args, "--json", str(json_path)]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, check=True)
    result = json.loads(json_path.read_text())
    result["process_wall"] = time.perf_counter() - t0
    return result


def _median(values: list[float]) -> float | None:
    import statistics

    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def run(args) -> dict:
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="minutes-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    model = args.model if args.model and Path(args.model).is_dir() else ""
    sizes = [int(s) for s in args.sizes.split(",") if s]
    from .corpus import make_corpus

    corpora = {}
    for n in sizes:
        path = work / f"corpus-{n}x"
        shutil.rmtree(path, ignore_errors=True)
        corpora[n] = (path, make_corpus(args.corpus, path, n))

    results: dict = {
        "machine": machine(),
        "model": model or "rules-only",
        "sizes": {},
        "workers": {},
        "command": " ".join([Path(sys.executable).name, "-m", "benchmarks.run", *sys.argv[1:]]),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "loadavg_start": os.getloadavg(),
    }
    model_args = ["--model", model] if model else []
    for n in sizes:
        results["sizes"][n] = {"corpus": corpora[n][1], "extract": []}
    for rep in range(args.repeat):
        for n in sizes:
            path = corpora[n][0]
            tag = f"{n}x-{rep}"
            out = work / f"out-{tag}"
            shutil.rmtree(out, ignore_errors=True)
            print(f"bench: {tag}: baselines + extract", file=sys.stderr, flush=True)
            results["sizes"][n]["extract"].append(
                _measure("extract", work / f"extract-{tag}.json", "--corpus", str(path), "--out", str(out), *model_args)
            )
            shutil.rmtree(out, ignore_errors=True)
    if args.profile:  # an extra run: profiling slows everything down, so it is not one of the measured ones
        n = max(sizes)
        out = work / "out-profile"
        shutil.rmtree(out, ignore_errors=True)
        print(f"bench: {n}x: extract under cProfile", file=sys.stderr, flush=True)
        _measure(
            "extract",
            work / "extract-profile.json",
            "--corpus",
            str(corpora[n][0]),
            "--out",
            str(out),
            *model_args,
            "--profile",
            str(work / f"profile-{n}x.prof"),
        )
        shutil.rmtree(out, ignore_errors=True)

    if args.workers > 1:
        worker_sizes = [int(x) for x in args.workers_sizes.split(",")] if args.workers_sizes else [max(sizes)]
        for n in worker_sizes:
            if n not in corpora:
                path = work / f"corpus-{n}x"
                shutil.rmtree(path, ignore_errors=True)
                corpora[n] = (path, make_corpus(args.corpus, path, n))
            path = corpora[n][0]
            runs = (
                results["workers"] if n == worker_sizes[0] else results.setdefault("workers_more", {}).setdefault(n, {})
            )
            for rep in range(args.repeat):
                for w in (1, args.workers):
                    out = work / f"out-w{w}-{rep}"
                    shutil.rmtree(out, ignore_errors=True)
                    print(f"bench: {n}x workers={w} ({rep})", file=sys.stderr, flush=True)
                    r = _measure(
                        "extract",
                        work / f"workers-{n}x-{w}-{rep}.json",
                        "--corpus",
                        str(path),
                        "--out",
                        str(out),
                        *model_args,
                        "--workers",
                        str(w),
                        "--no-components",
                    )
                    r["size"] = n
                    runs.setdefault(w, []).append(r)
                    shutil.rmtree(out, ignore_errors=True)
    results["loadavg_end"] = os.getloadavg()
    if args.profile:
        results["profile"] = _profile_top(work, max(sizes))
    (work / "results.json").write_text(json.dumps(results, indent=2, default=str))
    if not args.keep and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return results


def _profile_top(work: Path, n: int, limit: int = 25) -> str:
    import io
    import pstats

    prof = work / f"profile-{n}x.prof"
    if not prof.exists():
        return ""
    buf = io.StringIO()
    stats = pstats.Stats(str(prof), stream=buf)
    stats.sort_stats("tottime").print_stats(limit)
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
    return "\n".join(
        ln.replace(str(REPO) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")
        for ln in lines[start:]
    )


# --------------------------------------------------------------------------------------------- report
def _f(x, digits=2):
    return "n/a" if x is None else f"{x:,.{digits}f}"


def summarise(results: dict) -> dict:
    """Headline numbers. Each extract process measured its own baselines just before and after it, so
    ratios are paired per repetition; the median repetition's ratio is reported, with the range."""
    out: dict = {"sizes": {}}
    for n, r in results["sizes"].items():
        reps = r["extract"]
        fastest = min(reps, key=lambda e: e["cpu"])
        words = fastest["words"]

        def ratios(kind: str, clock: str, reps=reps) -> list[float]:
            return [e["baselines"][kind][clock] / e[clock] for e in reps if e["baselines"].get(kind)]

        row = {
            "words": words,
            "files": fastest["files"],
            "documents": fastest["documents"],
            "entities": fastest["entities"],
            "reps": len(reps),
            "extract_cpu": fastest["cpu"],
            "extract_wall": fastest["wall"],
            "wps_cpu": _median([e["words"] / e["cpu"] for e in reps]),
            "wps_wall": _median([e["words"] / e["wall"] for e in reps]),
            "ner_wps_cpu": _median(
                [e["words"] / e["baselines"]["ner"]["cpu"] for e in reps if e["baselines"].get("ner")]
            ),
            "model_wps_cpu": _median(
                [e["words"] / e["baselines"]["model"]["cpu"] for e in reps if e["baselines"].get("model")]
            ),
            "model_pipes": next((e["baselines"]["model"]["pipes"] for e in reps if e["baselines"].get("model")), []),
            "tok_wps_cpu": _median(
                [e["words"] / e["baselines"]["tokenizer"]["cpu"] for e in reps if e["baselines"].get("tokenizer")]
            ),
            "ner_batch_sizes": sorted({e["baselines"]["ner"]["batch_size"] for e in reps if e["baselines"].get("ner")}),
            "peak_rss": max(e["peak_rss"] for e in reps),
            "peak_rss_after_load": max((e.get("peak_rss_after_load") or 0) for e in reps),
            "model_load": _median([e.get("model_load_seconds") for e in reps]),
            "model_load_cpu": _median([e.get("model_load_cpu") for e in reps]),
            "stages_cpu": {**fastest.get("stages_cpu", {}), **fastest.get("components_cpu", {})},
            "stages_wall": {**fastest.get("stages_wall", {}), **fastest.get("components", {})},
            "util": _median([e["cpu"] / e["wall"] for e in reps]),
            "model_version": fastest.get("model_version"),
        }
        for kind in ("model", "ner", "tokenizer"):
            for clock in ("cpu", "wall"):
                values = ratios(kind, clock)
                row[f"vs_{kind}_{clock}"] = _median(values)
                row[f"vs_{kind}_{clock}_range"] = (min(values), max(values)) if values else None
        out["sizes"][n] = row
    sizes = sorted(out["sizes"])
    if len(sizes) > 1:
        out["rss_ratio"] = out["sizes"][sizes[-1]]["peak_rss"] / out["sizes"][sizes[0]]["peak_rss"]
    if results.get("workers"):
        out["workers"] = _summarise_workers(results["workers"])
    for n, runs in (results.get("workers_more") or {}).items():
        out.setdefault("workers_more", {})[int(n)] = _summarise_workers(runs)
    return out


def _summarise_workers(runs_by_w: dict) -> dict:
    ws = sorted(int(w) for w in runs_by_w)
    runs = {w: runs_by_w[w] if w in runs_by_w else runs_by_w[str(w)] for w in ws}
    best = {w: min(runs[w], key=lambda r: r["wall"]) for w in ws}
    out: dict = {"size": best[ws[0]].get("size"), "rows": {}}
    for w, b in best.items():
        seen = b.get("workers_seen", {})
        loads = sum(v["model_loads"] for v in seen.values()) or 1
        load = b["batch_stages"].get("model_load", 0.0) / loads  # loads run side by side, one per worker
        out["rows"][w] = {
            "wall": b["wall"],
            "process_wall": b["process_wall"],
            "cpu": b["cpu"],
            "batches": b["run_stages"].get("batches"),
            "peak_rss": b["peak_rss"],
            "peak_rss_children": b["peak_rss_children"],
            "loadavg": b.get("loadavg"),
            "processes": len(seen),
            "model_loads": sum(v["model_loads"] for v in seen.values()),
            "all_walls": [r["wall"] for r in runs[w]],
            "model_load": load,
            "steady": (b["run_stages"].get("batches") or 0.0) - load,
            "worker_cpu_max": max((v.get("cpu", 0.0) for v in seen.values()), default=None),
            "util": b["cpu"] / b["wall"] if b["wall"] else None,
        }
    if len(ws) > 1:
        lo, hi = out["rows"][ws[0]], out["rows"][ws[-1]]
        out["speedup"] = lo["wall"] / hi["wall"]
        out["speedup_steady"] = lo["steady"] / hi["steady"] if lo["steady"] > 0 and hi["steady"] > 0 else None
        # CPU-time estimate for a machine with a free core per worker. One process: all its CPU time is on the
        # critical path. N workers: the parent's own CPU time (scan, plan, corpus tables; it waits while the
        # workers run) + the busiest worker's CPU time (its imports and model load included).
        est = {
            w: best[w]["cpu_parent"]
            + (0.0 if best[w]["engine"] == "inline" else (out["rows"][w]["worker_cpu_max"] or 0.0))
            for w in (ws[0], ws[-1])
        }
        out["speedup_cpu_estimate"] = est[ws[0]] / est[ws[-1]] if est[ws[-1]] else None
    return out


def report(results: dict, notes: str = "") -> str:
    s = summarise(results)
    m = results["machine"]
    sizes = sorted(s["sizes"])
    big = s["sizes"][sizes[-1]]
    lines = [
        "# Benchmarks: `minutes extract` throughput and memory",
        "",
        "Generated by `benchmarks/run.py` (`make bench` runs it with `--model models/cnn` and the defaults); "
        "the numbers below come from one run of:",
        "",
        f"    {results['command']}",
        "",
        f"Started {results['started']}. Model: `{results['model']}` ({big['model_version']}).",
        "",
        "## Machine",
        "",
        f"- CPU: {m.get('cpu')} ({m.get('nproc')} logical CPUs visible, nproc), {m.get('cpu_mhz', '?')} MHz",
        f"- RAM: {m.get('ram_gib')} GiB",
        f"- Python {m['python']}, spaCy {m['spacy']}, thinc {m['thinc']}, pyarrow {m['pyarrow']}; {m['platform']}",
        f"- Load average (1, 5, 15 min) at start {_la(results.get('loadavg_start'))}, "
        f"at end {_la(results.get('loadavg_end'))}",
        "",
    ]
    if notes:
        lines += [notes.strip(), ""]
    lines += [
        "## Method",
        "",
        "- Corpora: `corpus/` repeated 1x and 20x (`benchmarks/corpus.py`): each copy shifts years, nudges decimals "
        "and percentages and swaps common first names, so every file has its own SHA-256 and is processed "
        "(content addressing would skip verbatim copies).",
        "- Each measurement runs in a fresh Python process (peak RSS = `ru_maxrss` of that process). "
        f"Every measurement is repeated {len(results['sizes'][sizes[0]]['extract'])} times, sizes interleaved.",
        "- **extract**: `run_extract` (what `minutes extract` calls) end to end into an empty output folder: "
        "scan + hash, ingest, spaCy pipeline, rows, Parquet parts, markers, stale-part removal, corpus tables. "
        "The pipeline is loaded before the clock starts (its load time is shown apart), as for the baselines.",
        "- **bare model**: `nlp.pipe` over the same document texts, in the same process, with the same loaded "
        "pipeline restricted to the trained model's own components (`select_pipes`; tokenizer included): every "
        "component but the extraction's rules (factories `minutes_*`), so with the cnn model the sourced "
        "en_core_web_sm tok2vec, tagger, parser, attribute_ruler and lemmatizer (the facts read the parse, so "
        "extract cannot skip them) and the NER; once just before the extract (minibatch 1) and just after it "
        "(minibatches 1, 4, 32); the fastest counts. This is the speed limit of the model: extract runs exactly "
        "these components plus the rules, rows and writes. **bare NER**: the same with `tok2vec` + `ner` only "
        "(shown for comparison with earlier runs, whose model had no parser). **bare tokenizer**: "
        "`nlp.tokenizer.pipe` over the same texts, just after.",
        "- Words = whitespace-separated words of the documents' text (`documents.n_words`), "
        "the same count for every ratio.",
        "- Stage times: each spaCy component is wrapped in its process (its time is the time spent producing its "
        "output docs, minus the time of the components before it); engine stages are timed by wrapping the "
        "functions that do them (`benchmarks/measure.py`). CPU seconds are `time.process_time()`.",
        "- The machine is shared with other jobs: wall-clock ratios are disturbed by them; "
        "CPU-second ratios much less. Both are shown; the CPU-time column is the one to trust on this machine.",
        "",
        "## Throughput (one process)",
        "",
        "| corpus | files | words | extract words/s (CPU) | extract words/s (wall) | extract / bare model (CPU) "
        "| extract / bare model (wall) | extract / bare NER (CPU) | extract / bare tokenizer (CPU) "
        "| CPU share (cpu/wall) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n in sizes:
        r = s["sizes"][n]
        lines.append(
            f"| {n}x | {r['files']} | {r['words']:,} | {_f(r['wps_cpu'], 0)} | {_f(r['wps_wall'], 0)} | "
            f"{_pct(r['vs_model_cpu'])} ({_rng(r['vs_model_cpu_range'])}) | "
            f"{_pct(r['vs_model_wall'])} ({_rng(r['vs_model_wall_range'])}) | "
            f"{_pct(r['vs_ner_cpu'])} ({_rng(r['vs_ner_cpu_range'])}) | "
            f"{_pct(r['vs_tokenizer_cpu'])} | {_pct(r['util'])} |"
        )
    lines += [
        "",
        "Medians over the repetitions (range in brackets). Ratios are speeds: words/s of extract divided by "
        "words/s of the baseline measured in the same process just before and after it (= baseline seconds / "
        f"extract seconds). At {sizes[-1]}x, the bare model ({', '.join(big['model_pipes']) or 'n/a'}): "
        f"{_f(big['model_wps_cpu'], 0)} words/s (CPU); "
        f"bare NER alone: {_f(big['ner_wps_cpu'], 0)} words/s (CPU, fastest "
        f"minibatch size {', '.join(map(str, big['ner_batch_sizes'])) or 'n/a'}); "
        f"bare tokenizer: {_f(big['tok_wps_cpu'], 0)} words/s (CPU). "
        f"Loading the pipeline (not in the numbers above): {_f(big['model_load'])} s wall, "
        f"{_f(big['model_load_cpu'])} s CPU.",
        "",
        f"## Time per stage ({sizes[-1]}x corpus, one process, the repetition with the least CPU time)",
        "",
        "| stage | what | CPU s | share of extract CPU | wall s |",
        "| --- | --- | --- | --- | --- |",
    ]
    total = big["extract_cpu"]
    for st in STAGES:
        c, w = big["stages_cpu"].get(st), big["stages_wall"].get(st)
        if c is None and w is None:
            continue
        lines.append(
            f"| {st} | {STAGE_NOTES.get(st, '')} | {_f(c)} | "
            f"{_pct(c / total if c is not None and total else None)} | {_f(w)} |"
        )
    accounted = sum(v for k, v in big["stages_cpu"].items() if k in STAGES)
    lines += [
        f"| (other) | imports, engine loop, nlp.pipe plumbing | {_f(total - accounted)} | "
        f"{_pct((total - accounted) / total if total else None)} | |",
        f"| **total** | | **{_f(total)}** | 100% | {_f(big['extract_wall'])} |",
        "",
        "## Memory (peak RSS, one process)",
        "",
        "| corpus | words | peak RSS | peak RSS after loading the pipeline, before extracting |",
        "| --- | --- | --- | --- |",
    ]
    for n in sizes:
        r = s["sizes"][n]
        lines.append(
            f"| {n}x | {r['words']:,} | {r['peak_rss'] / MiB:,.0f} MiB | {r['peak_rss_after_load'] / MiB:,.0f} MiB |"
        )
    if "rss_ratio" in s:
        lines += ["", f"Peak RSS {sizes[-1]}x / {sizes[0]}x: **{s['rss_ratio']:.3f}** (target <= 1.10)."]
    for ws in [s["workers"]] if s.get("workers") else []:
        lines += _workers_table(ws)
    for _n, ws in sorted((s.get("workers_more") or {}).items()):
        lines += _workers_table(ws)
    if results.get("profile"):
        lines += [
            "",
            f"## cProfile (CPU time, {sizes[-1]}x extract after loading the pipeline, an extra run; "
            "top functions by own time)",
            "",
            "Profiling inflates the cost of Python and Cython calls, so shares here are not those of the tables above.",
            "",
            "```",
            results["profile"],
            "```",
        ]
    return "\n".join(lines) + "\n"


def _workers_table(ws: dict) -> list[str]:
    lines = [
        "",
        f"## Workers ({ws['size']}x corpus, `--workers N`, fresh processes, loading the pipeline included)",
        "",
        "| workers | run_extract wall s (all repetitions) | process wall s | batches phase wall s "
        "| of which loading the pipeline | CPU s (all processes) | CPU share | busiest worker CPU s "
        "| worker processes | model loads | peak RSS parent / largest worker | load avg at end |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for w, r in sorted(ws["rows"].items()):
        lines.append(
            f"| {w} | {_f(r['wall'])} ({', '.join(_f(x, 1) for x in r['all_walls'])}) | "
            f"{_f(r['process_wall'])} | {_f(r['batches'])} | "
            f"{_f(r['model_load'])} | {_f(r['cpu'])} | {_pct(r['util'])} | "
            f"{_f(r['worker_cpu_max']) if r['processes'] and w > 1 else 'n/a'} | "
            f"{r['processes']} | {r['model_loads']} | "
            f"{r['peak_rss'] / MiB:,.0f} / {r['peak_rss_children'] / MiB:,.0f} MiB | {_la(r['loadavg'])} |"
        )
    if "speedup" in ws:
        lines += [
            "",
            f"Speed-up, {max(ws['rows'])} workers vs 1, fastest repetitions (run_extract wall): "
            f"**{ws['speedup']:.2f}x** "
            f"(target >= 1.7x); batches phase without the pipeline load: {_f(ws.get('speedup_steady'))}x; "
            f"CPU-time estimate for a machine with a free core per worker (1 worker: its CPU seconds; N workers: "
            f"the parent's CPU seconds + the busiest worker's): {_f(ws.get('speedup_cpu_estimate'))}x.",
        ]
    return lines


def _pct(x):
    return "n/a" if x is None else f"{100 * x:.0f}%"


def _rng(r):
    return "n/a" if not r else f"{100 * r[0]:.0f}-{100 * r[1]:.0f}%"


def _la(la):
    return "n/a" if not la else ", ".join(f"{x:.1f}" for x in la)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="models/cnn", help="trained pipeline folder (rules only if missing)")
    ap.add_argument("--corpus", default=str(REPO / "corpus"))
    ap.add_argument("--sizes", default="1,20", help="corpus multiples, comma-separated")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2, help="compare 1 worker with this many (1: skip)")
    ap.add_argument(
        "--workers-sizes", help="corpus multiples for the workers comparison (default: the largest of --sizes)"
    )
    ap.add_argument("--results", default=str(REPO / "benchmarks" / "RESULTS.md"))
    ap.add_argument("--json", help="also write the raw measurements here")
    ap.add_argument("--workdir", help="keep corpora, outputs and raw JSON here (default: a temporary folder, removed)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--profile", action="store_true", help="cProfile the largest extract (first repetition)")
    ap.add_argument("--notes", default="", help="text (or @file) added under the machine description")
    ap.add_argument("--from-json", help="re-render the report from raw measurements saved with --json (no measuring)")
    args = ap.parse_args(argv)
    results = json.loads(Path(args.from_json).read_text()) if args.from_json else run(args)
    notes = Path(args.notes[1:]).read_text() if args.notes.startswith("@") else args.notes
    text = report(results, notes)
    if args.json and not args.from_json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    if args.results:
        Path(args.results).write_text(text)
        print(f"wrote {args.results}", file=sys.stderr)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
