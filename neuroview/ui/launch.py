"""``launch(paths)``: create the QApplication, open the main window on ``paths``, run the loop."""

from __future__ import annotations

import sys


def launch(paths: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("neuroview")
    window = MainWindow()
    window.show()
    if paths:
        window.open_paths(list(paths))
    return int(app.exec())
