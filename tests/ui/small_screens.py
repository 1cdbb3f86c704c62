"""A main window launched on a screen of a given size, sized as ``launch()`` sizes it, and how
much of a widget lies below the Segment editor's fold: helpers that test_editor_fold.py and
test_tool_key_shows_editor.py share (test modules import helpers
from a helper module, never from another test module)."""

from __future__ import annotations

from editor_helpers import close_without_asking
from PySide6.QtCore import QPoint, QRect


class FakeScreen:
    def __init__(self, width: int, height: int) -> None:
        self.rect = QRect(0, 0, width, height)

    def availableGeometry(self) -> QRect:
        return self.rect


def launched_window(qtbot, monkeypatch, width, height):
    from neuroview.ui.main_window import MainWindow
    from neuroview.ui.screen_room import opening_size

    monkeypatch.setattr(MainWindow, "screen", lambda self: FakeScreen(width, height))
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.resize(*opening_size(window, QRect(0, 0, width, height))[:2])   # as launch sizes it
    window.show()
    qtbot.waitExposed(window)
    return window


def below_the_fold(panel, widget) -> int:
    """Pixels of ``widget`` below the bottom of the editor's scrolled viewport (0: all seen)."""
    viewport = panel.parentWidget()
    bottom = widget.mapTo(viewport, QPoint(0, widget.height())).y()
    return max(0, bottom - viewport.height())


def dock_tab_bar(window, title):
    """The tab bar of the main window's docks that holds a tab called ``title``."""
    from PySide6.QtWidgets import QTabBar

    return next(bar for bar in window.findChildren(QTabBar) if bar.isVisible()
                and title in [bar.tabText(i) for i in range(bar.count())])
