"""F6 takes the keys to the side panels in the order they sit on screen, top to bottom and, in a
row of tabbed panels, their tabs left to right. On a 1366x768 laptop (the Segment editor,
Segments, Lesions and Measurements tabbed under Display) F6 went to *Measurements* first, then
up to *Display*, then down again to *Segments*, *Lesions* and *Segment editor*, until session 42:
the order was the window's list of children, which raising a tabbed panel reorders."""

from __future__ import annotations

from editor_helpers import activate, open_image, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDockWidget
from small_screens import dock_tab_bar, launched_window


def _where(window, dock):
    """(top, left, tab) of ``dock`` on screen as the user reads it: a panel tabbed behind another
    sits where the shown one is, at its tab's place in the row."""
    if not window.tabifiedDockWidgets(dock):
        top_left = dock.mapTo(window, QPoint(0, 0))
        return top_left.y(), top_left.x(), 0
    bar = dock_tab_bar(window, dock.windowTitle())
    titles = [bar.tabText(i) for i in range(bar.count())]
    shown = window.findChild(QDockWidget, titles[bar.currentIndex()])
    top_left = shown.mapTo(window, QPoint(0, 0))
    return top_left.y(), top_left.x(), titles.index(dock.windowTitle())


def test_f6_goes_down_the_panels_as_they_sit_on_a_laptop_screen(qtbot, monkeypatch, tmp_path):
    window = launched_window(qtbot, monkeypatch, 1366, 768)
    activate(qtbot, window)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(60, 60))
    panels = [d for d in window.findChildren(QDockWidget) if d.toggleViewAction().isChecked()]
    assert len(panels) >= 5 and window.tabifiedDockWidgets(window.findChild(QDockWidget, "Segments"))
    seen = []
    for _ in panels:
        type_key(window, Qt.Key_F6)
        focus = QApplication.focusWidget()
        seen.append(next(d for d in panels if d.isAncestorOf(focus)))
    places = [_where(window, d) for d in seen]
    assert sorted(seen, key=lambda d: _where(window, d)) == seen, [
        (d.windowTitle(), p) for d, p in zip(seen, places)]
    assert [d.windowTitle() for d in seen] == [   # as the screen shows them
        "Display", "Segments", "Segment editor", "Lesions", "Measurements"]
    type_key(window, Qt.Key_F6)
    assert QApplication.focusWidget() is axial
