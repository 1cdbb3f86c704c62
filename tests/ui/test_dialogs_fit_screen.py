"""Dialogs open within the screen they appear on: 1920x1080 at 200 % has 960 x 540 points of room
(the readers dialog opened 560 tall, the PACS dialog 520 plus its title bar, their buttons below the
screen's edge); a portrait 2048x2560 monitor at 200 % is 1024 points wide."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen


@pytest.mark.parametrize("name", ["readers", "pacs", "shortcuts"])
def test_dialog_opens_within_a_small_screen(window, qtbot, monkeypatch, name):
    from neuroview.ui.help_menu import ShortcutsDialog
    from neuroview.ui.pacs_dialog import PacsDialog
    from neuroview.ui.readers_dialog import ReadersDialog

    room = QRect(0, 0, 960, 540)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: room)
    dialog = {"readers": ReadersDialog, "pacs": PacsDialog, "shortcuts": ShortcutsDialog}[name](window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= room.width() and dialog.height() <= room.height() - 40
    assert dialog.height() >= dialog.minimumSizeHint().height()   # everything still laid out
