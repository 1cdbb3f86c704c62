"""A tool picked by its key brings the Segment editor's tab to the front. At 1366x768 the editor
shares a tabbed dock with Measurements (``editor_fold``), and a measurement added brings that tab
forward; pressing P then picked Paint with its options unseen behind Measurements.

A tool key also brings back an editor dock the user closed with its X, where it was (as Slicer
and ITK-SNAP bring their editor back), and *View > Panels > Segment editor* is checked again: until
session 34 P, E, K or Shift+E changed the tool with nothing on screen to say so."""

from __future__ import annotations

from editor_helpers import activate, open_image, shortcut, wait_for_session, write_image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDockWidget
from small_screens import below_the_fold, launched_window


def seen(widget) -> bool:
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def _editing(qtbot, monkeypatch, tmp_path, width: int, height: int):
    """The window launched on a ``width`` x ``height`` screen, an image open with a segment
    ``lesion``: (window, its session)."""
    window = launched_window(qtbot, monkeypatch, width, height)
    activate(qtbot, window)
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    session.segments.add("lesion")
    return window, session


def test_a_tool_key_brings_the_editor_forward_at_1366x768(qtbot, monkeypatch, tmp_path):
    window, session = _editing(qtbot, monkeypatch, tmp_path, 1366, 768)
    panel, dock = window.edit_actions.panel, window.edit_actions.dock
    measurements = window.findChild(QDockWidget, "Measurements")
    qtbot.mouseClick(panel.tool_buttons["fill"], Qt.LeftButton)   # the short screen: tabbed
    qtbot.waitUntil(lambda: measurements in window.tabifiedDockWidgets(dock), timeout=10000)
    for key, tool, option in ((Qt.Key_P, "paint", "radius_mm"), (Qt.Key_F, "fill", "mode"),
                              (Qt.Key_T, "threshold", "low"), (Qt.Key_E, "erase", "segment")):
        window.measurements.add("Ruler: 12.3 mm")   # a measurement shows its tab, as it should
        qtbot.waitUntil(lambda: seen(measurements.widget()) and not seen(panel), timeout=10000)
        shortcut(qtbot, window, key)
        assert panel.tool == tool
        qtbot.waitUntil(lambda t=tool, o=option: seen(panel.option_widgets[t][o]), timeout=10000)
        assert not seen(measurements.widget())
    window.measurements.add("Ruler: 4.5 mm")
    qtbot.waitUntil(lambda: not seen(panel), timeout=10000)
    shortcut(qtbot, window, Qt.Key_E, Qt.ShiftModifier)   # Shift+E: every segment, the erase brush
    assert panel.tool == "erase" and session.params["erase"].segment == "all"
    qtbot.waitUntil(lambda: seen(panel.option_widgets["erase"]["segment"]), timeout=10000)


def view_menu_toggle(window, title):
    """The panel's entry in *View > Panels*."""
    return next(a for a in window.panels_menu.actions() if a.text().replace("&", "") == title)


def close_by_its_x(qtbot, dock) -> None:
    button = dock.findChild(QAbstractButton, "qt_dockwidget_closebutton")
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dock.isVisible(), timeout=10000)


def test_a_tool_key_brings_back_an_editor_the_user_closed(qtbot, monkeypatch, tmp_path):
    window, session = _editing(qtbot, monkeypatch, tmp_path, 1600, 1000)
    panel, dock = window.edit_actions.panel, window.edit_actions.dock
    toggle = view_menu_toggle(window, "Segment editor")
    segments = window.findChild(QDockWidget, "Segments")
    assert toggle.isCheckable() and toggle.isChecked()
    for key, modifiers, tool in ((Qt.Key_P, Qt.NoModifier, "paint"), (Qt.Key_K, Qt.NoModifier, "ai-click"),
                                 (Qt.Key_F, Qt.NoModifier, "fill"), (Qt.Key_E, Qt.ShiftModifier, "erase")):
        close_by_its_x(qtbot, dock)
        assert not toggle.isChecked()
        shortcut(qtbot, window, key, modifiers)
        assert panel.tool == tool
        qtbot.waitUntil(lambda t=tool: seen(panel.tool_buttons[t]) and seen(panel.stack.currentWidget()),
                        timeout=10000)
        assert panel.tool_buttons[tool].isChecked()
        assert toggle.isChecked() and not dock.isFloating()
        assert segments in window.tabifiedDockWidgets(dock)   # back in its place, not a new one
    assert session.params["erase"].segment == "all"   # Shift+E did its own work too
    toggle.trigger()   # the View menu closes and opens it as the X and the keys do
    qtbot.waitUntil(lambda: not dock.isVisible(), timeout=10000)
    toggle.trigger()
    qtbot.waitUntil(lambda: seen(panel.tool_buttons["erase"]), timeout=10000)


def test_an_editor_closed_before_any_tool_comes_back_whole_at_1366x768(qtbot, monkeypatch, tmp_path):
    """Closed before a tool was picked, the editor came back tabbed with Measurements but 7 pixels
    short: Paint's last option lay below the fold, behind a scroll bar (the dock was grown by its
    own height, while Qt sizes its tab group, the tab bar included)."""
    window, _ = _editing(qtbot, monkeypatch, tmp_path, 1366, 768)
    panel, dock = window.edit_actions.panel, window.edit_actions.dock
    close_by_its_x(qtbot, dock)
    shortcut(qtbot, window, Qt.Key_P)
    measurements = window.findChild(QDockWidget, "Measurements")
    qtbot.waitUntil(lambda: measurements in window.tabifiedDockWidgets(dock), timeout=10000)
    qtbot.waitUntil(lambda: below_the_fold(panel, panel.stack.currentWidget()) == 0, timeout=10000)
    assert dock.widget().verticalScrollBar().value() == 0
    assert seen(panel.option_widgets["paint"]["intensity_high"])
