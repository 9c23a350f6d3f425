# The two commands of the README: `make run` and `make test`. Everything else is a step.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py

.PHONY: run test install assets messages prepare lint format migrations-check lock bench load clean help

help:
	@echo "make run    set up everything and serve the portal with demo data on http://127.0.0.1:$(PORT)/"
	@echo "make test   install what is missing and run the whole test suite"

# --- installation (each step re-runs only when its lock file changed) ----------------------------
$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	@touch $@

node_modules/.installed: package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are needed for the front-end packages"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.env:
	cp .env.example .env

install: $(VENV)/.installed node_modules/.installed .env

messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

assets: install
	$(MANAGE) collectstatic --noinput -v0

# Idempotent: safe to run on every start.
prepare: messages assets
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable
	$(MANAGE) seed_demo
	$(MANAGE) ensure_demo_staff

# --- the two README commands --------------------------------------------------------------------
run: prepare
	PORT=$(PORT) bin/serve

test: messages
	$(PY) -m pytest -q

# --- developer tools ----------------------------------------------------------------------------
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

makemessages: install
	$(MANAGE) makemessages -l fa -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles

# Regenerate the lock files after a change of pyproject.toml.
lock: install
	$(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --strip-extras --extra dev --no-emit-index-url --no-emit-find-links -o requirements-dev.lock pyproject.toml

# The pages under load, then the quarterly report on the full synthetic load in PostgreSQL
# (made once, about a quarter of an hour, then reused: benchmarks/report_load.py).
bench: messages
	$(PY) -m benchmarks
	$(PY) -m benchmarks.report

# 200 citizens for 60 s against gunicorn + PostgreSQL, then a check that every acknowledged
# complaint is stored exactly once (docs/load-test.md). Not part of `make test`.
load: messages
	$(PY) benchmarks/load.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest-db.sqlite3*
