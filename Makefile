# Moments Desk developer commands. Every target creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest test-pg test-slow bench bundle smoke-frozen i18n screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,dev]"
	touch $(STAMP)

## Run the app (SQLite in your user data folder). Extra flags: make run ARGS="--lang en --demo"
run: $(STAMP)
	$(BIN)/python -m moments_desk $(ARGS)

## Lint, type-check and run the whole test suite offscreen.
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check moments_desk tests bench
	$(BIN)/ruff format --check moments_desk tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q $(PYTEST_ARGS)

## Storage tests against PostgreSQL: needs MOMENTS_DESK_TEST_PG=postgresql://user:pw@host/db
test-pg: $(STAMP)
	$(BIN)/pytest -q -m db $(PYTEST_ARGS)

test-slow: $(STAMP)
	$(BIN)/pytest -q -m slow --run-slow $(PYTEST_ARGS)

## Benchmarks at scale (50k customers, 5k products, 200k interactions); prints ratios.
bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

## Regenerate translations: lupdate then lrelease (edit the .ts in Qt Linguist in between).
i18n: $(STAMP)
	$(BIN)/python scripts/i18n.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
