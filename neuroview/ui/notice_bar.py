"""A message bar for news and questions (restore?, case added): text plus buttons, never modal,
so the views stay usable while it waits (errors have their own red bar)."""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class NoticeBar(QFrame):
    answered = Signal()
    """A button was clicked (the bar is gone; the window gives the keys back to the views)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setStyleSheet("NoticeBar { background: #1e3a5a; } QLabel { color: #d7e9ff; }")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._layout.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        self.hide()

    def show_message(self, text: str, buttons: Sequence[tuple[str, Callable[[], None]]] = ()) -> None:
        """Show ``text`` with ``buttons`` (label, callback); each button also closes the bar.
        Without buttons a Dismiss button is shown."""
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        for label, callback in list(buttons) or [("Dismiss", lambda: None)]:
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, c=callback: self._answer(c))
            self._layout.addWidget(button)
            self.buttons[label] = button
        self.label.setText(text)
        self.show()

    def _answer(self, callback) -> None:
        self.hide()
        callback()
        self.answered.emit()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
