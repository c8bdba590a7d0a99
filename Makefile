# Two commands for a newcomer (see README):
#   make demo   set up, generate demo data if none, build every asset, print a summary
#               (demo and dagster use the public development pseudonym key unless
#               CDP_PSEUDONYM_KEY is set; see README "Privacy and erasure")
#   make test   set up, lint, and run every test (this is what CI runs)
#   make dashboard   the Customer-360 dashboard on the published warehouse (WAREHOUSE_PATH)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | sha256sum | cut -c1-12)

export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup demo test lint dagster dashboard browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,spark]'
	@rm -f $(VENV)/.installed-* && touch $@

demo: setup
	@mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	CDP_PSEUDONYM_DEV_KEY=1 $(PY) -m orchestration run $(if $(PERSONS),--persons $(PERSONS),)

lint: setup
	$(VENV)/bin/ruff check orchestration dashboard tests benchmarks
	$(VENV)/bin/ruff format --check orchestration dashboard tests benchmarks

# Debian's Chromium for the dashboard's browser test (tests/test_dashboard.py drives it
# with Playwright; browsers cannot be downloaded, so never `playwright install`)
browser:
	@command -v chromium >/dev/null || { as_root=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$as_root apt-get update -qq && \
		$$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: setup lint browser
	$(PY) -m orchestration parse
	$(PY) -m pytest

dagster: setup
	@mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	$(PY) -m orchestration parse
	CDP_PSEUDONYM_DEV_KEY=1 $(VENV)/bin/dagster dev -m orchestration.definitions

# WAREHOUSE_PATH (default ./warehouse.duckdb) is the published file `make demo` writes
dashboard: setup
	CDP_PSEUDONYM_DEV_KEY=1 CDP_DASHBOARD_WAREHOUSE=$${WAREHOUSE_PATH:-warehouse.duckdb} \
		$(PY) -m streamlit run dashboard/app.py --server.port $${DASHBOARD_PORT:-8501}

clean:
	rm -rf target logs warehouse.duckdb data .dagster_home
