"""Ctrl+C at the moments of ``neuroview``'s run that Python's handling left to the signal's own
action: while the command line was being imported (numpy and more, 0.2-0.7 s at load 8, before
``main``'s ``try``; a second one as the first was said), or in the interpreter's teardown, after
Python gives SIGINT its default action back (0.5-2 s once torch was imported: a second Ctrl+C, or
the one of a command just ended). The process ended by SIGINT (exit -2), with Python's traceback
in the first case; it now says ``neuroview: interrupted`` and exits 130; a command that had ended
keeps its status. Each moment is reached exactly: the child sends itself SIGINT as a module is
first imported, or from the ``__del__`` of garbage that the teardown's last collection finds
(after Python's handlers are gone). Python's own start (its ``site`` module, the first 0.01-0.04
s) stays out of reach: no neuroview code runs there."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.checkout import REPO

CHILD = """
import atexit, importlib.abc, os, runpy, signal, sys

at, last = sys.argv[1].split(","), sys.argv[2]


class Press(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in at:
            at.remove(name)
            os.kill(os.getpid(), signal.SIGINT)   # Ctrl+C as this module is imported


class InTeardown:
    def __del__(self, kill=os.kill, pid=os.getpid(), number=signal.SIGINT):
        kill(pid, number)   # Ctrl+C in the teardown's last garbage collection


def garbage():   # a cycle made at exit: the teardown collects it after Python's handlers are gone
    left = InTeardown()
    left.itself = left


sys.meta_path.insert(0, Press())
if last == "teardown":
    atexit.register(garbage)
sys.argv = ["neuroview", *sys.argv[3:]]
runpy.run_module("neuroview", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize("at, last, code", [
    ("numpy,neuroview.cli.stop_signals", "", 130),   # importing the command line, then as said
    ("neuroview.cli.info", "teardown", 130),   # the verb's import, then in the teardown
    ("", "teardown", 1),   # an ended command (an empty folder), then one
])
def test_ctrl_c_at_a_moment_of_the_run_is_said_in_one_line(tmp_path, at, last, code):
    image = tmp_path / "empty"   # info says so: status 1, after its imports
    image.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.run([sys.executable, "-c", CHILD, at, last, "info", str(image)], env=env,
                           capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert child.returncode == code, child.stderr
    assert "Traceback" not in child.stderr and "Exception ignored" not in child.stderr
    said = ["neuroview: interrupted"] if code == 130 else [f"neuroview: error: {image}: folder is empty"]
    assert child.stderr.strip().splitlines() == said
