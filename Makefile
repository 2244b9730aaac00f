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
# The suite runs on every core (pytest-xdist), a test file per worker so its module fixtures
# are built once; TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
PYTEST_PARALLEL := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)
# Apache Superset (make superset): its own venv, and the demo loaded into PostgreSQL for it.
SUPERSET_VENV := .venv-superset
SUPERSET_PG ?= postgresql://postgres@127.0.0.1:5432/bma_demo
SUPERSET_BI_URL ?= postgresql://bma_bi_reader@127.0.0.1:5432/bma_demo

.PHONY: setup demo test test-fast lint format dev clean dbt-manifest dbt-sources system-packages \
	superset superset-stop superset-venv superset-lock superset-warehouse superset-bundle bench

# Debian packages the reports need: chromium (browser tests) and a Thai font (PDF, screenshots).
# Installed only when missing; `apt-get update` only when the install fails without it.
SYSTEM_PACKAGES := chromium fonts-thai-tlwg
APT_GET := env DEBIAN_FRONTEND=noninteractive apt-get

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

# Installs exactly what requirements.lock says, then the project itself (editable).
# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set (these machines, CI),
# Python never caches it, and every process (each dbt invocation, each CLI run) compiled
# dagster, dbt and pandas again: importing the code location took 7.2 s, with it 3.7 s.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(UV) pip sync --compile-bytecode --python $(BIN)/python requirements.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	touch $@

# The dbt manifest is prepared here, never at import time of the code location.
dbt_project/target/manifest.json: $(VENV)/.installed $(shell find dbt_project/models dbt_project/macros dbt_project/tests dbt_project/dbt_project.yml -type f 2>/dev/null)
	mkdir -p $(DATA)
	PATH=$(CURDIR)/$(BIN):$$PATH BMA_DUCKDB_PATH=$(abspath $(DATA))/.parse.duckdb \
	  $(BIN)/dagster-dbt project prepare-and-package --file bma_pipeline/defs/transform/project.py
	touch $@

# dbt's source YAML for the ledger is generated from the column registry (bma_pipeline/columns.py).
dbt-sources: $(VENV)/.installed
	$(BIN)/python -c "from bma_pipeline.columns import write_dbt_sources; write_dbt_sources()"

system-packages:
	@if command -v chromium >/dev/null && fc-list :lang=th family | grep -q .; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then \
	  echo "warning: cannot install $(SYSTEM_PACKAGES) (not root, no sudo): browser tests will skip" >&2; \
	  exit 0; fi; \
	SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$SUDO $(APT_GET) install -y --no-install-recommends $(SYSTEM_PACKAGES) \
	  || { $$SUDO $(APT_GET) update && $$SUDO $(APT_GET) install -y --no-install-recommends $(SYSTEM_PACKAGES); }

setup: system-packages $(VENV)/.installed dbt_project/target/manifest.json

lock:
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

demo: setup $(DATA)/dagster_home/dagster.yaml
	$(BIN)/bma-pipeline generate --fiscal-year $(FISCAL_YEAR) --periods $(PERIODS) --seed $(SEED) --out $(DATA)/landing
	DAGSTER_HOME=$(abspath $(DATA))/dagster_home $(BIN)/bma-pipeline run --landing $(DATA)/landing \
	  --warehouse $(DATA)/warehouse.duckdb --reports $(DATA)/reports --as-of $(DEMO_AS_OF) --pdf
	@echo "Dagster UI with this run: make dev  →  http://127.0.0.1:3000"

# Superset's own venv (it pins SQLAlchemy 1.4 and pandas 2.1): exactly bi/superset/requirements.lock.
$(SUPERSET_VENV)/.installed: bi/superset/requirements.lock | $(VENV)/.installed
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(SUPERSET_VENV)
	$(UV) pip sync --compile-bytecode --python $(SUPERSET_VENV)/bin/python bi/superset/requirements.lock
	touch $@

superset-venv: $(SUPERSET_VENV)/.installed

superset-lock:
	$(UV) pip compile bi/superset/requirements.txt --python-version 3.11 -o bi/superset/requirements.lock

# The demo's landing folder loaded into PostgreSQL (published to `bi`, granted to bma_bi_reader).
# Once; `make superset-warehouse` reloads (ingest is idempotent, dbt rebuilds).
$(DATA)/superset/warehouse.loaded:
	$(MAKE) superset-warehouse

