"""One measurement in a fresh process, so peak RSS and timings belong to that measurement alone.

    python -m benchmarks.measure extract  --corpus C --out O --model M [--workers N] [--profile F] --json J
    python -m benchmarks.measure baseline --corpus C --model M --json J

`extract` runs `run_extract` end to end (as `minutes extract` does) after loading the pipeline, and
times each spaCy component by wrapping it (see `time_components`). `baseline` times, over the same
document texts, the bare spaCy tokenizer, bare `nlp.pipe` of the trained model (every component of the
pipeline but ours, the `minutes_*` rules: `model_pipes`) and of its tok2vec + ner alone.
Both write JSON: wall and CPU seconds, words, peak RSS (ru_maxrss), per-stage seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path


def peak_rss_bytes(children: bool = False) -> int:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss * 1024  # KiB on Linux


def _rss_now() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def own_cpu_seconds() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    return s.ru_utime + s.ru_stime


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes), user + system."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


class _Timed:
    """A pipeline component wrapped so the time spent producing its output docs is recorded.

    The time is inclusive (a component pulls its input through the components before it, lazily), so
    exclusive times are differences between consecutive components; see `exclusive_times`.
    """

    def __init__(self, name, proc, totals):
        self._name, self._proc, self._totals = name, proc, totals

    def __getattr__(self, attr):
        return getattr(self._proc, attr)

    def __call__(self, doc, **kw):
        t, c = time.perf_counter(), time.process_time()
        doc = self._proc(doc, **kw)
        self._totals[self._name] += time.perf_counter() - t
        self._totals["cpu:" + self._name] += time.process_time() - c
        return doc

    def pipe(self, docs, **kw):
        if hasattr(self._proc, "pipe"):
            it = iter(self._proc.pipe(docs, **kw))
        else:
            kw.pop("batch_size", None)
            it = (self._proc(d, **kw) for d in docs)
        wall, cpu = self._name, "cpu:" + self._name
        while True:
            t, c = time.perf_counter(), time.process_time()
            try:
                doc = next(it)
            except StopIteration:
                return
            finally:
                self._totals[wall] += time.perf_counter() - t
                self._totals[cpu] += time.process_time() - c
            yield doc


def time_components(nlp) -> tuple[dict, list[str], object]:
    """Wrap the tokenizer (make_doc) and every component of `nlp` in place.
    Returns (inclusive totals, order, restore) where restore() puts the original components back."""
    totals: dict[str, float] = defaultdict(float)
    make_doc = nlp.make_doc
    components = list(nlp._components)

    def restore():
        nlp._components[:] = components
        del nlp.make_doc  # the instance attribute goes; the class's method is seen again

    def timed_make_doc(text):
        t, c = time.perf_counter(), time.process_time()
        doc = make_doc(text)
        totals["tokenizer"] += time.perf_counter() - t
        totals["cpu:tokenizer"] += time.process_time() - c
        return doc

    nlp.make_doc = timed_make_doc
    nlp._components[:] = [(name, _Timed(name, proc, totals)) for name, proc in nlp._components]
    return totals, ["tokenizer", *nlp.pipe_names], restore


def exclusive_times(totals: dict, order: list[str], prefix: str = "") -> dict:
    """Inclusive chain times -> time spent in each component itself (order starts with "tokenizer").
    prefix "" gives wall seconds, "cpu:" CPU seconds."""
    out, before = {}, 0.0
    for name in order:
        inclusive = totals.get(prefix + name, 0.0)
        out[name] = max(0.0, inclusive - before)
        before = inclusive
    return out


class StageTimer:
    """Wall and CPU seconds of patched functions, by stage. Only the outermost timed call counts, so a
    Parquet write made while building the corpus tables is part of "corpus_tables", not "write"."""

    def __init__(self):
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._depth = 0

    def wrap(self, owner, attr: str, stage: str) -> None:
        fn = getattr(owner, attr)

        def timed(*a, **kw):
            if self._depth:
                return fn(*a, **kw)
            self._depth += 1
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                self.wall[stage] += time.perf_counter() - t
                self.cpu[stage] += time.process_time() - c
                self.calls[stage] += 1
                self._depth -= 1

        setattr(owner, attr, timed)


def time_stages() -> StageTimer:
    """Patch the extraction's stage functions (this process only) to time them in wall and CPU seconds."""
    from pipeline import corpus_tables
    from pipeline.engine import batch, runner
    from pipeline.export.writer import DatasetWriter

    timer = StageTimer()
    timer.wrap(runner, "scan_selected", "scan")
    timer.wrap(runner, "plan_work", "plan")
    timer.wrap(batch, "ingest_file", "ingest")
    timer.wrap(batch, "doc_rows", "rows")
    timer.wrap(batch, "unwritable_reason", "write")  # Arrow conversion check before the parts are written
    timer.wrap(DatasetWriter, "write_part", "write")
    timer.wrap(DatasetWriter, "write_files_part", "write")  # a batch's parts
    timer.wrap(DatasetWriter, "mark_done", "write")
    timer.wrap(runner, "sweep", "stale")  # parts rewritten without stale rows
    timer.wrap(corpus_tables, "update_corpus_tables", "corpus_tables")
    return timer


