"""Shift+wheel over a slice view in Paint or Erase sizes the brush, a notch as ] or [, as in
Slicer's Paint and Erase; the slice stays. It turned the slice (ending the stroke), the modifier
ignored. Elsewhere (Navigate) Shift+wheel still turns the slice."""

from __future__ import annotations

import pytest
from editor_helpers import INSIDE_CASE_RAS, open_image, pixel_of, wait_for_session, write_image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDoubleSpinBox

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def shift_wheel(widget, pos, notches: int) -> None:
    event = QWheelEvent(QPointF(*pos), widget.mapToGlobal(QPointF(*pos)), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.NoButton, Qt.ShiftModifier, Qt.NoScrollPhase,
                        False)
    QApplication.sendEvent(widget, event)


def radius_box(window) -> QDoubleSpinBox:
    """The editor's *Radius (mm)* box, as the panel shows it."""
    boxes = [box for box in window.edit_actions.panel.findChildren(QDoubleSpinBox)
             if box.isVisible() and box.suffix() == "" and box.value() == pytest.approx(6.0)]
    assert len(boxes) == 1, [box.value() for box in boxes]
    return boxes[0]


@pytest.mark.parametrize("tool", ["paint", "erase"])
def test_shift_wheel_sizes_the_brush_and_keeps_the_slice(qtbot, window, tmp_path, tool):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool(tool)
    window.editor.set_params("paint", radius_mm=6.0)
    window.editor.set_params("erase", radius_mm=6.0)
    box = radius_box(window)
    axial = window.slice_views["axial"]
    z = window.controller.state.crosshair_ras[2]
    pos = pixel_of(window, "axial", INSIDE_CASE_RAS)

    shift_wheel(axial, pos, 2)
    assert window.controller.state.crosshair_ras[2] == z                  # the slice stays
    assert session.params[tool].radius_mm == pytest.approx(6.0 * 1.25 ** 2)
    qtbot.waitUntil(lambda: box.value() == pytest.approx(9.38, abs=0.01), timeout=5000)
    shift_wheel(axial, pos, -3)
    assert session.params[tool].radius_mm == pytest.approx(6.0 / 1.25)
    assert window.controller.state.crosshair_ras[2] == z


def test_shift_wheel_in_navigate_still_turns_the_slice(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    window.edit_actions.panel.select_tool("navigate")
    radius = session.params["paint"].radius_mm
    z = window.controller.state.crosshair_ras[2]
    shift_wheel(window.slice_views["axial"], pixel_of(window, "axial", INSIDE_CASE_RAS), 2)
    assert window.controller.state.crosshair_ras[2] == pytest.approx(z + 4.0)   # two 2 mm slices
    assert session.params["paint"].radius_mm == radius
