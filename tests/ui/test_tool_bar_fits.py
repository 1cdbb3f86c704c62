"""Every button of the tool bar shows in a 1024 x 768 window (a laptop's or a reading room's
side screen): with the mouse tools' long names (*Rectangle statistics*, *Ellipse statistics*) its
last button, *Segment with a model*, was behind the tool bar's ›› until session 48. Narrower, the
›› still opens a second row with the buttons that do not fit, as in any Qt tool bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QToolBar, QToolButton


def _hidden(bar) -> list[str]:
    return [a.text().replace("&", "") for a in bar.actions()
            if not (bar.widgetForAction(a) is not None and bar.widgetForAction(a).isVisible())]


def test_every_tool_bar_button_shows_at_1024_by_768(qtbot, window):
    bar = window.findChild(QToolBar, "mouse-mode")
    window.resize(1024, 768)
    qtbot.waitUntil(lambda: window.width() == 1024, timeout=5000)
    qtbot.wait(50)   # the tool bar's layout follows the window's
    assert _hidden(bar) == []
    assert not bar.findChild(QToolButton, "qt_toolbar_ext_button").isVisible()
    ellipse = bar.widgetForAction(window.mode_actions["ellipse"])
    assert ellipse.text() == "Ellipse" and window.mode_actions["ellipse"].toolTip() == \
        "Ellipse statistics (F7)"   # the full name in its tooltip, and in the Tools menu

    window.resize(880, 768)
    qtbot.waitUntil(lambda: _hidden(bar) != [], timeout=5000)
    more = bar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert more.isVisible()
    QTest.mouseClick(more, Qt.LeftButton)   # ››: the rest on a second row
    qtbot.waitUntil(lambda: _hidden(bar) == [], timeout=5000)
