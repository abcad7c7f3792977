# compute-limits: `make demo` (offline run) and `make test` (the whole suite) on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint fixtures bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Install, then run the pipeline on the bundled offline corpus (no network). Its papers are synthetic:
## they are fitted on their own (--include-synthetic), never pooled with real points.
demo: $(STAMP)
	$(BIN)/compute-limits ingest --offline --include-synthetic

## Install, then run the lint and type checks and the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## Regenerate the offline corpus in fixtures/ (deterministic).
fixtures: $(STAMP)
	$(BIN)/python fixtures/generate.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) data reports .pytest_cache .ruff_cache
