# minutes-ie. Every target depends on real files, so only what changed is rebuilt.
# `make extract` and `make test` do all their own set-up on a fresh machine (Python 3.11).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
CORPUS ?= corpus
OUT    ?= data/extracted
MODEL  ?= cnn
WORKERS ?= 1
MODEL_DIR := models/$(MODEL)
BUILD  := annotations/build
ANNOTATIONS := $(sort $(wildcard annotations/seeds/*.ann annotations/written/*.ann))
GOLD_CODE := pipeline/training/markup.py pipeline/training/build.py pipeline/tokenizer.py
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1

.PHONY: help extract test lint train evaluate bench notebooks dictionary clean-venv

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

$(VENV)/.installed-trf: $(STAMP)
	$(BIN)/pip install -q -e ".[dev,trf]"
	touch $@

VENV_DEPS := $(STAMP) $(if $(filter trf,$(MODEL)),$(VENV)/.installed-trf)

# --- annotations -> DocBins -------------------------------------------------
$(BUILD)/gold.jsonl: $(ANNOTATIONS) $(GOLD_CODE) | $(STAMP)
	$(BIN)/minutes build-gold --out $(BUILD)

# --- model: trained only when annotations, configs or training code changed ----
$(MODEL_DIR)/meta.json: $(BUILD)/gold.jsonl pipeline/configs/$(MODEL).cfg | $(VENV_DEPS)
	$(BIN)/minutes train --no-rebuild --model $(MODEL) --build $(BUILD) $(if $(FORCE),--force)

train: $(MODEL_DIR)/meta.json  ## retrain when annotations/configs changed, evaluate, keep only a non-regressing model
	$(MAKE) evaluate MODEL=$(MODEL)

evaluate: $(STAMP) | $(MODEL_DIR)/meta.json  ## per-label scores: held-out split and seeds leave-one-out
	$(BIN)/minutes evaluate --model $(MODEL) --build $(BUILD)

# order-only (|): extract trains when no model exists, but retraining is `make train`'s job
extract: $(STAMP) | $(MODEL_DIR)/meta.json  ## run the pipeline over $(CORPUS) into $(OUT)
	$(BIN)/minutes extract $(CORPUS) --out $(OUT) --model $(MODEL_DIR) --workers $(WORKERS)

lint: $(STAMP)  ## ruff: lint and format check (configured in pyproject.toml)
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/ruff format --check pipeline tests benchmarks

test: lint $(STAMP) | $(MODEL_DIR)/meta.json  ## lint, then the whole test suite (trains the model first if none exists)
	$(BIN)/pytest -q

bench: $(STAMP) | $(MODEL_DIR)/meta.json  ## throughput and memory benchmarks -> benchmarks/RESULTS.md
	$(PY) -m benchmarks.run --model $(MODEL_DIR)

notebooks: $(STAMP)  ## execute the notebooks against the sample corpus output, saving outputs
	$(PY) -m pipeline.notebooks --out $(OUT)

dictionary: $(STAMP)  ## regenerate docs/TABLES.md and docs/RULES.md from the schema modules
	$(BIN)/minutes dictionary --out docs/TABLES.md
	$(PY) -m pipeline.rules_reference --out docs/RULES.md

clean-venv:
	rm -rf $(VENV)
