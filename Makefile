# neuroview: `make demo` opens the demo case, `make test` runs every check CI runs.
# PYTEST_ARGS go to the pytest run (make test PYTEST_ARGS=--durations=0 lists every test's time).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.neuroview-installed

.PHONY: setup demo test lint pytest clean

$(STAMP): pyproject.toml setup.py constraints.txt
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
	# one run, both cores: whole modules to each worker, the slowest first (tests/conftest.py:
	# SLOWEST_MODULES), the window tests among the others. Until session 35 the window tests ran in
	# a second pytest run (under Xvfb's xcb, mixed into one worker with the other tests, some lost
	# the keyboard focus); they run on Qt's offscreen platform since session 34 (tests/ui/conftest.py)
	# and press keys through tests/ui/key_presses.py, which fails a test that has no focus instead
	# of aborting the process. One run spared a second start, collection and tail.
	# Three workers on two cores (session 46): a worker waiting on a process it started, a socket or
	# an event loop leaves its core to another; the whole suite, quiet, on a warm clone: 705.5 s
	# with -n 3 (186 % CPU) against 813.7 s with -n 2 on the fresh clone before (162 %); the
	# landing CI of session 46 (fresh clone, about 75 tests more): 792.9 s at 177 %
	# A crashed worker ends the run (--max-worker-restart=0): pytest-xdist 3.8 with --dist loadfile
	# hands a replaced worker's finished modules out again as empty work and can wait forever with
	# every worker idle (session 47's CI: stopped by hand after 29 min; pytest-xdist issue #1378);
	# now the workers finish the modules they hold and the run fails, naming the crashed test
	# (tests/test_worker_crash_ends_run.py)
	$(BIN)/python -m pytest -n $(or $(JOBS),3) --dist loadfile --no-loadscope-reorder --max-worker-restart=0 --durations=20 $(PYTEST_ARGS)

test: lint pytest

clean:
	rm -rf $(VENV)
