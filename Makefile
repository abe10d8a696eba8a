# Jangkau — the two commands on a fresh machine:
#   make run    install into .venv, create the database, load Kutai Timur, serve on :8000
#   make test   install the test dependencies and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
VAR    ?= $(CURDIR)/var
STAMP  := $(VENV)/.installed

export JANGKAU_DATA_DIR ?= $(VAR)

.PHONY: run test test-postgres bench lint install messages clean help

help:
	@echo "make run            install, load Kutai Timur, serve http://$(HOST):$(PORT) with a task worker"
	@echo "make test           install test dependencies and run the whole suite (SQLite)"
	@echo "make test-postgres  run the whole suite against PostgreSQL"
	@echo "make bench          run the benchmarks (docs/benchmarks.md)"
	@echo "make lint           ruff"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

$(VAR)/secret_key:
	mkdir -p $(VAR)
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

run: $(STAMP) $(VAR)/secret_key
	JANGKAU_SECRET_KEY_FILE=$(VAR)/secret_key $(BIN)/jangkau setup
	@echo "Jangkau: http://$(HOST):$(PORT)  (Ctrl-C stops the server and the task worker)"
	@JANGKAU_SECRET_KEY_FILE=$(VAR)/secret_key sh -c '\
	  $(BIN)/jangkau db_worker --interval 1 & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/jangkau runserver --insecure --noreload $(HOST):$(PORT)'

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q

test-postgres: $(STAMP)
	$(BIN)/python scripts/with_postgres.py $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

messages: $(STAMP)
	cd src/jangkau && ../../$(BIN)/django-admin makemessages -l id -l en --no-obsolete && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) $(VAR) build *.egg-info
