"""What the window tests of *Open from PACS...* share: the main window, shown, and its File menu."""

from __future__ import annotations


def shown_window(qtbot):
    """The main window, shown (a generator for a fixture: waits for its jobs after the test)."""
    from neuroview.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(1000, 760)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.runner.wait(10000)


def menu_action(window, text):
    """An action of the File menu, found by its text as a user finds it."""
    return next(a for a in window.file_menu.actions() if a.text() == text)
