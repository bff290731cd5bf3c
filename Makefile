# Moments Desk developer commands. Every target creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest test-pg test-slow mutate bench bundle bundle-onefile smoke-frozen i18n screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,dev]"
	$(BIN)/pip install --quiet --no-deps "rapidocr-onnxruntime==1.4.4"
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
	MOMENTS_DESK_TEST_ONLY_PG=1 $(BIN)/pytest -q -m db $(PYTEST_ARGS)

## The long variants, and every Hypothesis test with fresh random examples (profile "wide").
test-slow: $(STAMP)
	$(BIN)/pytest -q -m "slow or hypothesis" --run-slow --hypothesis-profile=wide $(PYTEST_ARGS)

## Mutation testing of the domain core, each module against its own tests (slow, not part of
## `make test` or CI); prints the kill rate per module. One module: make mutate ARGS="money"
mutate: $(STAMP)
	$(BIN)/python scripts/mutate.py $(ARGS)

## Benchmarks at scale (50k customers, 5k products, 200k interactions); prints ratios.
bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

## Regenerate translations: lupdate then lrelease (edit the .ts in Qt Linguist in between).
i18n: $(STAMP)
	$(BIN)/python scripts/i18n.py

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache

# ---- Packaging (PyInstaller, see build.spec) ------------------------------------------------
FROZEN ?= dist/moments-desk/moments-desk
SMOKE_TIMEOUT ?= 120

## Frozen app, one folder: dist/moments-desk/ (prints its size; target <= 300 MB with the OCR models).
bundle: $(STAMP)
	@if [ -f scripts/i18n.py ]; then $(BIN)/python scripts/i18n.py --release-only; fi
	$(BIN)/pyinstaller --noconfirm --clean build.spec

## Frozen app, one portable file: dist/moments-desk-portable (.exe on Windows).
bundle-onefile: $(STAMP)
	@if [ -f scripts/i18n.py ]; then $(BIN)/python scripts/i18n.py --release-only; fi
	$(BIN)/pyinstaller --noconfirm --clean build.spec -- --onefile

## Start the frozen app offscreen on an empty shop and on a demo shop; both must print "smoke ok".
## Then read tests/screens/wechat-phone.png with the bundled OCR; it must print its truth.
## Another build: make smoke-frozen FROZEN=dist/moments-desk-portable
smoke-frozen:
	@test -x "$(FROZEN)" || { echo "smoke-frozen: $(FROZEN) not found: run make bundle"; exit 1; }
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; status=0; \
	for flags in "--smoke" "--demo --smoke"; do \
	  out=$$(QT_QPA_PLATFORM=offscreen timeout $(SMOKE_TIMEOUT) "$(FROZEN)" \
	         --data-dir "$$tmp/$${flags%% *}" $$flags 2>&1); rc=$$?; \
	  line=$$(printf '%s\n' "$$out" | grep -m1 '^smoke ok' || true); \
	  if [ $$rc -eq 0 ] && [ -n "$$line" ]; then \
	    echo "smoke-frozen: $$flags: $$line"; \
	  else \
	    printf '%s\n' "$$out"; echo "smoke-frozen: $$flags: FAILED (exit $$rc, no 'smoke ok')"; status=1; \
	  fi; \
	done; \
	out=$$(timeout $(SMOKE_TIMEOUT) "$(FROZEN)" read-screenshot tests/screens/wechat-phone.png --json); rc=$$?; \
	same='import json, sys; sys.exit(json.load(sys.stdin) != json.load(open(sys.argv[1], "rb")))'; \
	if [ $$rc -eq 0 ] && printf '%s' "$$out" | $(PYTHON) -c "$$same" tests/screens/wechat-phone.json; then \
	  echo "smoke-frozen: read-screenshot: ok"; \
	else \
	  printf '%s\n' "$$out"; echo "smoke-frozen: read-screenshot: FAILED (exit $$rc or not the truth)"; status=1; \
	fi; exit $$status