def _timed(fn, repeat: int = 1) -> dict:
    """Fastest of `repeat` calls: wall and CPU seconds."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        best_wall, best_cpu = min(best_wall, time.perf_counter() - t0), min(best_cpu, time.process_time() - c0)
    return {"wall": best_wall, "cpu": best_cpu}


def model_pipes(pipe_names: list[str], factories: dict[str, str]) -> list[str]:
    """The trained model's own components: every pipe but the extraction's rule components (factories
    `minutes_*`). With the cnn model: tok2vec, tagger, parser, attribute_ruler, lemmatizer (the sourced
    en_core_web_sm base; the facts read its parse) and ner."""
    return [name for name in pipe_names if not factories[name].startswith("minutes_")]


def _bare_pipe(nlp, texts: list[str], batch_size: int, keep: list[str]) -> dict:
    def run():
        with nlp.select_pipes(enable=keep):
            for _ in nlp.pipe(texts, batch_size=batch_size):
                pass

    return {**_timed(run), "batch_size": batch_size, "pipes": keep}


def bare_ner(nlp, texts: list[str], batch_size: int) -> dict | None:
    """Bare `nlp.pipe` of the trained NER only (tok2vec + ner, tokenizer included) of an already loaded pipeline."""
    keep = [n for n in nlp.pipe_names if n in ("tok2vec", "ner")]
    if "ner" not in keep:
        return None
    return _bare_pipe(nlp, texts, batch_size, keep)


def bare_model(nlp, texts: list[str], batch_size: int) -> dict | None:
    """Bare `nlp.pipe` of the trained model's components (`model_pipes`, tokenizer included), none of ours."""
    keep = model_pipes(nlp.pipe_names, {name: nlp.get_pipe_meta(name).factory for name in nlp.pipe_names})
    if "ner" not in keep:
        return None
    return _bare_pipe(nlp, texts, batch_size, keep)


def bare_tokenizer(nlp, texts: list[str]) -> dict:
    def run():
        for _ in nlp.tokenizer.pipe(texts, batch_size=32):
            pass

    return _timed(run)


