"""Menus in the usual order, one name for the navigate mode, and a Help menu: a non-modal list of
every shortcut made from the actual actions, and About with versions and the compute device."""

from __future__ import annotations

import threading
from importlib import metadata

from key_presses import type_key
from PySide6.QtCore import QPoint, QRect, Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence, QScreen
from PySide6.QtWidgets import QApplication

import neuroview
from neuroview.ui import model_choice


def menu_titles(window) -> list[str]:
    return [a.text().replace("&", "") for a in window.menuBar().actions() if a.menu() is not None]


def menu_click(qtbot, window, title, text):
    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text().replace("&", "") == title)
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(top).center())
    menu = top.menu()
    qtbot.waitUntil(menu.isVisible, timeout=10000)
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible(), timeout=10000)


def all_texts(menu) -> list[str]:
    out = []
    for action in menu.actions():
        out.append(action.text().replace("&", ""))
        if action.menu() is not None:
            out += all_texts(action.menu())
    return out


def test_menu_order_and_one_navigate(qtbot, window):
    assert menu_titles(window) == ["File", "Edit", "View", "AI", "Tools", "Settings", "Help"]
    # no Crosshair tool beside Navigate in the tool menus (View > Crosshair shows or hides the lines)
    tools = [t for a in window.menuBar().actions() if a.menu()
             and a.text().replace("&", "") in ("Edit", "Tools") for t in all_texts(a.menu())]
    assert "Crosshair" not in " ".join(tools)
    navigate = [a for a in window.findChildren(QAction) if a.text().replace("&", "").startswith("Navigate")]
    assert len(navigate) == 1                                     # one action, in Edit and Tools
    keys = [s.toString() for s in navigate[0].shortcuts()]
    assert keys == ["N", "F1"]
    window.controller.set_mode("ruler")
    window.slice_views["axial"].setFocus()
    type_key(window, Qt.Key_F1)
    assert window.controller.mode == "navigate"


def test_keyboard_shortcuts_lists_every_action_and_is_not_modal(qtbot, window):
    menu_click(qtbot, window, "Help", "Keyboard shortcuts")
    dialog = window.help_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    assert not dialog.isModal()
    table = dialog.table
    rows = {(table.item(r, 1).text(), table.item(r, 2).text()) for r in range(table.rowCount())}
    # every action of the window that has a shortcut and sits in a menu is listed with its keys
    expected = set()
    for action in window.findChildren(QAction):
        if action.shortcuts() and action.text() and action.associatedObjects():
            in_menu = any(type(o).__name__ == "QMenu" for o in action.associatedObjects())
            if in_menu:
                expected.add((action.text().replace("&", ""), ", ".join(   # keyboard keys only
                    s.toString(QKeySequence.NativeText) for s in action.shortcuts()
                    if s[0].key().value < Qt.Key.Key_Back.value)))
    assert len(expected) > 15 and expected <= rows
    assert ("Undo", "Ctrl+Z") in rows and ("Paint", "P") in rows and ("Navigate", "N, F1") in rows
    assert any(keys.startswith("Wheel") for _c, keys in rows)     # the views' own keys
    # how to accept or discard a preview of the AI click tool (found missing walking the window)
    assert any(keys == "Enter" and command.startswith("Accept the preview") for command, keys in rows)
    assert any(keys == "Esc" and "discard the preview" in command for command, keys in rows)
    # every command and key is read whole: no cell is elided ("Accept the preview (AI click,
    # grow, fill ..." was, in a 620-pixel dialog); on a narrow screen (Qt's offscreen one is 800
    # wide) a long command wraps onto a taller row
    assert not cut_cells(qtbot, table)
    # the window stays usable while it is open
    window.activateWindow()
    qtbot.mouseClick(window.slice_views["axial"], Qt.LeftButton, pos=QPoint(30, 30))
    assert dialog.isVisible()


def test_about_shows_versions_and_the_device(qtbot, window, monkeypatch):
    loaded = threading.Event()
    monkeypatch.setattr(model_choice, "_resolved", {})
    monkeypatch.setattr(model_choice, "resolve_devices",
                        lambda progress=None, cancel=None: loaded.wait(30) and {"auto": "cpu"})
    menu_click(qtbot, window, "Help", "About neuroview")
    dialog = window.help_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    text = dialog.text
    from vtkmodules.vtkCommonCore import vtkVersion

    assert f"neuroview: {neuroview.__version__}" in text
    assert qVersion() in text and vtkVersion.GetVTKVersion() in text
    assert f"torch: {metadata.version('torch')}" in text
    assert model_choice.CHECKING in text                          # still loading, window usable
    loaded.set()
    qtbot.waitUntil(lambda: "Compute device: cpu" in dialog.text, timeout=10000)


def test_keyboard_shortcuts_fit_a_narrow_screen(qtbot, window, monkeypatch):
    """A portrait 2048x2560 monitor at 200 % has 1024 points of width (a 1366x768 laptop at 125 %:
    1093 x 614): the dialog was 1145 points wide, its Keys column past the screen's edge. Now it
    fits, and the commands wrap whole onto more lines."""
    room = QRect(0, 0, 1024, 560)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: room)
    menu_click(qtbot, window, "Help", "Keyboard shortcuts")
    dialog = window.help_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    assert dialog.width() <= room.width() and dialog.height() <= room.height() - 40
    cut = cut_cells(qtbot, dialog.table)
    assert not cut, f"cells cut short: {cut[:3]}"


def test_keyboard_shortcuts_keep_keys_near_their_commands_on_a_wide_screen(qtbot, window, monkeypatch):
    """On a 1920x1080 screen the one long command (Esc's, 231 characters) made the dialog 1789
    pixels wide, each key 1200 pixels right of its command (session 41's walk). The command column
    is now one line of 80 characters at most; the long one wraps, still whole."""
    room = QRect(0, 0, 1920, 1040)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: room)
    menu_click(qtbot, window, "Help", "Keyboard shortcuts")
    dialog = window.help_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=10000)
    table = dialog.table
    line = table.fontMetrics().horizontalAdvance("x" * 80)
    assert table.columnWidth(1) <= line + 40, (table.columnWidth(1), line)
    assert dialog.width() < 1200, dialog.width()
    esc = next(r for r in range(table.rowCount()) if table.item(r, 2).text() == "Esc")
    assert table.rowHeight(esc) >= 2 * table.fontMetrics().height()   # wrapped onto lines
    cut = cut_cells(qtbot, table)
    assert not cut, f"cells cut short: {cut[:3]}"


def cut_cells(qtbot, table) -> list[str]:
    """Texts of the cells not shown whole (wrapped at word boundaries into their row's height),
    once no column reaches past the table's right edge."""
    qtbot.waitUntil(lambda: sum(table.columnWidth(c) for c in range(3))
                    <= table.viewport().width(), timeout=10000)
    metrics, style = table.fontMetrics(), table.style()
    margin = 2 * (style.pixelMetric(style.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    cut = []
    for r in range(table.rowCount()):
        for c in range(3):
            text, width = table.item(r, c).text(), table.columnWidth(c) - margin
            needed = metrics.boundingRect(QRect(0, 0, width, 10000), Qt.TextWordWrap, text)
            if needed.width() > width or needed.height() > table.rowHeight(r):
                cut.append(text)
    return cut
