# All set-up goes through these targets; nothing else is needed on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The PostgreSQL test run: pytest-django creates and drops test_gongkai on this server.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/gongkai
ARTIFACTS := test-artifacts

.PHONY: demo test test-sqlite test-postgresql bench install install-dev postgresql pg-client fonts browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed $(VENV)/.installed-dev

demo: install fonts
	$(BIN)/gongkai migrate --noinput
	$(BIN)/gongkai demo load
	@echo "在浏览器中打开 http://$(HOST)/ （Ctrl-C 停止）"
	$(BIN)/gongkai runserver $(HOST)

# CJK fonts and Pango so WeasyPrint's PDFs render Chinese; from Debian, never fetched at run time.
fonts:
	@if ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || ! ldconfig -p | grep -q libpangoft2-1.0; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	fi
	@# poppler-utils (pdftotext, pdftoppm): the report tests read the PDFs back and render a page to PNG.
	@if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	fi

# Debian's Chromium for the browser tests; installed from the distribution, never downloaded by a tool.
browser: fonts
	@if [ ! -x /usr/bin/chromium ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Start the machine's local cluster when it is down; fail when it stays unreachable.
postgresql:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		echo "PostgreSQL is not running; starting the local cluster"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -n 1) main start || true; \
		for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }
	@pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL at 127.0.0.1:5432 cannot be reached" >&2; exit 1; }

test-sqlite: install-dev browser
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 GONGKAI_TEST_ARTIFACTS=$(ARTIFACTS)/sqlite $(BIN)/pytest

test-postgresql: install-dev browser postgresql pg-client
	DATABASE_URL=$(PG_TEST_URL) GONGKAI_TEST_ARTIFACTS=$(ARTIFACTS)/postgresql $(BIN)/pytest --create-db

test: test-sqlite test-postgresql

# Benchmarks (bench/run.py, README "Benchmarks"): bench databases are built on first use, then reused.
# BENCH_DB_PREFIX names the PostgreSQL bench databases (<prefix>_reports, <prefix>_search, <prefix>_load_<pid>).
BENCH_DB_PREFIX ?= gongkai_bench
BENCH_ARGS ?=
bench: install-dev fonts postgresql pg-client
	GONGKAI_BENCH_DB_PREFIX=$(BENCH_DB_PREFIX) $(BIN)/python -m bench.run $(BENCH_ARGS)

# pg_dump/pg_restore of the server's major version, for gongkai backup/restore on PostgreSQL.
pg-client: postgresql
	@major=$$(psql -h 127.0.0.1 -U postgres -Atc 'SHOW server_version_num' | cut -c1-2); \
	if ! pg_dump --version 2>/dev/null | grep -q " $$major\." && [ ! -x /usr/lib/postgresql/$$major/bin/pg_dump ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client-$$major >/dev/null; \
	fi

clean:
	rm -rf $(VENV) $(ARTIFACTS) build dist *.egg-info
