# ifex-alerts: `make run` sets up and runs the pipeline, `make test` sets up and tests.
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data
PORT ?= 8001
export IFEX_ALERTS_DATA ?= $(DATA)
export DAGSTER_HOME ?= $(abspath $(DATA))/dagster

.PHONY: setup run backfill serve test ui bench bench-scale bench-load model-card lint browser postgres deploy-check clean audit

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

setup: $(VENV)/.synced

## Backfill 1995-01 → this month on the sample archive, publish, then serve Datasette.
run: backfill serve

backfill: setup
	$(BIN)/ifex-alerts backfill --data-dir $(DATA)

serve: setup
	$(BIN)/ifex-alerts serve --data-dir $(DATA) --port $(PORT)

## Headless Chromium for the browser tests (Debian's package; skipped where apt is absent).
browser:
	@command -v chromium >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
	  [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium not installed: browser tests will be skipped"; }

## PostgreSQL for the deployment tests (Debian's package; skipped where apt is absent).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
	  [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) \
	  || echo "postgresql not installed: deployment tests will be skipped"; }

## The production setup on this machine: Postgres, the S3-compatible bucket, the webserver,
## the daemon and the code server, a backfill through GraphQL, the compose file's validity.
deploy-check: setup postgres
	$(BIN)/python -m pytest -m deploy -v

test: setup browser postgres
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/python -m pytest

## pip-audit of uv.lock (also part of `make test`): skips, saying why, where PyPI's
## vulnerability data cannot be reached; fails on a vulnerability not ignored with a reason.
audit: setup
	$(BIN)/python -m pytest tests/test_dependency_audit.py -rs

ui: setup
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: setup
	$(BIN)/python -m bench

## The whole backfill stage by stage at SCALE× (15: ~950k alerts; hours on 2 cores, case
## linking the longest: warehouse/README.md): wall time and peak RSS of sources, enrichment,
## warehouse, cases, release, SQLite.
SCALE ?= 15
bench-scale: setup
	$(BIN)/python -m bench.bench_scale --pipeline --scale $(SCALE)

## 200 clients for 60 s on the ×15 bench database (built from $(DATA)/lake: `make backfill`).
bench-load: setup
	$(BIN)/python -m bench.bench_load --data-dir $(DATA) $(BENCH_LOAD_ARGS)

model-card: setup
	$(BIN)/ifex-alerts model-card

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(DATA)
