# neuroview: `make demo` opens the demo case, `make test` runs every check CI runs.
# PYTEST_ARGS go to both pytest runs (make test PYTEST_ARGS=--durations=0 lists every test's time).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.neuroview-installed

.PHONY: setup demo test lint pytest clean

$(STAMP): pyproject.toml constraints.txt
	bash packaging/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/neuroview demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Python's cached bytecode, off in some shells (PYTHONDONTWRITEBYTECODE=1 on the development
# machine): without it every pytest worker rewrote the test modules' asserts anew (collecting the
# window tests: 12.4 s -> 9.1 s of processor time) and every `python -m neuroview` a test starts
# compiled neuroview again (0.51 s -> 0.45 s); __pycache__ is in .gitignore
unexport PYTHONDONTWRITEBYTECODE

pytest: setup
	bash packaging/install-system-deps.sh --pacs
	# the window tests in a run of their own: mixed into one worker with the other tests, some lost
	# the keyboard focus under Xvfb (14 failures that tests/ui alone never shows)
	# whole modules to each worker, the slowest first (tests/conftest.py: SLOWEST_MODULES)
	$(BIN)/python -m pytest -n $(or $(JOBS),2) --dist loadfile --no-loadscope-reorder --durations=15 $(PYTEST_ARGS) --ignore=tests/ui
	# here too whole modules, slowest first: with --dist load both workers made the follow-up window
	# tests' module fixture (two registrations), and its slow tests could come last
	$(BIN)/python -m pytest -n $(or $(JOBS),2) --dist loadfile --no-loadscope-reorder --durations=5 $(PYTEST_ARGS) tests/ui

test: lint pytest

clean:
	rm -rf $(VENV)
