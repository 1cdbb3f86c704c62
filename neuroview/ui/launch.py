"""``launch(paths)``: create the QApplication, open the main window on ``paths``, run the loop."""

from __future__ import annotations

import sys


def launch(paths: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("neuroview")
    window = MainWindow()
    screen = app.primaryScreen()
    if screen is not None:  # as tall as its panels want where the screen has room, else the screen
        room = screen.availableGeometry()
        window.resize(min(window.width(), room.width()),
                      min(max(window.height(), window.sizeHint().height()), room.height() - 40))
    window.show()
    if paths:
        window.open_paths(list(paths))
    return int(app.exec())
