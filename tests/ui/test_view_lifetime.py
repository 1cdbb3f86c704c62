"""Slice views opened and closed on one controller: no slot outlives its view, and the interpreter
exits cleanly (issue #16.12: ``Fatal Python error: bool_dealloc`` at exit)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.checkout import REPO

SCRIPT = r"""
import faulthandler
import sys

faulthandler.enable()
import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv)
from neuroview.core.volume import Volume
from neuroview.ui.controller import ViewerController
from neuroview.ui.slice_widget import SliceViewWidget

controller = ViewerController()
controller.set_volume(Volume(np.random.default_rng(0).random((24, 20, 16), np.float32), np.eye(4)))
kept = SliceViewWidget("axial", controller)
kept.resize(120, 120)
kept.show()
# More signal emissions than the interpreter holds references to True: each cycle emits five.
cycles = sys.getrefcount(True) // 5 + 200
for i in range(cycles):
    extra = SliceViewWidget(("sagittal", "coronal")[i % 2], controller)
    extra.resize(120, 120)
    extra.show()
    controller.set_mode("paint")
    controller.changed.emit()
    extra.close()
    extra.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    controller.set_mode("navigate")  # reaches only the views still alive
    controller.labels_changed.emit()
    app.processEvents()
print("cycles", cycles, flush=True)
"""


def test_opening_and_closing_views_exits_cleanly(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-X", "dev", "-c", SCRIPT], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert "Fatal Python error" not in done.stderr, done.stderr[-2000:]
    assert "RuntimeError" not in done.stderr, done.stderr[-2000:]  # a slot of a deleted view
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("cycles ")
