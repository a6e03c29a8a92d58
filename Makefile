# Wirehouse: `make run` sets up and loads the bundled sample; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set (containers often set
# it), Python would otherwise compile every imported module on every start (Prefect and
# Great Expectations: ~10 s of each run). The Makefile is in the stamp so that changes to
# these recipes reach an existing venv.
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml Makefile | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=
# Two pytest workers: most slow tests wait on `wirehouse` subprocesses, so the cores overlap.
TEST_JOBS ?= 2

.PHONY: setup run test test-fast test-corpora lint format clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m compileall -q flows benchmarks
	@rm -f $(VENV)/.installed-* && touch $@

run: setup
	$(BIN)/wirehouse run samples

test: setup
	$(BIN)/pytest -n $(TEST_JOBS) --dist worksteal -m "not corpora" $(PYTEST_ARGS)

# Acceptance runs over the public corpora in ../shared/data (minutes; skipped when absent).
test-corpora: setup
	$(BIN)/pytest -m corpora $(PYTEST_ARGS)

test-fast: setup
	$(BIN)/pytest -n $(TEST_JOBS) --dist worksteal -m "not e2e and not slow and not corpora" $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf warehouse/news.duckdb* warehouse/published warehouse/.writer.lock
