# Practica: `make run` serves a working site with demo data; `make test` runs every check.
# Both work on a fresh machine: they create the virtualenv and install what they need.

PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
SQLITE_SMOKE_DB := $(CURDIR)/var/smoke.sqlite3
# The embedded default: DEBUG on, SQLite under var/, Celery tasks run eagerly.
RUN_ENV := DEBUG=1

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-dates test-properties lint typecheck unit smoke install install-dev browser messages lock clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed node_modules/.installed browser

browser:
	@scripts/ensure-chromium

run: install
	mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.dev-installed
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	@# The repository stands alone: no tracked file may send a reader or a test outside it.
	@! git grep -n -I -e '\.\.[/]shared' -e 'ARCHITECTURE[.]md' -e 'STYLE[.]md' -- . || \
		(echo 'These lines point outside the repository: use docs/ and tests/data/' && false)
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	git diff --exit-code -- '*.mo' || (echo "Compiled catalogues (.mo) are out of date: run make messages" && false)

typecheck: $(VENV)/.dev-installed
	DEBUG=1 $(VENV)/bin/mypy .

# The whole suite against PostgreSQL (DATABASE_URL, default the local `test` database) and Redis.
unit: install-dev
	$(PY) -m pytest --create-db $(PYTEST_ARGS)

# The smoke subset against SQLite and a local-memory cache: the embedded default keeps working.
smoke: install-dev
	rm -f $(SQLITE_SMOKE_DB)
	DATABASE_URL=sqlite:///$(SQLITE_SMOKE_DB) CACHE_URL=locmemcache://smoke \
		$(PY) -m pytest -m smoke --create-db $(PYTEST_ARGS)

test: lint typecheck unit smoke

# The whole suite at the end of a month, on 29 February, at 31 December 23:30 UTC and in a zone far
# from UTC (scripts/test-on-dates); not part of `make test`: it takes five runs.
test-dates: install-dev
	scripts/test-on-dates $(PYTEST_ARGS)

# The property-based and fuzz tests alone, searching deeper than in `make test` (25 examples
# each, the same every run): PROPERTY_EXAMPLES=1000 PROPERTY_RANDOM=1 make test-properties.
test-properties: install-dev
	$(PY) -m pytest --create-db tests/properties $(PYTEST_ARGS)

messages: $(VENV)/.dev-installed
	DEBUG=1 $(PY) manage.py makemessages --all --ignore=.venv --ignore=node_modules --ignore=var
	@# Serbian Latin is written from Serbian Cyrillic, never by hand.
	$(PY) scripts/transliterate-serbian
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# Re-pin dependencies after editing pyproject.toml.
lock: $(VENV)/.dev-installed
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements/base.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra dev -o requirements/dev.txt pyproject.toml

clean:
	rm -rf $(VENV) node_modules var
