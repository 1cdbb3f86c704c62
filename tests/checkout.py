"""This checkout as the tests use it: ``REPO``, its folder, and ``run_cli``, the command line run
as a user runs it. A helper module, not the conftest: ten test modules imported ``REPO`` from
``tests.conftest``, which ran ``tests/conftest.py`` a second time beside the ``conftest`` pytest
loaded (``tests/test_collect_together.py``). Import it as ``tests.checkout``, so it too is loaded
once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None, timeout=600, env=None) -> subprocess.CompletedProcess:
    """Run ``python -m neuroview ARGS`` as a user would, from this checkout."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "neuroview", *map(str, args)],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout,
    )
