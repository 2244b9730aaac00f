# One entry point. `make demo` and `make test` set everything up from the lock file.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.9
DATA ?= data
FISCAL_YEAR ?= 2566
PERIODS ?= 1-3
SEED ?= 7
# Simulated "now" for the demo: shortly after period 3's deadline of FY2566.
DEMO_AS_OF ?= 2023-04-20T09:00:00
PYTEST_ARGS ?=

.PHONY: setup demo test lint format dev clean dbt-manifest bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

# Installs exactly what requirements.lock says, then the project itself (editable).
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(UV) pip sync --python $(BIN)/python requirements.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	touch $@

# The dbt manifest is prepared here, never at import time of the code location.
dbt_project/target/manifest.json: $(VENV)/.installed $(shell find dbt_project/models dbt_project/macros dbt_project/dbt_project.yml -type f 2>/dev/null)
	mkdir -p $(DATA)
	PATH=$(CURDIR)/$(BIN):$$PATH BMA_DUCKDB_PATH=$(CURDIR)/$(DATA)/.parse.duckdb \
	  $(BIN)/dagster-dbt project prepare-and-package --file bma_pipeline/defs/transform/project.py
	touch $@

setup: $(VENV)/.installed dbt_project/target/manifest.json

lock:
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

demo: setup
	$(BIN)/bma-pipeline generate --fiscal-year $(FISCAL_YEAR) --periods $(PERIODS) --seed $(SEED) --out $(DATA)/landing
	mkdir -p $(DATA)/dagster_home
	DAGSTER_HOME=$(CURDIR)/$(DATA)/dagster_home $(BIN)/bma-pipeline run --landing $(DATA)/landing \
	  --warehouse $(DATA)/warehouse.duckdb --reports $(DATA)/reports --as-of $(DEMO_AS_OF)
	@echo "Dagster UI with this run: make dev  →  http://127.0.0.1:3000"

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

# Benchmarks against a plain-DuckDB baseline (never part of `make test`); results in
# benchmarks/results/. BENCH_SCALES: any of bangkok bangkok10 nationwide (default all three).
BENCH_SCALES ?= bangkok bangkok10 nationwide
bench: setup
	BENCH_SCALES="$(BENCH_SCALES)" $(BIN)/python -m benchmarks.run --work $(DATA)/bench

lint:
	$(BIN)/ruff check bma_pipeline bma_pipeline_tests benchmarks
	$(BIN)/ruff format --check bma_pipeline bma_pipeline_tests benchmarks

format:
	$(BIN)/ruff format bma_pipeline bma_pipeline_tests benchmarks
	$(BIN)/ruff check --fix bma_pipeline bma_pipeline_tests benchmarks

dev: setup
	BMA_WAREHOUSE=$(CURDIR)/$(DATA)/warehouse.duckdb BMA_LANDING_DIR=$(CURDIR)/$(DATA)/landing \
	BMA_REPORTS_DIR=$(CURDIR)/$(DATA)/reports DAGSTER_HOME=$(CURDIR)/$(DATA)/dagster_home \
	$(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf $(DATA) dbt_project/target dbt_project/logs
