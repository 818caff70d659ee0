"""Where things live in the repository: the one place that turns `__file__` into repository paths.

Training, evaluation and the model card read and write these folders; the CLI uses them as defaults.
Standard library only, so the annotation checker (`python -m pipeline.training.markup`) runs before install.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "pipeline"
CONFIGS = PACKAGE / "configs"  # spaCy training configs, <model>.cfg
PATTERNS = PACKAGE / "patterns"  # rule files for sections, meeting metadata and document starts
ANNOTATIONS = REPO / "annotations"  # gold .ann files: seeds/ (real documents) and written/ (written for training)
BUILD = ANNOTATIONS / "build"  # gold.jsonl, DocBins per split and summary.json, made from the .ann files
MODELS = REPO / "models"  # trained pipelines models/<model>/, leave-one-out folds, the model card
DEFAULT_MODEL = MODELS / "cnn"  # what `minutes extract` uses unless --model or MINUTES_MODEL names another
CORPUS = REPO / "corpus"  # the sample minutes
NOTEBOOKS = REPO / "notebooks"
