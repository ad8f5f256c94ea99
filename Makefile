# contract-flow: `make run` and `make test` are the two commands a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-unit lint typecheck bench diagram clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
# the SMIC reference `contract-flow rules check` and the tests read: its YAML files only, not its engine
	$(BIN)/pip install --quiet --no-deps 'openfisca-france>=176.1.8'
	touch $(STAMP)

## run: the embedded default (SQLite file, no server): schema, demo data, the board, then the pages and the API
## with a reminder worker and beat (Ctrl-C stops them), after how to start: the pages' URL, a demo login per role
## and the password, then a fresh API token per demo user. Another port: `make run PORT=8001` (a port in use is
## said in one line). Its files (the database var/contract-flow.sqlite, the broker's queue, caught emails) stay
## in the checkout's var/, not the user's data dir.
PORT ?= $(or $(CONTRACT_FLOW_PORT),8000)
run: export CONTRACT_FLOW_DATA_DIR ?= $(CURDIR)/var
run: $(STAMP)
	$(BIN)/contract-flow db upgrade
	$(BIN)/contract-flow demo
	$(BIN)/contract-flow board
	$(BIN)/contract-flow up --port $(PORT) --welcome

## test: system packages if missing, throwaway PostgreSQL and Redis, the whole suite
test: $(STAMP)
	bash scripts/ensure-system-packages.sh
	$(BIN)/python -m tests.support.servers -- $(BIN)/python -m pytest -p no:cacheprovider

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit -q

lint: $(STAMP)
	$(BIN)/ruff check src workers tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

## bench: each benchmark prints its ratio to a baseline measured in the same run, last
bench: $(STAMP)
	bash scripts/ensure-system-packages.sh
	$(BIN)/python bench/advance.py
	$(BIN)/python bench/rules.py
	$(BIN)/python -m tests.support.servers -- $(BIN)/python bench/reminders.py
	$(BIN)/python -m tests.support.servers -- $(BIN)/python bench/api.py
	$(BIN)/python -m tests.support.servers -- $(BIN)/python bench/web.py
	$(BIN)/python bench/login_flood.py
	$(BIN)/python bench/dossier.py
	$(BIN)/python -m tests.support.servers -- $(BIN)/python bench/tdb.py

diagram: $(STAMP)
	$(BIN)/contract-flow diagram --markdown > docs/state-chart.md

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
