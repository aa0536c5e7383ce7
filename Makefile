# Panjereh: `make run` (portal with demo agencies) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
MANAGE := $(PY) manage.py
PORT ?= 8000
# What `make run` serves is what we ship: production settings, granian, whitenoise.
RUN_ENV := DJANGO_SETTINGS_MODULE=config.settings.production HTTPS=false PUBLIC_PORT=$(PORT) \
	SECRET_KEY="$$(cat var/secret_key)" TRACKING_KEY="$$(cat var/tracking_key)" PYTHONPATH=platform
# Background jobs: one procrastinate worker beside granian (README: Background jobs).
JOB_WORKER_FLAGS := --concurrency 4 --shutdown-graceful-timeout 10
TEMPLATES := $(shell git ls-files '*.html' 2>/dev/null)

.PHONY: install run test browser lint format migrate demo bench db-stop messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check '.[dev]'
	@rm -rf build *.egg-info $(VENV)/.installed-*
	@touch $@

# Keys generated once (var/ is never committed). `make run` needs var/secret_key, which
# brings var/tracking_key along (order-only: making one never remakes the other).
var/secret_key var/tracking_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(64))" > $@
	@chmod 600 $@
var/secret_key: | var/tracking_key

run: install var/secret_key
	@echo "Migrating the database (embedded PostgreSQL under var/pg unless DATABASE_URL is set)…"
	@$(RUN_ENV) $(MANAGE) migrate_schemas --noinput --verbosity 0
	@$(RUN_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	@$(RUN_ENV) $(MANAGE) seed_demo
	@echo "Serving on port $(PORT) with granian, 2 workers, and a job worker (Ctrl-C stops them)…"
	@# granian's flags are in platform/config/serving.py (also used by tests and benches).
	@# The job worker (procrastinate, every queue, 4 jobs at once) finishes its jobs on the
	@# first SIGINT, for at most 10 s (Ctrl-C reaches it too; as a background job it then
	@# ignores a second one). granian's workers die without their exit hooks: release the
	@# embedded server after.
	@$(RUN_ENV) $(MANAGE) procrastinate worker $(JOB_WORKER_FLAGS) & worker=$$!; \
		trap 'true' INT TERM; $(RUN_ENV) $(PY) -m config.serving --port $(PORT); \
		kill -INT $$worker; wait $$worker; \
		$(RUN_ENV) $(MANAGE) embedded_postgres release

# Two test processes (CI has two cores), each with its own test database; a module's tests
# stay together in one process (its module fixtures are built once).
TEST_WORKERS ?= 2
test: install lint browser
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@# The reports' PDF tests look at the first page as an image (pdftoppm).
	@command -v pdftoppm >/dev/null 2>&1 || { \
		echo "Installing Debian's poppler-utils for the PDF tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

lint: install
	$(VENV)/bin/ruff check .
	PYTHONPATH=platform:. $(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/djhtml --check $(TEMPLATES)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $(TEMPLATES)

migrate: install
	$(MANAGE) migrate_schemas --noinput

demo: migrate
	$(MANAGE) seed_demo

bench: install
	$(PY) bench/onboarding.py --agencies 20

# Needs GNU gettext (apt-get install gettext); the compiled .mo is committed.
messages: install
	$(MANAGE) makemessages -l fa --ignore .venv --ignore var --ignore 'tests/*' --ignore 'bench/*'
	$(MANAGE) compilemessages -l fa --ignore .venv

db-stop: install
	$(MANAGE) embedded_postgres stop

clean:
	rm -rf var/static build *.egg-info
