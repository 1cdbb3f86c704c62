"""The window fits a short screen: 1920x1080 at 200 % scale is 960x540 logical pixels (1366x768 at
150 %: 910x512). The Display panel, shown whole, held the window at least 620 pixels tall: its
status bar and the views' lower edge lay below the screen. It scrolls there now (as the Segment
editor does), and stays whole where the screen has the room."""

from __future__ import annotations

import pytest
from editor_helpers import close_without_asking
from small_screens import FakeScreen

from neuroview.ui.panel_scroll import PanelScroll


def shown_window(qtbot, monkeypatch, width, height):
    from neuroview.ui.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "screen", lambda self: FakeScreen(width, height))
    window = MainWindow()
    qtbot.addWidget(window, before_close_func=close_without_asking)
    window.resize(min(window.width(), width), height - 40)   # as neuroview.ui.launch sizes it
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_window_fits_a_screen_540_pixels_high(qtbot, monkeypatch):
    window = shown_window(qtbot, monkeypatch, 960, 540)
    assert window.minimumSizeHint().height() <= 500
    qtbot.waitUntil(lambda: window.height() <= 500, timeout=5000)
    assert window.statusBar().geometry().bottom() < window.height()
    assert not window.display_panel.window_box.visibleRegion().isEmpty()   # scrolled, still there


@pytest.mark.parametrize("height", [768, 1080])
def test_the_display_panel_is_whole_where_the_screen_has_room(qtbot, monkeypatch, height):
    window = shown_window(qtbot, monkeypatch, 1366, height)
    panel = window.display_panel
    qtbot.waitUntil(lambda: panel.height() >= panel.sizeHint().height(), timeout=5000)
    scroll = window.findChild(PanelScroll, None)
    assert scroll.widget() is panel and not scroll.verticalScrollBar().isVisible()
