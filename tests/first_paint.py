"""A script that runs ``neuroview ARGS`` (its ``sys.argv``) until the window has painted its image
once, then quits: a helper module (``tests.first_paint``) of tests/cli/test_start_imports.py and
bench/startup.py, which times it."""

from __future__ import annotations

SCRIPT = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from neuroview.cli.main import main

run_loop = QApplication.exec

def until_the_image_is_shown(*_):
    app = QApplication.instance()
    def look():
        window = next((w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow"), None)
        if window is not None and window.isVisible() and window.controller.volume is not None:
            window.repaint()   # the first paint with the image
            SHOWN
            app.quit()
        else:
            QTimer.singleShot(5, look)
    QTimer.singleShot(0, look)
    return run_loop()

QApplication.exec = until_the_image_is_shown
sys.exit(main(sys.argv[1:]))
"""


def first_paint_script(shown: str = "pass") -> str:
    """The script, ``shown`` (one line of code: ``window`` the main window) run once the image is
    painted."""
    return SCRIPT.replace("SHOWN", shown)