def cmd_extract(args) -> dict:
    """`run_extract` end to end. In the one-process mode (the default) the pipeline is loaded first, then
    the baselines are measured with the same loaded pipeline right before and right after the extract
    (so all three share the machine's conditions), with the peak RSS of the extract read before the
    after-baselines run."""
    from pipeline.engine import ExtractSettings, run_extract
    from pipeline.engine.worker import ensure_nlp

    model = args.model if args.model and Path(args.model).is_dir() else None
    rss_start = peak_rss_bytes()
    result: dict = {"workers": args.workers, "batch_files": args.batch_files}
    one_process = args.components and args.workers == 1 and args.engine == "local"
    nlp, texts, restore, baselines = None, [], None, {}
    if one_process:
        cpu0 = cpu_seconds()
        loads, load_s = ensure_nlp(model)
        result["model_load_seconds"] = load_s
        result["model_load_cpu"] = cpu_seconds() - cpu0
        from pipeline.nlp import cached_nlp

        nlp = cached_nlp(model)
        texts = _texts(args.corpus)
        for _ in nlp.pipe(texts[:2], batch_size=1):  # warm-up: first-call allocations, for everyone alike
            pass
        result["peak_rss_after_load"] = peak_rss_bytes()
        result["rss_after_load"] = _rss_now()
        baselines["model_before"] = bare_model(nlp, texts, 1)
        baselines["ner_before"] = bare_ner(nlp, texts, 1)
        totals, order, restore = time_components(nlp)
    else:
        totals, order = {}, []
        result["model_load_seconds"] = None
    stages = time_stages() if args.components else None
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    cpu0, own0, t0 = cpu_seconds(), own_cpu_seconds(), time.perf_counter()
    summary = run_extract(
        args.corpus,
        args.out,
        model,
        workers=args.workers,
        engine=args.engine,
        settings=ExtractSettings(batch_files=args.batch_files),
        progress=False,
    )
    wall, cpu, own_cpu = time.perf_counter() - t0, cpu_seconds() - cpu0, own_cpu_seconds() - own0
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    peak, peak_children = peak_rss_bytes(), peak_rss_bytes(children=True)
    if one_process:
        restore()
        for bs in args.ner_batch_sizes:
            baselines[f"model_after_bs{bs}"] = bare_model(nlp, texts, bs)
            baselines[f"ner_after_bs{bs}"] = bare_ner(nlp, texts, bs)
        baselines["tokenizer"] = bare_tokenizer(nlp, texts)
        for kind in ("model", "ner"):  # the fastest minibatch size of each is its baseline
            measured = [b for k, b in baselines.items() if k.startswith(kind + "_") and b]
            if measured:
                baselines[kind] = min(measured, key=lambda b: b["cpu"])
        baselines["words"] = sum(len(t.split()) for t in texts)
    s = summary.stats
    result.update(
        {
            "wall": wall,
            "cpu": cpu,
            "cpu_parent": own_cpu,
            "words": s.words,
            "documents": s.documents,
            "files": summary.files_seen,
            "files_processed": summary.files_processed,
            "entities": s.entities,
            "sections": s.sections,
            "errors": s.errors,
            "batch_stages": dict(s.stage_seconds),
            "run_stages": dict(summary.stage_seconds),
            "components": exclusive_times(totals, order) if totals else {},
            "components_cpu": exclusive_times(totals, order, "cpu:") if totals else {},
            "component_order": order,
            "stages_wall": dict(stages.wall) if stages else {},
            "stages_cpu": dict(stages.cpu) if stages else {},
            "workers_seen": summary.workers,
            "engine": summary.engine,
            "baselines": baselines,
            "peak_rss": peak,
            "peak_rss_children": peak_children,
            "rss_end": _rss_now(),
            "peak_rss_at_start": rss_start,
            "model_version": _model_version(model),
        }
    )
    return result


def _model_version(model) -> str:
    """As pipeline.nlp.model_version, read from meta.json (loading the model here would change peak RSS)."""
    if not model:
        return "rules-only"
    try:
        meta = json.loads((Path(model) / "meta.json").read_text())
    except (OSError, ValueError):
        return "unknown"
    return f"{meta.get('name', 'model')}-{meta.get('version', '0')}"


def _texts(corpus: str) -> list[str]:
    from pipeline.ingest import read_documents, scan_corpus

    texts = []
    for f in scan_corpus(corpus):
        if f.sha256 is None:
            continue
        try:
            texts.extend(src.text for src in read_documents(f.abs_path))
        except Exception:  # noqa: BLE001 - the extract run reports these as error rows
            pass
    return texts


def cmd_baseline(args) -> dict:
    """The baselines alone, in their own process (a freshly loaded model, tok2vec + ner only)."""
    import spacy

    texts = _texts(args.corpus)
    result: dict = {"words": sum(len(t.split()) for t in texts), "documents": len(texts)}
    model = Path(args.model) if args.model else None
    if model is not None and model.is_dir():
        config = spacy.util.load_config(model / "config.cfg")
        names = config["nlp"]["pipeline"]
        factories = {name: config["components"][name].get("factory", "") for name in names}
        nlp = spacy.load(model, exclude=[n for n in names if n not in model_pipes(names, factories)])
        for _ in nlp.pipe(texts[:2], batch_size=1):
            pass
        for kind, bare in (("model", bare_model), ("ner", bare_ner)):
            by_size = {bs: bare(nlp, texts, bs) for bs in args.ner_batch_sizes}
            result[f"{kind}_by_batch_size"] = by_size
            result[kind] = min(by_size.values(), key=lambda b: b["cpu"])
    else:
        from pipeline.tokenizer import blank_nlp

        nlp = blank_nlp()
    result["tokenizer"] = bare_tokenizer(nlp, texts)
    result["peak_rss"] = peak_rss_bytes()
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["extract", "baseline"])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out")
    ap.add_argument("--model")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--engine", default="local")
    ap.add_argument("--batch-files", type=int, default=16)
    ap.add_argument("--no-components", dest="components", action="store_false")
    ap.add_argument(
        "--ner-batch-sizes",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[1, 4, 32],
        help="bare model and bare NER: nlp.pipe minibatch sizes tried (the fastest is the baseline)",
    )
    ap.add_argument("--profile")
    ap.add_argument("--json", required=True)
    args = ap.parse_args(argv)
    result = cmd_extract(args) if args.what == "extract" else cmd_baseline(args)
    result["loadavg"] = os.getloadavg()
    Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
