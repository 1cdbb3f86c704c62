"""What *View > Cine* (``ui.cine``) and *View > Play time points* (``ui.time_cine``) share: a
checkable action in the *View* menu that runs a timer while it is checked, a status notice while
it plays, and a :meth:`Player.stop` that unchecks the action without asking to play again."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence


class Player(QObject):
    """The action and its timer; a subclass has ``play(on)``, the action toggled, and ``step()``,
    the timer's timeout."""

    def __init__(self, window, menu, text: str, shortcut: str, per_second: int) -> None:
        super().__init__(window)
        self.main_window = window
        self.timer = QTimer(self)
        self.timer.setInterval(round(1000 / per_second))
        self.timer.timeout.connect(self.step)
        self.action = QAction(text, window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(shortcut))
        self.action.toggled.connect(self.play)
        menu.addAction(self.action)

    def start(self, notice: str) -> None:
        """The timer on, ``notice`` in the status bar while it plays."""
        self.timer.start()
        self.main_window.notices.status(notice)

    def stop(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
            self.main_window.notices.drop_word()   # the notice goes with it, the readout back
        self.action.blockSignals(True)
        self.action.setChecked(False)
        self.action.blockSignals(False)
