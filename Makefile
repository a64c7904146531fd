# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The address links in emails point to: the demo's own host and port unless set.
DEMO_SITE_URL = $(or $(SITE_URL),http://$(HOST):$(PORT))
SEED ?= 42
# The demo's emails (invitations, reminders) are written here, one file per run, not to the terminal.
DEMO_EMAIL_DIR ?= var/demo-emails
PYTEST_WORKERS ?= auto
# Each worker takes the next test when it is free, in the order the root conftest.py gives them (long tests
# first), so no worker is left alone with a long test at the end of the run.
PYTEST_DIST := --dist load --maxschedchunk 1
PYTEST_ARGS ?=
# pytest keeps the test modules it has rewritten for its assertions, like Python its bytecode, in __pycache__/
# (which git ignores), unless PYTHONDONTWRITEBYTECODE is set (as CI sets it): then every worker of every run
# parses, rewrites and compiles them all again, about 5 s of CPU time each.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest
PIP := $(BIN)/python -m pip --disable-pip-version-check
# The locked dependencies (exact versions with their hashes, for Python 3.11 on Linux x86_64):
# requirements.txt what production runs, requirements-dev.txt that plus the tools for tests
# and lint. Both are written by `make lock` from pyproject.toml; never edit them by hand.
LOCK := requirements.txt
LOCK_DEV := requirements-dev.txt
UV_COMPILE := $(BIN)/uv pip compile --quiet --generate-hashes --no-strip-markers \
	--python-version 3.11 --python-platform x86_64-unknown-linux-gnu --custom-compile-command 'make lock'
# `make lock` keeps every pinned version it can; `make lock UPGRADE="django celery"` moves the
# named packages to the newest releases pyproject.toml allows, `make lock UPGRADE=all` every one.
UPGRADE ?=
ifeq ($(strip $(UPGRADE)),all)
UPGRADE_FLAGS := --upgrade
else
UPGRADE_FLAGS := $(foreach package,$(UPGRADE),--upgrade-package $(package))
endif

.PHONY: demo test test-fast durations install lock check-lock system-deps browser-deps serve lint check-deploy benchmarks \
	chaos chaos-short load soak backup restore clean

$(STAMP): $(LOCK_DEV) requirements-bootstrap.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements-bootstrap.txt
	$(PIP) install --quiet --require-hashes -r $(LOCK_DEV)
	touch $(STAMP)

install: $(STAMP)

# Regenerate both lock files from pyproject.toml (the development one first, so production
# gets exactly the same version of every package the two share), then install the result.
lock: $(STAMP)
	$(UV_COMPILE) $(UPGRADE_FLAGS) pyproject.toml --extra dev -o $(LOCK_DEV)
	$(UV_COMPILE) pyproject.toml -c $(LOCK_DEV) -o $(LOCK)
	$(BIN)/python scripts/check_lock.py
	$(MAKE) --no-print-directory install

# Fails when pyproject.toml asks for something the lock files do not pin (run `make lock`).
check-lock: install
	$(BIN)/python scripts/check_lock.py

system-deps:
	@scripts/system-deps.sh weasyprint

browser-deps:
	@scripts/system-deps.sh browser

# Migrate, load the demo programme (it prints a login for each role), then serve.
demo: system-deps install
	@echo "--> Setting up the database"
	@$(BIN)/python manage.py migrate --noinput -v 0
	@mkdir -p $(DEMO_EMAIL_DIR)
	@echo "--> Loading the demo programme (its emails go to $(DEMO_EMAIL_DIR)/, not the terminal)"
	@SITE_URL=$(DEMO_SITE_URL) EMAIL_FILE_PATH=$(DEMO_EMAIL_DIR) $(BIN)/python manage.py load_demo_data --seed $(SEED)
	@echo "--> Serving at $(DEMO_SITE_URL)/ (Ctrl+C stops it)"
	@SITE_URL=$(DEMO_SITE_URL) EMAIL_FILE_PATH=$(DEMO_EMAIL_DIR) $(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install
	SITE_URL=$(DEMO_SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Check the lock files, lint, the app layers (scripts/check_layers.py), check that migrations match the
# models and type-check (mypy runs beside the other checks, on the core they leave idle), then the whole
# suite in parallel (SQLite unless DATABASE_URL is set). Every step runs, so one report shows
# every failure; exit code 5 from pytest (nothing collected) is not a failure.
test: system-deps browser-deps install
	@failed=""; started=$$(date +%s); \
	mypy_out=$$(mktemp); $(BIN)/mypy > $$mypy_out 2>&1 & mypy_pid=$$!; \
	echo "--> lock files"; \
	$(BIN)/python scripts/check_lock.py || failed="$$failed check-lock"; \
	echo "--> ruff check"; \
	$(BIN)/ruff check . || failed="$$failed ruff-check"; \
	echo "--> app layers"; \
	$(BIN)/python scripts/check_layers.py || failed="$$failed check-layers"; \
	echo "--> makemigrations --check"; \
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test \
		|| failed="$$failed makemigrations"; \
	echo "--> mypy"; \
	wait $$mypy_pid || failed="$$failed mypy"; cat $$mypy_out; rm -f $$mypy_out; \
	echo "--> pytest -n $(PYTEST_WORKERS) $(PYTEST_DIST) --durations=15 $(PYTEST_ARGS)"; \
	suite=$$(date +%s); \
	status=0; $(PYTEST) -n $(PYTEST_WORKERS) $(PYTEST_DIST) --durations=15 $(PYTEST_ARGS) || status=$$?; \
	echo "--> the suite took $$(($$(date +%s) - suite))s, make test $$(($$(date +%s) - started))s"; \
	if [ $$status -eq 5 ]; then echo "No tests were collected."; \
	elif [ $$status -ne 0 ]; then failed="$$failed pytest"; fi; \
	if [ -n "$$failed" ]; then echo "make test failed:$$failed"; exit 1; fi

# The inner loop: the suite without the browser tests and the tests marked slow_ok, on SQLite (whatever
# DATABASE_URL says), in parallel. `make test-fast PYTEST_ARGS=--lf` reruns only what failed last time.
test-fast: install
	@started=$$(date +%s); status=0; \
	env -u DATABASE_URL $(PYTEST) -n $(PYTEST_WORKERS) $(PYTEST_DIST) -m "not browser and not slow_ok" $(PYTEST_ARGS) \
		|| status=$$?; \
	echo "--> make test-fast took $$(($$(date +%s) - started))s"; \
	exit $$status

# After a full `make test` on PostgreSQL: keep its tests' durations in tests/durations.json (commit it), so
# a fresh clone orders the long tests that commit first as a run with a warm cache does.
durations:
	$(BIN)/python scripts/save_test_durations.py

lint: install
	$(BIN)/python scripts/check_lock.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_layers.py
	$(BIN)/mypy
	$(BIN)/bandit -q -c pyproject.toml -r accounts community config core evaluation home matching mentoring programmes recruitment resources safeguarding training

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# Each script under benchmarks/ prints its own figures.
benchmarks: install
	@if ls benchmarks/*.py >/dev/null 2>&1; then \
		for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit $$?; done; \
	else echo "No benchmarks yet."; fi

# Kill the worker, Redis and PostgreSQL of a private stack mid-batch and count what was lost or done
# twice (scripts/chaos.py, docs/reliability.md); `make chaos-short` is the few-hundred-item version CI runs.
chaos: install
	$(BIN)/python scripts/chaos.py $(CHAOS_ARGS)

chaos-short: install
	$(BIN)/python scripts/chaos.py --short $(CHAOS_ARGS)

# Signed-in users of every role against a private stack on a 100,000-mentee database, at 50, 200 and
# 500 users for 180 s each at a person's pace (scripts/load.py, docs/reliability.md). A smoke run on a small database:
# `make load LOAD_USERS=20 LOAD_SECONDS=60 LOAD_MENTEES=2000`. `make soak`: 100 users for 30 minutes,
# with the memory of gunicorn and the worker sampled every minute.
LOAD_USERS ?= 50,200,500
LOAD_SECONDS ?= 180
LOAD_MENTEES ?= 100000
load: install
	$(BIN)/python scripts/load.py --users $(LOAD_USERS) --duration $(LOAD_SECONDS) \
		--mentees $(LOAD_MENTEES) $(LOAD_ARGS)

soak: install
	$(BIN)/python scripts/load.py --soak --mentees $(LOAD_MENTEES) $(LOAD_ARGS)

# pg_dump (custom format) of DATABASE_URL's database and a tar of MEDIA_ROOT into backups/<UTC time>/;
# `make restore FROM=backups/<UTC time>` loads one into DATABASE_URL's (empty) database and MEDIA_ROOT.
backup: install
	$(BIN)/python scripts/backup.py backup $(if $(TO),--to $(TO))

restore: install
	@test -n "$(FROM)" || { echo "Say which backup: make restore FROM=backups/<UTC time>"; exit 2; }
	$(BIN)/python scripts/backup.py restore --from $(FROM) $(if $(YES),--yes)

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3
