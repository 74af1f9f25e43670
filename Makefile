# The verbs a newcomer types. Needs only python3 (3.11+) on the PATH.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test test-fast bench lock clean

$(BIN)/policy-news: pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

setup: $(BIN)/policy-news   ## create .venv with the pinned dependencies

run: setup                  ## ingest the bundled sample article into ./policy_news.duckdb
	$(BIN)/policy-news ingest

test: setup                 ## the whole test suite (what CI runs)
	$(BIN)/python -m pytest

test-fast: setup            ## transforms only, no Prefect, no server
	$(BIN)/python -m pytest -m "not prefect and not server and not slow"

bench: setup                ## archive-scale benchmark (see docs/BENCHMARKS.md)
	$(BIN)/python -m benchmarks run --n 10000

lock:                       ## re-pin after changing pyproject.toml dependencies
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' | \
	  sed '1i # Pinned environment for policy-news (runtime + tests). Regenerate with: make lock' > requirements.lock

clean:
	rm -rf $(VENV) policy_news.duckdb .pytest_cache
