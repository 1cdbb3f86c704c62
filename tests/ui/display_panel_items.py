"""Choosing in the display panel and reading its items: helpers that test_display_panel.py and the
tests building on it share (test modules import helpers from a helper module, never from another
test module)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def choose(qtbot, combo, text) -> None:
    """Open the combo box with the mouse and click the item ``text`` in its list."""
    qtbot.mouseClick(combo, Qt.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=10000)
    qtbot.wait(QApplication.doubleClickInterval() + 50)   # a popup ignores a click this early
    index = combo.findText(text)
    rect = view.visualRect(view.model().index(index, 0))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=10000)


def items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]
