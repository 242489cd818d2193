# The README's two commands: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint format venv bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/pip install --quiet --group test
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

venv: $(STAMP)

# Embedded mode: SQLite + filesystem broker in var/, demo data, web + worker + beat.
run: venv
	HRDCASE_DEBUG=1 $(BIN)/python manage.py run_embedded

# The whole suite; DATABASE_URL / CELERY_BROKER_URL switch it to PostgreSQL / Redis.
test: venv
	$(BIN)/pytest -n auto --dist loadfile $(PYTEST_ARGS)

# The benchmark (docs/performance.md), never part of `make test`: PostgreSQL from DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/hrdcase_bench, created when missing), data set
# at BENCH_SCALE (default 1.0) seeded when missing, then gunicorn measured on loopback. The
# bench app is not in the production INSTALLED_APPS: bench/settings.py adds it.
bench: venv
	DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python -m bench

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
