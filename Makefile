# Anjian: `make run` sets everything up and serves the demo; `make test` sets up and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
# The environment's interpreter: Debian's own Python 3.11 where there is one (built with PGO and LTO,
# it spends 10-15 % less CPU on a request or a test than a plain build such as pyenv's:
# docs/performance.md), else the first python3 on the PATH. `make setup` rebuilds .venv when it changes.
VENV_PYTHON ?= $(or $(wildcard /usr/bin/python3.11),$(shell command -v $(PYTHON)))
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export UV_LINK_MODE ?= copy

.PHONY: run dev test setup system-deps uv python-deps npm-deps assets static migrate demo lint format messages clean

# `make run` serves as production does (DEBUG off, the product's error pages, static files from the
# app, gunicorn), over plain http on this machine only; `make dev` is Django's autoreloading server.
# The address in the links of notices and reminders (SITE_URL): this machine at PORT unless set.
SITE := SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}
EMBEDDED := DEBUG=false ANJIAN_EMBEDDED=true $(SITE)
# The installation's own secret key (var/secret_key) for every command on the embedded database:
# the values encrypted with it (webhooks, tip contacts, ID numbers) and their blind indexes are
# written by the demo and read by the server, the worker and `make dev` alike.
LOCAL := ANJIAN_EMBEDDED=true $(SITE)
GUNICORN_LOCAL := GUNICORN_WORKERS=$${GUNICORN_WORKERS:-2} PORT=$(PORT)

# Beside gunicorn: the task worker (notifications' deliveries) and the periodic scan (due, overdue,
# escalation), both in the background of this one shell and stopped when gunicorn stops (docs/deployment.md).
run: setup migrate demo static
	@$(LOCAL) $(PY) manage.py demo_accounts --url http://127.0.0.1:$(PORT)/
	@$(EMBEDDED) $(PY) manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	$(EMBEDDED) $(PY) manage.py notify_scan --every 300 >/dev/null & scanner=$$!; \
	trap 'kill $$worker $$scanner 2>/dev/null; wait $$worker $$scanner 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(EMBEDDED) $(GUNICORN_LOCAL) $(VENV)/bin/gunicorn -c src/anjian/gunicorn.conf.py anjian.wsgi

dev: setup migrate demo
	@$(LOCAL) $(PY) manage.py demo_accounts --url http://127.0.0.1:$(PORT)/
	$(LOCAL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: system-deps setup
	$(PY) scripts/run_tests.py

# The Debian packages the tests need (PostgreSQL, Chromium, fonts, LibreOffice…), installed when missing.
system-deps:
	@bash scripts/system_deps.sh

static: assets
	$(EMBEDDED) $(PY) manage.py collectstatic --noinput -v0

setup: python-deps npm-deps assets messages

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv

python-deps: uv
	$(UV) sync --frozen --quiet --python $(VENV_PYTHON)

npm-deps:
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; fi

assets: npm-deps
	node scripts/build_assets.mjs

messages: python-deps
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; fi

migrate:
	$(LOCAL) $(PY) manage.py migrate --noinput -v0

demo:
	$(LOCAL) $(PY) manage.py seed_demo

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules src/anjian/static/vendor var/static
