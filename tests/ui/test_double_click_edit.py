"""A double-click while editing is two clicks, not *maximise*: Paint dabs twice (as in ITK-SNAP),
and in Navigate a double-click still maximises the view. It maximised the view while painting,
re-laying the views under the pointer, and the second dab was lost."""

from __future__ import annotations

from editor_helpers import INSIDE_CASE_RAS, _send, open_case, pixel_of
from PySide6.QtCore import QEvent, Qt

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _double_click(view, pixel) -> None:
    _send(view, QEvent.MouseButtonPress, pixel, Qt.LeftButton, Qt.LeftButton)
    _send(view, QEvent.MouseButtonRelease, pixel, Qt.LeftButton, Qt.NoButton)
    _send(view, QEvent.MouseButtonDblClick, pixel, Qt.LeftButton, Qt.LeftButton)
    _send(view, QEvent.MouseButtonRelease, pixel, Qt.LeftButton, Qt.NoButton)


def test_a_double_click_in_paint_paints_twice_and_keeps_the_layout(qtbot, window, tmp_path):
    volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=2.0, mode="2d")
    view = window.slice_views["axial"]
    _double_click(view, pixel_of(window, "axial", INSIDE_CASE_RAS))
    assert window.controller.state.maximised is None
    assert (session.labels.array > 0).any()
    steps = 0
    while session.undo() is not None:
        steps += 1
    assert steps == 2   # two dabs, each its own step


def test_a_double_click_in_navigate_still_maximises(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path)
    view = window.slice_views["axial"]
    _double_click(view, pixel_of(window, "axial", INSIDE_CASE_RAS))
    assert window.controller.state.maximised == "axial"
