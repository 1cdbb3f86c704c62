"""An internal error in a dialog's override (``ui.qt_guard``) is said where the user looks: in a
message box over the dialog, which stays usable, and in the window's notice bar behind it (only
that until session 39, unseen until the dialog closed)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLineEdit, QMessageBox, QVBoxLayout

from neuroview.ui import qt_guard
from neuroview.ui.qt_guard import guard_overrides


@guard_overrides
class BrokenDialog(QDialog):
    def __init__(self, parent) -> None:
        super().__init__(parent)
        self.broken = False
        self.entry = QLineEdit(self)
        QVBoxLayout(self).addWidget(self.entry)

    def paintEvent(self, event) -> None:
        if self.broken:
            raise KeyError("no such reader")


def test_a_modal_dialogs_error_is_said_over_it_and_behind_it(qtbot, window, fresh_guard):
    dialog = BrokenDialog(window)
    dialog.setModal(True)
    dialog.broken = True
    dialog.open()
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "internal_error") is not None, timeout=5000)
    box = dialog.findChild(QMessageBox, "internal_error")
    line = "Internal error in BrokenDialog.paintEvent: KeyError: value not shown; your work is kept"
    qtbot.waitUntil(box.isVisible, timeout=5000)
    assert box.text() == line and not box.isModal() and box.parent() is dialog
    assert line in window.notice_bar.text
    assert qt_guard.caught >= 1
    dialog.broken = False
    qtbot.keyClicks(dialog.entry, "ok")   # the dialog goes on, the box over it
    assert dialog.entry.text() == "ok" and dialog.isVisible()
    box.close()
    dialog.reject()
