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
# `make run PORT=8001` serves on another port of 127.0.0.1.
run: venv
	HRDCASE_DEBUG=1 $(BIN)/python manage.py run_embedded $(if $(PORT),--port $(PORT))

# The whole suite; DATABASE_URL / CELERY_BROKER_URL switch it to PostgreSQL / Redis.
test: venv
	$(BIN)/pytest -n auto --dist loadfile $(PYTEST_ARGS)

# The benchmark (docs/performance.md), never part of `make test`: PostgreSQL from DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/hrdcase_bench, created when missing), data set
# at BENCH_SCALE (default 1.0) seeded when missing, then gunicorn measured on loopback. The
# bench app is not in the production INSTALLED_APPS: bench/settings.py adds it.
#
# BENCH_PYTHON=/path/to/python3.11 measures on another CPython build, in a virtualenv of its own
# (var/bench/venv, the same dependencies): production's image is python:3.11-slim, built with
# PGO and LTO, where pyenv's default build has neither and runs the pages ~20% slower. The run
# prints the interpreter it measured and a calibration figure (docs/performance.md).
BENCH_VENV := var/bench/venv
BENCH_STAMP := $(BENCH_VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)-$(shell echo "$(BENCH_PYTHON)" | cksum | cut -d' ' -f1)

$(BENCH_STAMP): pyproject.toml
	rm -rf $(BENCH_VENV)
	$(BENCH_PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade "pip>=25.1"
	$(BENCH_VENV)/bin/pip install --quiet --group test
	touch $(BENCH_STAMP)

bench: venv $(if $(BENCH_PYTHON),$(BENCH_STAMP))
	DJANGO_SETTINGS_MODULE=bench.settings $(if $(BENCH_PYTHON),$(BENCH_VENV),$(VENV))/bin/python -m bench

# Style, types (mypy + django-stubs, configured in pyproject.toml: the plugin loads the
# settings, hence HRDCASE_DEBUG=1), dead code (vulture + vulture_whitelist.py) and complexity
# (radon: no function of the product worse than C; it prints nothing when all pass).
RADON_PATHS := hrdcase accounts cases alerts logbooks relocation support dashboards work

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	HRDCASE_DEBUG=1 $(BIN)/mypy
	$(BIN)/vulture
	@worse="$$($(BIN)/radon cc -s -n D -e '*/migrations/*' $(RADON_PATHS))"; \
	if [ -n "$$worse" ]; then echo "radon: functions worse than C:"; echo "$$worse"; exit 1; fi

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
