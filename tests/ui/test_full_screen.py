"""*View > Full screen* (F11): the window over the whole screen, as a PACS viewer reads CT, and F11
again back to the window as it was (there was no full screen: a CT walk of session 40)."""

from __future__ import annotations

from editor_helpers import shortcut
from PySide6.QtCore import Qt


def test_f11_shows_the_window_full_screen_and_back(qtbot, window):
    size = window.size()
    action = window.full_screen.action
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert action.text().replace("&", "") == "Full screen" and action in menus["View"].actions()
    shortcut(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen, timeout=5000)
    assert action.isChecked()
    screen = window.screen().geometry()
    qtbot.waitUntil(lambda: window.size() == screen.size(), timeout=5000)
    shortcut(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=5000)
    assert not action.isChecked()
    qtbot.waitUntil(lambda: window.size() == size, timeout=5000)


def test_the_check_follows_the_window(qtbot, window):
    window.showFullScreen()   # as a window manager's own full-screen key
    qtbot.waitUntil(window.isFullScreen, timeout=5000)
    assert window.full_screen.action.isChecked()
    window.showNormal()
    qtbot.waitUntil(lambda: not window.full_screen.action.isChecked(), timeout=5000)


def test_esc_over_a_view_leaves_full_screen_when_it_has_nothing_else_to_do(qtbot, window):
    """As a browser's or a PACS viewer's full screen: Esc there did nothing (no job to cancel)."""
    shortcut(qtbot, window, Qt.Key_F11)
    qtbot.waitUntil(window.isFullScreen, timeout=5000)
    qtbot.keyClick(window.slice_views["axial"], Qt.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=5000)
    assert not window.full_screen.action.isChecked()
