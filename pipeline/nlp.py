"""Build the spaCy pipeline used by `extract`: the trained model when there is one, else rules only.

`load_nlp(model)` builds a fresh pipeline; `cached_nlp(model)` keeps one per model path for the life of
the process, so a worker process (a local worker or a Dask worker, which imports this module by name)
loads the model once and reuses it for every batch it runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import spacy
from spacy.language import Language

# Components the extraction needs after the trained NER, in order; added when a model lacks them.
RULE_COMPONENTS = ("minutes_sections",)
POST_NER_COMPONENTS = ("minutes_titles", "minutes_not_figures", "minutes_normalise", "minutes_relations")
# the first two correct what a trained NER predicted: a rules-only pipeline (no NER) has nothing for them
NER_CORRECTIONS = ("minutes_titles", "minutes_not_figures")


def model_version(nlp: Language) -> str:
    if "ner" not in nlp.pipe_names:
        return "rules-only"
    return f"{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '0')}"


def model_identity(model: str | Path | None) -> str:
    """What `model_version` will say for the pipeline at `model`, read from its meta.json without loading it."""
    meta = Path(model) / "meta.json" if model else None
    if meta is None or not meta.is_file():
        return "rules-only"
    import json

    info = json.loads(meta.read_text(encoding="utf-8"))
    has_ner = "ner" in info.get("pipeline", [])
    return f"{info.get('name', 'model')}-{info.get('version', '0')}" if has_ner else "rules-only"


def _available(factory: str) -> bool:
    try:
        return bool(Language.get_factory_meta(factory))
    except ValueError:
        return False


def load_nlp(model: str | Path | None) -> Language:
    """Load the model from its configured path only (never a package name or a URL)."""
    if model is not None and Path(model).is_dir():
        nlp = spacy.load(Path(model))
    else:
        from .tokenizer import blank_nlp

        nlp = blank_nlp()
    for name in RULE_COMPONENTS:
        if name not in nlp.pipe_names:
            pipe = nlp.add_pipe(name, first=True)
            if hasattr(pipe, "initialize"):
                pipe.initialize()
    for index, name in enumerate(POST_NER_COMPONENTS):
        if name in NER_CORRECTIONS and "ner" not in nlp.pipe_names:
            continue
        if name not in nlp.pipe_names and _available(name):
            # in its place: a model saved before a component existed still runs it where it belongs
            later = next((n for n in POST_NER_COMPONENTS[index + 1 :] if n in nlp.pipe_names), None)
            pipe = nlp.add_pipe(name, before=later) if later else nlp.add_pipe(name)
            if hasattr(pipe, "initialize"):
                pipe.initialize()
    return nlp


_PIPELINES_BY_MODEL: dict[str, Language] = {}


def cached_nlp(model: str | Path | None) -> Language:
    """This process's pipeline for `model`, loaded on first use and kept (one per model path)."""
    key = str(model)
    if key not in _PIPELINES_BY_MODEL:
        _PIPELINES_BY_MODEL[key] = load_nlp(model)
    return _PIPELINES_BY_MODEL[key]


def cache_size() -> int:
    """How many pipelines this process holds (1 in a normal run)."""
    return len(_PIPELINES_BY_MODEL)


def limit_threads() -> None:
    """Worker processes: one thread each for BLAS/torch, so forked workers neither deadlock nor oversubscribe."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:  # torch is only present with the trf extra
        import torch  # noqa: PLC0415

        torch.set_num_threads(1)
    except ImportError:
        pass


def refused_candidate_note(model: str | Path) -> str | None:
    """One line when the last `minutes train` for this model was refused (extract and evaluate say it once)."""
    import json

    note = Path(model).parent / ".candidates" / Path(model).name / "REFUSED.json"
    if not note.is_file():
        return None
    version = json.loads(note.read_text(encoding="utf-8")).get("version", "?")
    return (
        f"note: using the current model {Path(model)}; a newer candidate ({version}) was refused by the guard "
        f"(see {note.parent / 'REFUSED'}; accept it with `minutes accept --model {Path(model).name}`)"
    )
