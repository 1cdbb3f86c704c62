"""UI tests run headless: under Xvfb (pytest-xvfb) with the xcb platform, else Qt's offscreen one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The synthetic studies of the render tests (RAS, LPS, oblique; labels on another grid).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "render"))


@pytest.fixture
def window(qtbot):
    from editor_helpers import activate, close_without_asking

    from neuroview.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win, before_close_func=close_without_asking)
    win.resize(1000, 760)
    win.show()
    qtbot.waitExposed(win)
    activate(qtbot, win)
    yield win
    win.runner.wait(10000)

