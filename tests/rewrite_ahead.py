"""The second xdist worker rewrites the test modules' asserts from the last module back, before it
collects. On a fresh clone (CI) pytest's own cache of rewritten modules (``__pycache__/
*-pytest-*.pyc``) is empty, and `make test`'s two workers collected the same modules in the same
order at about the same time, so most modules were rewritten by both: collecting the whole suite
in two workers (``-n 2 --dist loadfile``, every test deselected) took 31.7 s of CPU with the cache
empty against 17 s with it warm (one process: 19 s against 8 s). This worker stops at the first
module found rewritten, where the first worker's front has come, so each module is rewritten about
once: 25.4 s (medians of 4, alternated, load 3.4-10, 6 Dec 2026). What it writes is pytest's own
rewrite of the same source (``_pytest.assertion.rewrite``'s functions, as its import hook calls
them; the code objects equal the hook's), so the tests and their failure messages are the same.
Only the modules under the paths pytest was given, nothing where bytecode is not written
(``PYTHONDONTWRITEBYTECODE``) or asserts are not rewritten."""

from __future__ import annotations

import os
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _named(config) -> set[Path]:
    """The test modules under the paths pytest was given (``tests``, a folder, a module)."""
    found = set()
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path.is_dir():
            found.update(path.rglob("test_*.py"))
        elif path.name.startswith("test_") and path.suffix == ".py":
            found.add(path)
    return {path for path in found if TESTS in path.parents}


def rewrite_from_the_end(config) -> int:
    """In xdist's worker ``gw1`` (nothing elsewhere, nor where bytecode is not written or asserts
    are not rewritten): rewrite and cache the test modules pytest was given from the last,
    stopping at the first already cached. The number rewritten."""
    if sys.dont_write_bytecode or os.environ.get("PYTEST_XDIST_WORKER") != "gw1":
        return 0
    from _pytest.assertion import rewrite

    state = config.stash.get(rewrite.assertstate_key, None)
    if state is None or config.getoption("assertmode") != "rewrite":
        return 0
    done = 0
    for path in sorted(_named(config), reverse=True):
        folder = rewrite.get_cache_dir(path)
        pyc = folder / (path.name[:-3] + rewrite.PYC_TAIL)
        if rewrite._read_pyc(path, pyc) is not None or not rewrite.try_makedirs(folder):
            break   # the first worker has come this far (or an earlier run did)
        try:
            source_hash, code = rewrite._rewrite_test(path, config)
        except SyntaxError:   # collecting it reports it, as without this step
            continue
        rewrite._write_pyc(state, code, source_hash, pyc)
        done += 1
    return done
