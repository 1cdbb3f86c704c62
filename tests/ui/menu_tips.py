"""The tooltip a menu shows with the pointer resting on one of its lines: a helper module of
tests/ui/test_menu_tips_shown.py and tests/ui/test_seg_action_reason.py."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip


def hover_tip(qtbot, window, menu, action) -> str:
    """The tooltip ``menu`` (popped up over ``window``) shows with the pointer resting on
    ``action``'s line; "" for none."""
    menu.popup(window.mapToGlobal(QPoint(10, 10)))
    qtbot.waitUntil(menu.isVisible, timeout=5000)
    try:
        QToolTip.hideText()
        centre = menu.actionGeometry(action).center()
        QApplication.sendEvent(menu, QHelpEvent(QEvent.ToolTip, centre, menu.mapToGlobal(centre)))
        return QToolTip.text() if QToolTip.isVisible() else ""
    finally:
        QToolTip.hideText()
        menu.close()
