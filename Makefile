# Everyday targets. `make demo` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint format bench check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@ $(RUN_STAMP)

demo: $(RUN_STAMP)
	$(BIN)/oso-tui demo

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -n 2 -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check oso_tui tests benchmarks
	$(BIN)/ruff format --check oso_tui tests benchmarks
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format oso_tui tests benchmarks
	$(BIN)/ruff check --fix oso_tui tests benchmarks

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks.run

check: lint test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
