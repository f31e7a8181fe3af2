# motcua — the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell scripts/find-python)
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: help install demo test test-fast test-pg test-e2e test-slow lint typecheck format messages openapi diagrams bench clean

help:
	@echo "make demo      install, migrate, load demo data, serve http://127.0.0.1:8000 with a worker"
	@echo "make test      install, lint, type-check and run the test suite on SQLite"
	@echo "make test-pg   the whole suite (slow tests too) on PostgreSQL (\$$PG_URL)"
	@echo "make test-e2e  browser tests in Chromium (installs Debian's chromium if missing)"

$(UV):
	@test -n "$(PYTHON)" || { echo "Python 3.12+ not found" >&2; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/motcua demo

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: install
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

test: lint typecheck
	$(VENV)/bin/pytest -n 2 -m "not slow and not e2e and not postgres" -q

test-slow: install
	$(VENV)/bin/pytest -m "slow and not e2e" -q

test-pg: install
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n 2 -m "not e2e" -q

test-e2e: install
	scripts/install-chromium
	$(VENV)/bin/pytest -m e2e -q -p no:xdist

messages: install
	cd src/motcua && ../../$(VENV)/bin/python ../../manage.py makemessages -l vi -l en --no-obsolete --ignore 'static/vendor/*'
	cd src/motcua && ../../$(VENV)/bin/python ../../manage.py compilemessages

openapi: install
	$(VENV)/bin/python manage.py export_openapi > docs/openapi.json

diagrams: install
	$(VENV)/bin/python manage.py workflow_diagrams docs/workflows

bench: install
	$(VENV)/bin/python bench/run_all.py

clean:
	rm -rf $(VENV) .tools var/*.sqlite3*
