# Zhenwu — the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
ZW := $(VENV)/bin/zhenwu
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= 1
PYTEST_ARGS ?=
# pytest-xdist workers: one per core (each gets its own test database and live server).
PYTEST_WORKERS ?= auto

.PHONY: demo serve test test-postgres test-browser bench lint messages install install-test clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The demo runs on your own machine with no SMS gateway: it opts out of two production refusals, visibly.
# SMS (with their codes) print in this terminal; the development SECRET_KEY signs the sessions.
DEMO_ENV := ZHENWU_ALLOW_DEV_SECRET_KEY=1 ZHENWU_ALLOW_INSECURE_SMS=1 ZHENWU_SMS_BACKEND=console

demo: export ZHENWU_ALLOW_DEV_SECRET_KEY = 1
demo: export ZHENWU_ALLOW_INSECURE_SMS = 1
demo: export ZHENWU_SMS_BACKEND = console
demo: install
	@echo "demo settings: $(DEMO_ENV)"
	$(ZW) migrate --no-input
	$(ZW) demo --seed $(SEED)
	$(ZW) serve --host $(HOST) --port $(PORT) --demo

serve: install
	$(ZW) migrate --no-input
	$(ZW) serve --host $(HOST) --port $(PORT)

# The whole suite on SQLite; PostgreSQL and browser tests join where DATABASE_URL / chromium exist.
test: install-test
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

bench: install-test
	$(PY) -m benchmarks

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy zhenwu
	$(VENV)/bin/lint-imports --no-cache

# Developers only (needs GNU gettext): refresh the catalogue, translate, then compile.
messages: install-test
	cd zhenwu && ../$(ZW) makemessages -l zh_Hans --no-obsolete --no-location --ignore 'static/*'
	cd zhenwu && ../$(ZW) compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) var staticfiles
