"""*View > Full screen* (F11, and the platform's full-screen key): the window over the whole
screen, no title bar, as PACS viewers offer for reading; again (or F11) goes back to the window as
it was, maximised or not. The menu's check follows the window, also when a window manager takes
it out of full screen. With no window manager (a bare X server, a kiosk) nothing acts on the
full-screen request: the window is then given the screen's geometry, and its own back, by hand."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence

from .action_keys import key_sequences


class FullScreen(QObject):
    """The action and the window's state, kept in step (the window calls :meth:`sync` at each
    change of its state: a filter on the window took 116 of its events a window to Python)."""

    def __init__(self, window, menu) -> None:
        super().__init__(window)
        self.main_window = window
        self.was_maximised = False
        self.normal = window.geometry()
        self.action = QAction("Full screen", window)
        self.action.setCheckable(True)
        # F11 on every platform (xcb without a desktop theme binds none), and the platform's own
        keys = key_sequences("F11", QKeySequence.FullScreen)
        self.action.setShortcuts([k for n, k in enumerate(keys) if k not in keys[:n]])
        self.action.triggered.connect(self.toggle)
        menu.addAction(self.action)

    def toggle(self) -> None:
        window = self.main_window
        if window.isFullScreen():
            window.showMaximized() if self.was_maximised else window.showNormal()
        else:
            self.was_maximised, self.normal = window.isMaximized(), window.geometry()
            window.showFullScreen()
        self.sync()
        QTimer.singleShot(300, self._by_hand)

    def _by_hand(self) -> None:
        """The geometry the request asked for, where no window manager gave it (300 ms on)."""
        window = self.main_window
        if window.isFullScreen() and window.geometry() != window.screen().geometry():
            window.setGeometry(window.screen().geometry())   # Qt takes the state off for it
            window.setWindowState(window.windowState() | Qt.WindowFullScreen)
        elif window.windowState() == Qt.WindowNoState and window.geometry() != self.normal:
            window.setGeometry(self.normal)

    def sync(self) -> None:
        self.action.setChecked(bool(self.main_window.windowState() & Qt.WindowFullScreen))
