"""One current tool, the same in its three places: the *Mouse mode* tool bar, the Edit menu's
checked item and the Segment editor's tool buttons (as Slicer's effect buttons and mouse-mode tool
bar). Until session 42 the tool bar kept *Navigate* checked while Threshold, Islands or Grow from
seeds was the editor's tool, checked nothing during AI click, and the Ruler picked with Threshold
on left both (the editor's Threshold and the tool bar's Ruler)."""

from __future__ import annotations

import pytest
from editor_helpers import shortcut
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from neuroview.ui.editor_options import TOOLS

KEYS = {"navigate": Qt.Key_N, "paint": Qt.Key_P, "erase": Qt.Key_E, "fill": Qt.Key_F,
        "ai-click": Qt.Key_K, "threshold": Qt.Key_T, "window-level": Qt.Key_F2,
        "ruler": Qt.Key_F3, "rectangle": Qt.Key_F4, "angle": Qt.Key_F5}
VIEW_TOOLS = ("window-level", "ruler", "rectangle", "angle")   # tool bar and Tools menu only


def plain(text: str) -> str:
    return text.replace("&", "")


def checked(window) -> dict:
    """The names checked in each place: tool bar, Edit menu, editor's buttons."""
    tool_bar = window.findChild(QToolBar, "mouse-mode")
    return {"tool bar": {plain(a.text()) for a in tool_bar.actions() if a.isChecked()},
            "Edit menu": {plain(a.text()) for a in window.edit_actions.edit_menu.actions()
                          if a.isChecked()},
            "editor": {b.text() for b in window.edit_actions.panel.tool_buttons.values()
                       if b.isChecked()}}


def offered(window) -> dict:
    tool_bar = window.findChild(QToolBar, "mouse-mode")
    return {"tool bar": {plain(a.text()) for a in tool_bar.actions() if a.isCheckable()},
            "Edit menu": {plain(a.text()) for a in window.edit_actions.edit_menu.actions()
                          if a.isCheckable()},
            "editor": {b.text() for b in window.edit_actions.panel.tool_buttons.values()}}


NAMES = {**{name: text for name, text, _tip in TOOLS}, "window-level": "Window/level",
         "ruler": "Ruler", "rectangle": "Rectangle statistics", "angle": "Angle"}


def assert_one_tool(window, tool: str, how: str) -> None:
    text = NAMES[tool]
    places = offered(window)
    assert any(text in names for names in places.values()), text
    for place, names in checked(window).items():
        want = {text} & places[place]
        assert names == want, f"{text} picked by {how}: {place} shows {sorted(names) or 'nothing'}"


def ways(window, tool):
    """Each way a user picks ``tool``: its key, its menu item, its button."""
    found = []
    if tool in KEYS:
        found.append(("key", lambda q: shortcut(q, window, KEYS[tool])))
    if tool in window.edit_actions.tool_actions:
        found.append(("Edit menu", lambda q: window.edit_actions.tool_actions[tool].trigger()))
    if tool in window.mode_actions:
        found.append(("tool bar", lambda q: window.mode_actions[tool].trigger()))
    if tool in window.edit_actions.panel.tool_buttons:
        found.append(("editor button", lambda q: q.mouseClick(
            window.edit_actions.panel.tool_buttons[tool], Qt.LeftButton)))
    return found


TOOL_NAMES = [name for name, _t, _tip in TOOLS] + list(VIEW_TOOLS)


@pytest.mark.parametrize("before", ["threshold", "ruler", "paint"])
def test_every_tool_every_way_shows_one_tool_everywhere(qtbot, window, before):
    for tool in TOOL_NAMES:
        for how, pick in ways(window, tool):
            ways(window, before)[0][1](qtbot)   # from another tool, of each kind
            assert_one_tool(window, before, "its first way")
            pick(qtbot)
            assert_one_tool(window, tool, how)
            back = ways(window, "navigate")
            for back_how, back_pick in back:   # and back to Navigate, each way
                pick(qtbot)
                back_pick(qtbot)
                assert_one_tool(window, "navigate", f"{back_how} after {tool}")
                assert window.controller.mode == "navigate" and window.edit_actions.panel.tool == "navigate"
