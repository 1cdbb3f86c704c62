"""The question asked before work running in the background stops: *Stop ...* or *Keep ...*.

Closing a dialog whose child process runs (Rank, Train, the Models dialog's *Measure*), or the
window while a training runs, asks it. Keeping is the default, and also the answer of Esc and of
the question's own close button. While it shows, ``StopQuestion.box`` is the question (tests
answer it); ``None`` otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


class StopQuestion:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.box: QMessageBox | None = None

    def ask(self, title: str, text: str, detail: str, stop: str, keep: str = "",
            icon: QMessageBox.Icon = QMessageBox.Question) -> bool:
        """True: the user chose ``stop`` (the button's text); False: ``keep`` (the text of the
        other button, *Cancel* where none is given)."""
        box = QMessageBox(icon, title, text, QMessageBox.Yes | QMessageBox.Cancel, self.parent)
        box.setTextFormat(Qt.PlainText)   # a model's or a dataset's name as written
        box.setInformativeText(detail)
        box.button(QMessageBox.Yes).setText(stop)
        if keep:
            box.button(QMessageBox.Cancel).setText(keep)
        box.setDefaultButton(QMessageBox.Cancel)
        box.setEscapeButton(QMessageBox.Cancel)
        self.box = box
        try:
            return box.exec() == QMessageBox.Yes
        finally:
            self.box = None
            box.deleteLater()