superset-warehouse: setup
	@[ -d $(DATA)/landing ] || $(BIN)/bma-pipeline generate --fiscal-year $(FISCAL_YEAR) \
	  --periods $(PERIODS) --seed $(SEED) --out $(DATA)/landing
	$(BIN)/python -m bma_tools.superset.provision create-database $(SUPERSET_PG)
	mkdir -p $(DATA)/dagster_home $(DATA)/superset
	DAGSTER_HOME=$(abspath $(DATA))/dagster_home $(BIN)/bma-pipeline run --landing $(DATA)/landing \
	  --warehouse $(SUPERSET_PG) --reports $(DATA)/reports_pg --as-of $(DEMO_AS_OF)
	touch $(DATA)/superset/warehouse.loaded

# Superset on http://127.0.0.1:8088 with the executive dashboard; prints the URL and the login.
superset: setup $(SUPERSET_VENV)/.installed $(DATA)/superset/warehouse.loaded
	BMA_SUPERSET_HOME=$(abspath $(DATA))/superset BMA_SUPERSET_WAREHOUSE=$(SUPERSET_BI_URL) \
	BMA_SUPERSET_DUCKDB=$(abspath $(DATA))/warehouse.bi.duckdb bi/superset/superset.sh up

superset-stop:
	BMA_SUPERSET_HOME=$(abspath $(DATA))/superset bi/superset/superset.sh stop

# bi/superset/bundle/ as Superset's own export: the definition (bma_tools/superset/bundle.py)
# imported into a scratch Superset (temporary metadata, no warehouse), exported and normalised.
superset-bundle: setup $(SUPERSET_VENV)/.installed
	$(BIN)/python -m bma_tools.superset.export --out bi/superset/bundle

# The Superset tests run too: its venv is part of the test set-up (a uv cache makes it seconds);
# chromium comes with `setup` (system-packages).
test: setup $(SUPERSET_VENV)/.installed
	$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# The inner loop: no PostgreSQL, no browser, no Superset (bma_pipeline_tests/bi/), no slow
# end-to-end runs; no Superset venv needed. PYTEST_ARGS narrows it (a path, -k); a selection
# left empty is an error with a message, not pytest's silent exit code 5.
FAST_MARKERS := not postgres and not browser and not superset and not slow
test-fast: setup
	@$(BIN)/pytest $(PYTEST_PARALLEL) -m "$(FAST_MARKERS)" --ignore=bma_pipeline_tests/bi $(PYTEST_ARGS); status=$$?; \
	if [ $$status = 5 ]; then echo "make test-fast: no test selected (-m \"$(FAST_MARKERS)\" $(PYTEST_ARGS))" >&2; exit 1; fi; \
	exit $$status

# Benchmarks against a plain-DuckDB baseline (never part of `make test`); results in
# benchmarks/results/. BENCH_SCALES: any of bangkok bangkok10 nationwide (default all three).
BENCH_SCALES ?= bangkok bangkok10 nationwide
bench: setup
	BENCH_SCALES="$(BENCH_SCALES)" $(BIN)/python -m benchmarks.run --work $(DATA)/bench

lint: $(VENV)/.installed
	$(BIN)/ruff check bma_pipeline bma_sample bma_tools bma_pipeline_tests benchmarks
	$(BIN)/ruff format --check bma_pipeline bma_sample bma_tools bma_pipeline_tests benchmarks

format:
	$(BIN)/ruff format bma_pipeline bma_sample bma_tools bma_pipeline_tests benchmarks
	$(BIN)/ruff check --fix bma_pipeline bma_sample bma_tools bma_pipeline_tests benchmarks

# Local Dagster instance of the demo and `make dev`: default storage, no usage statistics sent,
# run monitoring on (deploy/dagster.local.yaml says why).
$(DATA)/dagster_home/dagster.yaml: deploy/dagster.local.yaml
	mkdir -p $(@D)
	cp $< $@

dev: setup $(DATA)/dagster_home/dagster.yaml
	BMA_WAREHOUSE=$(abspath $(DATA))/warehouse.duckdb BMA_LANDING_DIR=$(abspath $(DATA))/landing \
	BMA_REPORTS_DIR=$(abspath $(DATA))/reports DAGSTER_HOME=$(abspath $(DATA))/dagster_home \
	$(BIN)/dagster dev -w workspace.yaml

clean:
	rm -rf $(DATA) dbt_project/target dbt_project/logs
