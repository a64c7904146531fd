# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= 42
PYTEST_WORKERS ?= auto

.PHONY: demo test install system-deps browser-deps serve lint check-deploy benchmarks clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@scripts/system-deps.sh weasyprint

browser-deps:
	@scripts/system-deps.sh browser

demo: system-deps install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data --seed $(SEED)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: system-deps browser-deps install
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(PYTEST_WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r accounts config core evaluation matching mentoring safeguarding training

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(openssl rand -hex 32) ALLOWED_HOSTS=example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

benchmarks: install
	@ls benchmarks/*.py >/dev/null 2>&1 && for script in benchmarks/*.py; do $(BIN)/python $$script; done || echo "No benchmarks yet."

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3
