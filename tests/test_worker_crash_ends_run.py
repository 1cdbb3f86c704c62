"""`make test`'s pytest options end a run whose worker crashed, with a failure, instead of waiting
forever: session 47's CI lost a worker to a segmentation fault and pytest-xdist 3.8 (`--dist
loadfile`) replaced it, handed the dead worker's finished modules out again as empty work, and
waited with every worker idle until stopped by hand 29 min later. The run here is pytest with the
Makefile's own options on a folder of a few tiny modules laid out as that run was: the crashing
worker finished many modules first, the others are in long ones."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys

from tests.checkout import REPO

CRASHING = """\
import os
import signal
from pathlib import Path


def test_crashes_once():
    marker = Path(__file__).with_name("crashed")
    if not marker.exists():
        marker.touch()
        os.kill(os.getpid(), signal.SIGSEGV)


def test_after():
    pass
"""

LONG = """\
import time
from pathlib import Path

import pytest


@pytest.mark.parametrize("i", range(10))
def test_slow(i):
    marker = Path(__file__).with_name("crashed")
    end = time.monotonic() + 2
    while not marker.exists() and time.monotonic() < end:
        time.sleep(0.02)
"""
"""The long modules' tests last until the crash (the crashing test's marker), so the other workers
are in them when it comes, and not much longer: their fixed 0.2 s each (until session 50) kept the
run going 2-3.4 s after the crash. 2 s a test at most (20 s a module): should the crashing module
ever reach a worker that holds a long one (fewer workers in the Makefile), the run still ends
within the 60 s allowed."""


def makefile_pytest_options() -> list[str]:
    """The options of the Makefile's pytest line, with its default worker count."""
    line = next(line for line in (REPO / "Makefile").read_text().splitlines()
                if "-m pytest" in line)
    options = line.split("-m pytest", 1)[1].replace("$(PYTEST_ARGS)", "")
    options = re.sub(r"\$\(or \$\(JOBS\),(\d+)\)", r"\1", options)
    assert "$" not in options, options
    return shlex.split(options)


def test_a_crashed_worker_ends_the_run_with_a_failure(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    for name in ("test_a_long1.py", "test_a_long2.py"):
        (tmp_path / name).write_text(LONG)
    for i in range(12):
        (tmp_path / f"test_b{i:02}.py").write_text("def test_quick():\n    pass\n")
    (tmp_path / "test_c_crash.py").write_text(CRASHING)
    # only pytest-xdist among the installed plug-ins: the workers start without PySide6 (pytest-qt)
    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    run = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "xdist.plugin",
                            *makefile_pytest_options()],
                           cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, start_new_session=True)
    try:
        out, _ = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        out, _ = run.communicate()
        raise AssertionError("the run still waited 60 s after its worker crashed:\n" + out[-3000:]) from None
    assert run.returncode == 1, out[-3000:]
    assert re.search(r"FAILED test_c_crash.py::test_crashes_once - worker 'gw\d' crashed", out), out
    assert re.search(r"xdist: worker gw\d crashed and worker restarting disabled", out), out
