# The verbs a newcomer types. Needs only python3 (3.11+) on the PATH.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Documents the benchmark generates (docs/BENCHMARKS.md): `make bench N=1000`
N ?= 10000
# Tools that are not dependencies of the code, pinned here: the resolver that writes
# requirements.lock, and the checker of imports against declared dependencies.
TOOLS ?= .venv-tools
UV ?= uv==0.13.8
DEPTRY ?= deptry==0.25.1
# requirements.lock holds the runtime dependencies and these extras of pyproject.toml
LOCK_EXTRAS := --extra test --extra dask --extra bench --extra compare

.PHONY: setup run test test-fast bench lock deps-check clean

$(BIN)/policy-news: pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	@# setuptools tells every editable install to beware of folders named like the package: ours are the package
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

setup: $(BIN)/policy-news   ## create .venv with the pinned dependencies

run: setup                  ## ingest the bundled sample article into ./policy_news.duckdb
	$(BIN)/policy-news ingest

test: setup                 ## the whole test suite (what CI runs)
	$(BIN)/python -m pytest

test-fast: setup            ## transforms only, no Prefect, no server
	$(BIN)/python -m pytest -m "not prefect and not server and not slow"

bench: setup                ## archive-scale benchmark (see docs/BENCHMARKS.md); N documents
	$(BIN)/python -m benchmarks run --n $(N)

$(TOOLS)/bin/uv:
	$(PY) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install -q "$(UV)"

lock: $(TOOLS)/bin/uv       ## re-resolve requirements.lock from pyproject.toml (after changing dependencies)
	$(TOOLS)/bin/uv pip compile pyproject.toml $(LOCK_EXTRAS) --universal --python-version 3.11 \
	  --no-emit-package policy-news --custom-compile-command "make lock" --quiet --output-file requirements.lock

deps-check: setup           ## every imported package declared, every declared package imported
	$(BIN)/python -m pip install -q "$(DEPTRY)"
	$(BIN)/deptry .

clean:
	rm -rf $(VENV) $(TOOLS) policy_news.duckdb .pytest_cache
