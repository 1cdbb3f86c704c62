"""``launch(paths)``: create the QApplication, open the main window on ``paths``, run the loop."""

from __future__ import annotations

import sys


def launch(paths: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .screen_room import opening_size

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("neuroview")
    window = MainWindow()
    screen = app.primaryScreen()
    maximised = False
    if screen is not None:  # its own size where the screen has room, else the screen, maximised
        room = screen.availableGeometry()
        width, height, maximised = opening_size(window, room)
        window.resize(width, height)
        if maximised:   # where no window manager maximises it, it still fills the screen
            window.move(room.topLeft())
    if maximised:
        window.showMaximized()
    else:
        window.show()
    if paths:
        window.open_paths(list(paths))
    return int(app.exec())
