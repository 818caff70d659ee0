"""Checks before a run writes anything: the corpus folder, the output folder, the model.

    check_corpus(corpus)                   CorpusMissing unless it is a folder that can be listed
    check_out(out)                         OutputError unless the tables can be written there (nothing is left behind)
    resolve_model(option, rules_only)      the model folder to use, or None for rules only; ModelError if missing

The model is --model, else $MINUTES_MODEL, else models/cnn of this repository (`paths.DEFAULT_MODEL`), never a
path relative to wherever the command happens to run. Without a model the tables hold sections and meeting
metadata only, which is rarely what anyone wants: that takes --rules-only, and a missing model is an error.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..errors import CorpusMissing, ModelError, OutputError, UsageError
from ..paths import DEFAULT_MODEL

MODEL_ENV = "MINUTES_MODEL"


def check_corpus(corpus: Path) -> None:
    if not corpus.exists():
        raise CorpusMissing(f"corpus folder {corpus} does not exist: give the folder that holds the minutes")
    if not corpus.is_dir():
        raise CorpusMissing(f"{corpus} is a file, not a folder: give the folder that holds the minutes")
    try:
        with os.scandir(corpus):
            pass
    except OSError as exc:
        raise CorpusMissing(
            f"cannot list the corpus folder {corpus} ({exc.strerror or exc}): give a folder you can read"
        ) from None


def check_out(out: Path) -> None:
    """The tables can be written under `out` (made if missing). Probed with a temporary file or folder that is
    removed again, so a run refused later (a bad manifest) leaves nothing behind."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is a file, not a folder: give a folder for the tables (made if missing)")
    existing = out
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"--out {out}: {existing} is a file, so no folder can be made there: give another folder")
    try:
        if existing == out:
            handle, probe = tempfile.mkstemp(prefix=".probe-", dir=out)
            os.close(handle)
            os.unlink(probe)
        else:
            os.rmdir(tempfile.mkdtemp(prefix=".probe-", dir=existing))
    except OSError as exc:
        where = "" if existing == out else f" (no folder can be made in {existing})"
        raise OutputError(
            f"cannot write to --out {out}{where}: {exc.strerror or exc}; give a folder you can write to"
        ) from None


def check_model(path: Path, source: str) -> None:
    """A trained spaCy pipeline folder: meta.json (valid JSON) and config.cfg."""
    if not path.exists():
        raise ModelError(
            f"no trained model at {path} ({source}): train one (`make train`), name one with --model DIR or "
            f"{MODEL_ENV}, or run with --rules-only for sections and meeting metadata only"
        )
    if not (path / "meta.json").is_file() or not (path / "config.cfg").is_file():
        raise ModelError(
            f"{path} ({source}) is not a trained model (no meta.json and config.cfg in it): give the folder "
            "`minutes train` wrote, e.g. models/cnn, or run with --rules-only"
        )
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"{path / 'meta.json'} cannot be read ({exc}): retrain the model (`make train`), or give another "
            "with --model"
        ) from None
    if not isinstance(meta, dict):
        raise ModelError(f"{path / 'meta.json'} is not a model's meta.json: retrain the model (`make train`)")


def resolve_model(option: Path | None, rules_only: bool, environ: dict | None = None) -> Path | None:
    """The model folder a run uses (checked), or None with --rules-only."""
    environ = os.environ if environ is None else environ
    if rules_only:
        if option is not None:
            raise UsageError("--rules-only and --model together: give one of them")
        return None
    if option is not None:
        path, source = option, "--model"
    elif environ.get(MODEL_ENV, "").strip():
        path, source = Path(environ[MODEL_ENV].strip()).expanduser(), MODEL_ENV
    else:
        path, source = DEFAULT_MODEL, "the default model"
    check_model(path, source)
    return path
