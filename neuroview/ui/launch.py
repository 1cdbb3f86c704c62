"""``launch(paths)``: create the QApplication, open the main window on ``paths``, run the loop."""

from __future__ import annotations

import sys


def launch(paths: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow
    from .qt_guard import install_excepthook, install_thread_hook
    from .screen_room import opening_size

    install_excepthook()   # an exception in a slot is said in the window, never fatal
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("neuroview")
    install_thread_hook(app)   # a thread's exception: one line in the notice bar, its job ended
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
    return leave(int(app.exec()))


def leave(code: int) -> int:
    """``code``, once the window has closed; the process ends here (its exit hooks run, its output
    flushed) while the device probe still imports torch on its daemon thread, or an AI click
    model left loading at the close still loads on its own (``core.jobs.abandonable``): the
    interpreter's finalisation under that import aborted the process (1 close in 20 measured)."""
    from ..core.jobs import end_if_abandoned
    from .model_choice import probe_running

    return end_if_abandoned(code, other_running=probe_running())
