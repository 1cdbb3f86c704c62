"""At 1366x768 the Segment editor's dock area holds four tabs, *Segments | Segment editor |
Lesions | Measurements*; they asked 385 pixels of the dock's 364 and every label was cut short
(``Segme… | Segment ed… | Lesi… | Measureme…``). The dock tabs are padded less now and never
elided: the four read whole in sight, and where more tabs do not fit the bar scrolls with its
arrows, each label whole. At 1024x700 a worklist's fifth tab scrolled *Segments* out of sight
(session 38): the Segment editor's tab reads *Editor*, and the five fit."""

from __future__ import annotations

import os

from editor_helpers import open_image, wait_for_session, write_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QToolButton
from small_screens import below_the_fold, dock_tab_bar, launched_window

TABS = ["Segments", "Segment editor", "Lesions", "Measurements"]


def whole(bar, i: int) -> bool:
    """Qt elides a tab's label when its rectangle is narrower than the tab asks."""
    return bar.tabRect(i).width() >= bar.tabSizeHint(i).width()


def arrows(bar) -> list:
    return [b for b in bar.findChildren(QToolButton) if b.isVisible()]


def test_the_editor_tabs_read_whole_at_1366x768(qtbot, monkeypatch, tmp_path):
    window = launched_window(qtbot, monkeypatch, 1366, 768)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window).segments.add("lesion")
    panel, dock = window.edit_actions.panel, window.edit_actions.dock
    measurements = window.findChild(QDockWidget, "Measurements")
    qtbot.mouseClick(panel.tool_buttons["paint"], Qt.LeftButton)   # the short screen: tabbed
    qtbot.waitUntil(lambda: measurements in window.tabifiedDockWidgets(dock), timeout=10000)
    bar = dock_tab_bar(window, "Segment editor")
    qtbot.waitUntil(lambda: bar.count() == 4, timeout=10000)
    bar.grab().save(os.fspath(tmp_path / "tabs_1366.png"))
    assert [bar.tabText(i) for i in range(bar.count())] == TABS
    for i in range(bar.count()):
        assert whole(bar, i), (bar.tabText(i), bar.tabRect(i).width(), bar.tabSizeHint(i).width())
        assert 0 <= bar.tabRect(i).left() and bar.tabRect(i).right() < bar.width(), bar.tabText(i)
    assert bar.elideMode() == Qt.ElideNone
    assert arrows(bar) == []                      # all four in sight, no scrolling
    qtbot.waitUntil(lambda: below_the_fold(panel, panel.stack.currentWidget()) == 0,
                    timeout=10000)                 # the options still whole
    assert dock.widget().verticalScrollBar().value() == 0


def test_more_tabs_than_room_scroll_with_arrows_their_labels_whole(qtbot, monkeypatch, tmp_path):
    window = launched_window(qtbot, monkeypatch, 1366, 768)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    wait_for_session(qtbot, window).segments.add("lesion")
    panel, dock = window.edit_actions.panel, window.edit_actions.dock
    qtbot.mouseClick(panel.tool_buttons["paint"], Qt.LeftButton)
    measurements = window.findChild(QDockWidget, "Measurements")
    qtbot.waitUntil(lambda: measurements in window.tabifiedDockWidgets(dock), timeout=10000)
    extra = QDockWidget("Worklist of the week", window)   # as the Worklist tabs in when opened
    extra.setObjectName("extra")
    extra.setWidget(QLabel("cases"))
    window.tabifyDockWidget(measurements, extra)
    bar = dock_tab_bar(window, "Segment editor")
    qtbot.waitUntil(lambda: bar.count() == 5 and arrows(bar) != [], timeout=10000)
    for i in range(bar.count()):
        assert whole(bar, i), bar.tabText(i)
    extra.raise_()
    qtbot.waitUntil(lambda: bar.tabRect(4).right() < bar.width() and bar.tabRect(4).left() >= 0,
                    timeout=10000)   # the raised tab scrolled into sight


def test_at_1024x700_with_a_worklist_every_tab_is_in_sight(qtbot, monkeypatch, tmp_path):
    """The worklist's fifth tab: the bar scrolled, *Segments* out of sight behind its arrows
    (session 38's walk). The Segment editor's tab reads *Editor* now, and the five fit."""
    from worklist_cases import open_worklist, worklist_folder

    window = launched_window(qtbot, monkeypatch, 1024, 700)
    window.resize(1024, 700)
    open_worklist(qtbot, window, worklist_folder(tmp_path))
    qtbot.mouseClick(window.edit_actions.panel.tool_buttons["paint"], Qt.LeftButton)
    bar = dock_tab_bar(window, "Segment editor")
    qtbot.waitUntil(lambda: bar.count() == 5, timeout=10000)
    assert [bar.tabText(i) for i in range(5)] == TABS + ["Worklist"]   # the docks' titles, kept
    qtbot.waitUntil(lambda: arrows(bar) == [], timeout=10000)
    for i in range(5):
        assert whole(bar, i) and 0 <= bar.tabRect(i).left() and bar.tabRect(i).right() < bar.width(), (
            bar.tabText(i), bar.tabRect(i), bar.width())
    assert bar.tabRect(1).width() < bar.tabRect(0).width()   # "Editor", narrower than "Segments"
