"""Throughput and memory benchmarks for `minutes extract` -> benchmarks/RESULTS.md (`make bench`).

    python -m benchmarks.run --model models/cnn [--sizes 1,20] [--repeat 3] [--workers 2] [--results FILE]

1. Corpora: the sample corpus (corpus/) repeated 1x and 20x, every copy perturbed (names, years,
   decimals, percentages) so each file has its own SHA-256 and content addressing cannot dedupe it.
2. For each size, `repeat` times and interleaved: a fresh process runs the baselines over the same
   document texts (bare spaCy tokenizer; bare `nlp.pipe` of the same model with only tok2vec + ner), and
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
STAGES = ["scan", "ingest", "tokenizer", "minutes_sections", "tok2vec", "ner", "minutes_normalise", "minutes_relations",
          "rows", "write", "stale", "corpus_tables"]
STAGE_NOTES = {
    "scan": "walk + SHA-256 of every file (1 MiB chunks)",
    "ingest": "bytes -> text, split into documents",
    "tokenizer": "spaCy tokenizer (minutes rules)",
    "minutes_sections": "sections splitter + meeting metadata (rules)",
    "tok2vec": "trained CNN embedding + encoder",
    "ner": "trained transition-based NER",
    "minutes_normalise": "dates, metric values, canonical names",
    "minutes_relations": "relations (rules + classifier)",
    "rows": "Doc -> table rows (pipeline/export/rows.py)",
    "write": "Arrow conversion + Parquet parts + completion markers",
    "stale": "remove parts of changed/removed files",
    "corpus_tables": "people, role_history, attendance.person_id (pipeline/people.py)",
}


def machine() -> dict:
    info = {"nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        import psutil

        info["ram_gib"] = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    try:
        models = [ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name")]
        info["cpu"] = f"{models[0]} x {len(models)}" if models else platform.processor()
        mhz = [ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("cpu MHz")]
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


def _best(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return min(values) if values else None


def _fastest(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["cpu"])


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

    results: dict = {"machine": machine(), "model": model or "rules-only", "sizes": {}, "workers": {},
                     "command": " ".join([Path(sys.executable).name, "-m", "benchmarks.run", *sys.argv[1:]]),
                     "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "loadavg_start": os.getloadavg()}
    model_args = ["--model", model] if model else []
    for n in sizes:
        results["sizes"][n] = {"corpus": corpora[n][1], "baseline": [], "extract": []}
    for rep in range(args.repeat):
        for n in sizes:
            path = corpora[n][0]
            tag = f"{n}x-{rep}"
            print(f"bench: {tag}: baselines", file=sys.stderr, flush=True)
            results["sizes"][n]["baseline"].append(
                _measure("baseline", work / f"baseline-{tag}.json", "--corpus", str(path), *model_args, "--repeat", "1"))
            out = work / f"out-{tag}"
            shutil.rmtree(out, ignore_errors=True)
            print(f"bench: {tag}: extract", file=sys.stderr, flush=True)
            results["sizes"][n]["extract"].append(
                _measure("extract", work / f"extract-{tag}.json", "--corpus", str(path), "--out", str(out), *model_args))
            shutil.rmtree(out, ignore_errors=True)
    if args.profile:  # an extra run: profiling slows everything down, so it is not one of the measured ones
        n = max(sizes)
        out = work / "out-profile"
        shutil.rmtree(out, ignore_errors=True)
        print(f"bench: {n}x: extract under cProfile", file=sys.stderr, flush=True)
        _measure("extract", work / "extract-profile.json", "--corpus", str(corpora[n][0]), "--out", str(out), *model_args,
                 "--no-components", "--profile", str(work / f"profile-{n}x.prof"))
        shutil.rmtree(out, ignore_errors=True)

    if args.workers > 1:
        n = max(sizes)
        path = corpora[n][0]
        for rep in range(args.repeat):
            for w in (1, args.workers):
                out = work / f"out-w{w}-{rep}"
                shutil.rmtree(out, ignore_errors=True)
                print(f"bench: {n}x workers={w} ({rep})", file=sys.stderr, flush=True)
                r = _measure("extract", work / f"workers-{w}-{rep}.json", "--corpus", str(path), "--out", str(out),
                             *model_args, "--workers", str(w), "--no-components")
                results["workers"].setdefault(w, []).append(r)
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
    return "\n".join(ln.replace(str(REPO) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")
                     for ln in lines[start:])


# --------------------------------------------------------------------------------------------- report
def _f(x, digits=2):
    return "n/a" if x is None else f"{x:,.{digits}f}"


def summarise(results: dict) -> dict:
    """The headline numbers (fastest repetition of each measurement)."""
    out: dict = {"sizes": {}}
    for n, r in results["sizes"].items():
        ext = _fastest(r["extract"])
        words = ext["words"]
        tok = _best([b.get("tokenizer", {}) for b in r["baseline"]], "cpu")
        tok_wall = _best([b.get("tokenizer", {}) for b in r["baseline"]], "wall")
        ner = _best([b["ner"] for b in r["baseline"] if b.get("ner")], "cpu")
        ner_wall = _best([b["ner"] for b in r["baseline"] if b.get("ner")], "wall")
        ext_wall = _best(r["extract"], "wall")
        out["sizes"][n] = {
            "words": words, "files": ext["files"], "documents": ext["documents"], "entities": ext["entities"],
            "extract_cpu": ext["cpu"], "extract_wall": ext_wall, "tok_cpu": tok, "tok_wall": tok_wall,
            "ner_cpu": ner, "ner_wall": ner_wall,
            "wps_cpu": words / ext["cpu"] if ext["cpu"] else None, "wps_wall": words / ext_wall if ext_wall else None,
            "vs_ner_cpu": ner / ext["cpu"] if ner else None, "vs_ner_wall": ner_wall / ext_wall if ner_wall else None,
            "vs_tok_cpu": tok / ext["cpu"] if tok else None, "vs_tok_wall": tok_wall / ext_wall if tok_wall else None,
            "peak_rss": max(e["peak_rss"] for e in r["extract"]),
            "peak_rss_after_load": max((e.get("peak_rss_after_load") or 0) for e in r["extract"]),
            "model_load": _best(r["extract"], "model_load_seconds"), "model_load_cpu": _best(r["extract"], "model_load_cpu"),
            "stages_cpu": {**ext.get("stages_cpu", {}), **ext.get("components_cpu", {})},
            "stages_wall": {**ext.get("stages_wall", {}), **ext.get("components", {})},
            "util": ext["cpu"] / ext["wall"] if ext["wall"] else None,
            "loadavg": ext.get("loadavg"),
            "model_version": ext.get("model_version"),
        }
    sizes = sorted(out["sizes"])
    if len(sizes) > 1:
        out["rss_ratio"] = out["sizes"][sizes[-1]]["peak_rss"] / out["sizes"][sizes[0]]["peak_rss"]
    if results.get("workers"):
        ws = sorted(int(w) for w in results["workers"])
        best = {w: min(results["workers"][w if w in results["workers"] else str(w)], key=lambda r: r["wall"]) for w in ws}
        out["workers"] = {w: {"wall": b["wall"], "process_wall": b["process_wall"], "cpu": b["cpu"],
                              "batches": b["run_stages"].get("batches"), "peak_rss": b["peak_rss"],
                              "peak_rss_children": b["peak_rss_children"], "loadavg": b.get("loadavg"),
                              "processes": len(b.get("workers_seen", {})),
                              "model_loads": sum(v["model_loads"] for v in b.get("workers_seen", {}).values()),
                              "all_walls": [r["wall"] for r in results["workers"][w if w in results["workers"] else str(w)]]}
                          for w, b in best.items()}
        for w, b in best.items():
            loads = sum(v["model_loads"] for v in b.get("workers_seen", {}).values()) or 1
            load = b["batch_stages"].get("model_load", 0.0) / loads  # loads run side by side, one per worker
            out["workers"][w]["model_load"] = load
            out["workers"][w]["steady"] = (b["run_stages"].get("batches") or 0.0) - load
        if len(ws) > 1:
            out["speedup"] = best[ws[0]]["wall"] / best[ws[-1]]["wall"]
            b0, b1 = out["workers"][ws[0]]["steady"], out["workers"][ws[-1]]["steady"]
            out["speedup_steady"] = b0 / b1 if b0 > 0 and b1 > 0 else None
    return out


def report(results: dict, notes: str = "") -> str:
    s = summarise(results)
    m = results["machine"]
    sizes = sorted(s["sizes"])
    big = s["sizes"][sizes[-1]]
    lines = [
        "# Benchmarks: `minutes extract` throughput and memory",
        "",
        "Generated by `make bench` (`benchmarks/run.py`); numbers below come from one run of:",
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
        f"- Load average (1, 5, 15 min) at start {_la(results.get('loadavg_start'))}, at end {_la(results.get('loadavg_end'))}",
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
        f"Every measurement is repeated {len(results['sizes'][sizes[0]]['extract'])} times, interleaved, and the fastest is reported.",
        "- **extract**: `run_extract` (what `minutes extract` calls) end to end into an empty output folder: "
        "scan + hash, ingest, spaCy pipeline, rows, Parquet parts, markers, stale-part removal, corpus tables. "
        "The pipeline is loaded before the clock starts (its load time is shown apart), as for the baselines.",
        "- **bare NER**: `nlp.pipe` over the same document texts with the same model loaded with only "
        "`tok2vec` + `ner` (tokenizer included), at its fastest minibatch size among those extract may pick "
        "(see below); **bare tokenizer**: `nlp.tokenizer.pipe` over the same texts.",
        "- Words = whitespace-separated words of the documents' text (`documents.n_words`), the same count for every ratio.",
        "- Stage times: each spaCy component is wrapped in its process (its time is the time spent producing its "
        "output docs, minus the time of the components before it); engine stages are timed by wrapping the "
        "functions that do them (`benchmarks/measure.py`). CPU seconds are `time.process_time()`.",
        "- The machine is shared with other jobs: wall-clock ratios are disturbed by them; CPU-second ratios much less. "
        "Both are shown; the CPU-time column is the one to trust on this machine.",
        "",
        "## Throughput (one process)",
        "",
        "| corpus | files | words | extract words/s (CPU) | extract words/s (wall) | extract / bare NER (CPU) | extract / bare NER (wall) | extract / bare tokenizer (CPU) | CPU share (cpu/wall) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n in sizes:
        r = s["sizes"][n]
        lines.append(
            f"| {n}x | {r['files']} | {r['words']:,} | {_f(r['wps_cpu'], 0)} | {_f(r['wps_wall'], 0)} | "
            f"{_pct(r['vs_ner_cpu'])} | {_pct(r['vs_ner_wall'])} | {_pct(r['vs_tok_cpu'])} | {_pct(r['util'])} |")
    lines += [
        "",
        "Ratios are speeds (words/s of extract divided by words/s of the baseline, = baseline seconds / extract seconds). "
        f"Bare NER alone: {_f(big['words'] / big['ner_cpu'] if big['ner_cpu'] else None, 0)} words/s (CPU) at {sizes[-1]}x; "
        f"bare tokenizer: {_f(big['words'] / big['tok_cpu'] if big['tok_cpu'] else None, 0)} words/s (CPU). "
        f"Loading the pipeline (not in the numbers above): {_f(big['model_load'])} s wall, {_f(big['model_load_cpu'])} s CPU.",
        "",
        f"## Time per stage ({sizes[-1]}x corpus, one process, fastest repetition)",
        "",
        "| stage | what | CPU s | share of extract CPU | wall s |",
        "| --- | --- | --- | --- | --- |",
    ]
    total = big["extract_cpu"]
    for st in STAGES:
        c, w = big["stages_cpu"].get(st), big["stages_wall"].get(st)
        if c is None and w is None:
            continue
        lines.append(f"| {st} | {STAGE_NOTES.get(st, '')} | {_f(c)} | {_pct(c / total if c is not None and total else None)} | {_f(w)} |")
    accounted = sum(v for k, v in big["stages_cpu"].items() if k in STAGES)
    lines += [
        f"| (other) | imports, engine loop, nlp.pipe plumbing | {_f(total - accounted)} | {_pct((total - accounted) / total if total else None)} | |",
        f"| **total** | | **{_f(total)}** | 100% | {_f(big['extract_wall'])} |",
        "",
        "## Memory (peak RSS, one process)",
        "",
        "| corpus | words | peak RSS | peak RSS after loading the pipeline, before extracting |",
        "| --- | --- | --- | --- |",
    ]
    for n in sizes:
        r = s["sizes"][n]
        lines.append(f"| {n}x | {r['words']:,} | {r['peak_rss'] / MiB:,.0f} MiB | {r['peak_rss_after_load'] / MiB:,.0f} MiB |")
    if "rss_ratio" in s:
        lines += ["", f"Peak RSS {sizes[-1]}x / {sizes[0]}x: **{s['rss_ratio']:.3f}** (target <= 1.10)."]
    if s.get("workers"):
        lines += [
            "",
            f"## Workers ({sizes[-1]}x corpus, `--workers N`, model loading included)",
            "",
            "| workers | run_extract wall s (all repetitions) | process wall s | batches phase wall s | of which loading the pipeline | CPU s (all processes) | worker processes | model loads | peak RSS parent / largest worker | load avg at end |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for w, r in sorted(s["workers"].items()):
            lines.append(
                f"| {w} | {_f(r['wall'])} ({', '.join(_f(x, 1) for x in r['all_walls'])}) | {_f(r['process_wall'])} | {_f(r['batches'])} | {_f(r['model_load'])} | {_f(r['cpu'])} | "
                f"{r['processes']} | {r['model_loads']} | {r['peak_rss'] / MiB:,.0f} / {r['peak_rss_children'] / MiB:,.0f} MiB | {_la(r['loadavg'])} |")
        if "speedup" in s:
            lines += ["", f"Speed-up, {max(s['workers'])} workers vs 1 (run_extract wall): **{s['speedup']:.2f}x** "
                          f"(target >= 1.7x); batches phase without the pipeline load: {_f(s.get('speedup_steady'))}x."]
    if results.get("profile"):
        lines += ["", f"## cProfile (CPU time, {sizes[-1]}x extract, top functions by own time)", "", "```",
                  results["profile"], "```"]
    return "\n".join(lines) + "\n"


def _pct(x):
    return "n/a" if x is None else f"{100 * x:.0f}%"


def _la(la):
    return "n/a" if not la else ", ".join(f"{x:.1f}" for x in la)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="models/cnn", help="trained pipeline folder (rules only if missing)")
    ap.add_argument("--corpus", default=str(REPO / "corpus"))
    ap.add_argument("--sizes", default="1,20", help="corpus multiples, comma-separated")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2, help="compare 1 worker with this many (1: skip)")
    ap.add_argument("--results", default=str(REPO / "benchmarks" / "RESULTS.md"))
    ap.add_argument("--json", help="also write the raw measurements here")
    ap.add_argument("--workdir", help="keep corpora, outputs and raw JSON here (default: a temporary folder, removed)")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--profile", action="store_true", help="cProfile the largest extract (first repetition)")
    ap.add_argument("--notes", default="", help="text added under the machine description")
    args = ap.parse_args(argv)
    results = run(args)
    text = report(results, args.notes)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    if args.results:
        Path(args.results).write_text(text)
        print(f"wrote {args.results}", file=sys.stderr)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
