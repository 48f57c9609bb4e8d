# finlib: `make report` runs the month on the sample data, `make test` runs every test.
# Both create .venv (python3 -m venv + pip) the first time.

PYTHON ?= python3
VENV ?= .venv
DATA ?= data/sample
PERIOD ?= 2017-07
OUT ?= reports/$(PERIOD)
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv report tables site test lint format snapshots mutate bench data-large sample-ledger sample-year sample-kpis

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install finlib with everything it needs

report: $(STAMP) ## run the month on the sample data (PERIOD=2017-07): HTML and PDF pack and tables in reports/PERIOD
	@sh scripts/chromium.sh
	$(BIN)/finlib report --data $(DATA) --period $(PERIOD) --out $(OUT) $$(sh scripts/chromium.sh --pdf-flag)
	$(BIN)/finlib tables --data $(DATA) --period $(PERIOD) --out $(OUT)/tables

SITE ?= build/site

site: $(STAMP) ## the browsable archive of every period published in DATA (HTML, and PDF when Chromium is there) in SITE=build/site
	@sh scripts/chromium.sh
	$(BIN)/finlib site --data $(DATA) --out $(SITE) $$(sh scripts/chromium.sh --pdf-flag)

tables: $(STAMP) ## only the computed tables as CSV, in reports/PERIOD/tables
	$(BIN)/finlib tables --data $(DATA) --period $(PERIOD) --out $(OUT)/tables

bench: $(STAMP) ## benchmarks against peers run in the same script; appends to BENCHMARKS.md
	$(BIN)/python benchmarks/pack.py --data $(DATA) --period $(PERIOD)
	$(BIN)/python benchmarks/pack.py --directorates 29 --repeat 2
	$(BIN)/python benchmarks/pack.py --directorates 100 --no-peer --repeat 2
	$(BIN)/python benchmarks/tables.py
	$(BIN)/python benchmarks/ledger.py
	$(BIN)/python benchmarks/explorer.py
	$(BIN)/python benchmarks/returns.py

test: lint ## the whole test suite (lint, type checks, pytest)
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff and mypy (strict) on finlib and tests
	$(BIN)/ruff check finlib tests
	$(BIN)/ruff format --check finlib tests
	$(BIN)/mypy finlib tests

format: $(STAMP) ## apply ruff's formatting and safe fixes
	$(BIN)/ruff format finlib tests
	$(BIN)/ruff check --fix finlib tests

snapshots: $(STAMP) ## after a deliberate change to what readers see: update tests/__snapshots__ (review the diff)
	$(BIN)/python -m pytest -q tests/test_snapshots.py tests/test_bad_inputs.py --snapshot-update

mutate: $(STAMP) ## mutation testing of money, revenue, capital and commentary (slow; not part of make test)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $$(nproc)
	$(BIN)/mutmut results

ROWS ?= 10000000
LARGE ?= build/large

data-large: $(STAMP) ## a large ledger for the sample (ROWS=10000000) as Parquet in build/large, outside git
	$(BIN)/python benchmarks/make_ledger.py --out $(LARGE) --rows $(ROWS) --format parquet --through 2018-03 --cost-centres 5000

sample-year: $(STAMP) ## regenerate data/sample's 2016-17 year, 2017-18's original budgets and the published periods (deterministic)
	$(BIN)/python scripts/sample_year.py

sample-kpis: $(STAMP) ## regenerate data/sample's performance indicators and their May and July results (deterministic)
	$(BIN)/python scripts/sample_kpis.py

sample-ledger: $(STAMP) ## regenerate the small committed ledger of data/sample (deterministic)
	$(BIN)/python benchmarks/make_ledger.py --rows 1000 --previous-rows 2000
