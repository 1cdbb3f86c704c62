"""*File > Open follow-up...* opened as a user does: a helper module (``tests.followup_menu``) that
the window tests of tests/ui and tests/pacs share (it imports no helper of tests/ui by its bare
name, so a module of tests/pacs run alone finds it)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from neuroview.ui.followup_open import OpenFollowupDialog


def through_the_menu(qtbot, window, do, accept=False):
    """Open *File > Open follow-up...* as a user does, run ``do(dialog)`` in it, then Cancel (OK
    with ``accept``)."""
    seen = []

    def inside():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, OpenFollowupDialog):
            QTimer.singleShot(20, inside)
            return
        seen.append(do(dialog))
        dialog.accept() if accept else dialog.reject()

    QTimer.singleShot(0, inside)
    next(a for a in window.file_menu.actions() if a.text().replace("&", "") == "Open follow-up...").trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    return seen[0]
