"""Another neuroview process editing an image: helpers that test_image_open_in_two_windows.py and the
tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

from tests.checkout import REPO

OTHER_WINDOW = """
import sys
import numpy as np
from neuroview.app.case import Case
from neuroview.io.nifti import load_nifti
case = Case.open(load_nifti(sys.argv[1]))
case.session.segments.add("lesion")
case.session.apply("paint", at_ras=np.array([10.3, -6.2, 9.0]), radius_mm=4)
print("editing", flush=True)
sys.stdin.read()
"""


@contextlib.contextmanager
def another_window_editing(path):
    """Another neuroview process (OTHER_WINDOW) holds ``path`` for editing, a stroke painted, until
    the block ends: then it is killed, as a crash would end it."""
    other = subprocess.Popen([sys.executable, "-c", OTHER_WINDOW, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert other.stdout.readline().strip() == "editing"
        yield
    finally:
        other.kill()
        other.wait(timeout=30)
