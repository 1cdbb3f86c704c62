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


def activate(qtbot, widget) -> None:
    """Make ``widget``'s window the active one, as a click on it would. A window manager does
    that when a window shows; with none (Xvfb alone, as CI runs) no window is active: window
    shortcuts (Qt only gives them to the active window) and key clicks went nowhere."""
    from PySide6.QtWidgets import QApplication

    widget.raise_()
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window(), timeout=10000)


@pytest.fixture
def window(qtbot):
    from editor_helpers import close_without_asking

    from neuroview.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win, before_close_func=close_without_asking)
    win.resize(1000, 760)
    win.show()
    qtbot.waitExposed(win)
    activate(qtbot, win)
    yield win
    win.runner.wait(10000)

