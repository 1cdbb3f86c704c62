"""The tool bar's buttons name their keys in their tooltips, as the menus do beside each command
(and 3D Slicer's tool bars): until session 31 hovering *Navigate* showed "Navigate", *Next case*
its sentence with no word of Ctrl+N."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QAction, QHelpEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QToolTip, QWidget

from neuroview.ui.tooltip_keys import keys_text


def shown_tooltip(qtbot, widget) -> str:
    """What hovering ``widget`` shows: the tooltip Qt pops up on its help event."""
    centre = widget.rect().center()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.ToolTip, centre, widget.mapToGlobal(centre)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=10000)
    return QToolTip.text()


def test_tool_bar_tooltips_name_the_keys(qtbot, window):
    bar = window.findChild(QToolBar, "mouse-mode")
    with_keys = [a for a in bar.actions() if a.shortcuts()]
    assert {a.text().replace("&", "") for a in with_keys} >= {
        "Navigate", "Window/level", "Ruler", "Next case", "Send to training set...",
        "Segment with a model..."}
    for action in with_keys:
        keys = ", ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts())
        button = bar.widgetForAction(action)
        assert button.toolTip().endswith(f"({keys})"), (action.text().replace("&", ""), button.toolTip())
    navigate = bar.widgetForAction(window.mode_actions["navigate"])
    assert shown_tooltip(qtbot, navigate) == "Navigate (N, F1)"
    nxt = bar.widgetForAction(window.training_actions.next_action)
    assert shown_tooltip(qtbot, nxt).startswith("Next case of the worklist")
    assert QToolTip.text().endswith("(Ctrl+N)")
    qtbot.mouseMove(window.slice_views["axial"], QPoint(20, 20))


KEY_NAMED = re.compile(r"(?<![\w+])(?:(?:Ctrl|Shift|Alt|Meta)\+)*(?:F\d{1,2}\b|(?<=\+)(?:[A-Z0-9]|"
                       r"Left|Right|Up|Down|Tab|Enter|Return|Del|Delete|Space|Home|End|PgUp|PgDown|"
                       r"[\[\]/.,])(?![\w]))")
"""A key a text names with its modifiers (``Ctrl+Shift+N``, ``Alt+Shift+Right``) or a function
key (``F2``): not a mouse gesture (``Ctrl+drag``, ``Shift+click``)."""


def window_keys(window) -> set[str]:
    """Every key of the window's actions, as the menus write it."""
    return {key.toString(QKeySequence.NativeText) for action in window.findChildren(QAction)
            for key in action.shortcuts()}


def shown_tips(window):
    """(where, text) of each tooltip and status tip the window shows: its widgets' (every editor
    tool's page built), its tool bars' and tooltip-showing menus' actions', its actions' status tips."""
    panel = window.edit_actions.panel
    for tool in panel.option_widgets:
        panel.option_widgets[tool]
    for widget in window.findChildren(QWidget):
        if widget.toolTip():
            yield f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}", widget.toolTip()
    shown = [a for bar in window.findChildren(QToolBar) for a in bar.actions()]
    shown += [a for menu in window.findChildren(QMenu) if menu.toolTipsVisible() for a in menu.actions()]
    for action in shown:
        yield f"action {action.text()!r}", action.toolTip()
    for action in window.findChildren(QAction):
        if action.statusTip():
            yield f"action {action.text()!r} status tip", action.statusTip()


def test_each_key_a_tooltip_names_is_a_key_of_the_window(window):
    keys = window_keys(window)
    wrong = [f"{where}: {key} in {tip!r}" for where, tip in shown_tips(window)
             for key in KEY_NAMED.findall(tip) if key not in keys]
    assert not wrong, "\n".join(wrong)


def test_the_editor_tools_tips_name_their_keys(window):
    """The segment editor's tool buttons begin with the keys of the tool's action (``P: paint...``),
    those the Edit menu and the tool bar show, and a tool with no key names none."""
    actions = dict(window.edit_actions.tool_actions, navigate=window.mode_actions["navigate"])
    panel = window.edit_actions.panel
    for tool, button in panel.tool_buttons.items():
        keys = keys_text(actions[tool]) if tool in actions else ""
        prefix = button.toolTip().split(": ")[0]
        assert prefix == keys if keys else len(prefix) > 12, (tool, button.toolTip(), keys)


def test_the_boxes_name_the_keys_that_step_them(window):
    """The Display panel's boxes that a View menu command steps name its keys on hover, as those
    commands have them (the time point box and the slab's thickness named none)."""
    keys = {a.text().replace("&", ""): keys_text(a) for a in window.findChildren(QAction)}
    panel = window.display_panel
    overlay = panel.fusion_row
    for box, up, down in ((panel.frame_box, "Next time point", "Previous time point"),
                          (overlay.frame_box, "Next overlay time point", "Previous overlay time point"),
                          (overlay.opacity_slider, "More opaque", "Less opaque")):
        assert f"({keys[up]} / {keys[down]} step it)" in box.toolTip(), box.toolTip()
    assert f"; {keys['Thick slab (MIP)']}: a MIP of this thickness" in panel.slab_row.thickness_box.toolTip()
    first, last, auto = keys["Brain 80/40"], keys["Mediastinum 350/50"], keys["Auto (percentiles)"]
    assert panel.preset_box.toolTip() == (f"Keys {first} to {last}: the CT presets of View > Window "
                                          f"preset (a CT only), {auto}: Auto (percentiles)")
