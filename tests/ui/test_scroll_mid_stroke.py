"""A brush stroke follows the slice shown: the wheel (or Page Up) while the button is down ends
the stroke on the old slice and goes on on the new one, as Slicer's paint does. It used to stay
on the old slice, painting where the view no longer showed it, the new slice left empty."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import INSIDE_CASE_RAS, _repaint, _send, open_case, pixel_of
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _wheel_up(view, pos) -> None:
    pos = QPointF(*pos)
    QApplication.sendEvent(view, QWheelEvent(pos, view.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 240),
                                             Qt.LeftButton, Qt.NoModifier, Qt.NoScrollPhase, False))


def _page_up(view, pos) -> None:
    from PySide6.QtTest import QTest

    QTest.keyClick(view, Qt.Key_PageUp)


@pytest.mark.parametrize("scroll, slices", [(_wheel_up, 2), (_page_up, 1)])
def test_the_stroke_goes_on_on_the_slice_scrolled_to(qtbot, window, tmp_path, scroll, slices):
    volume, session = open_case(qtbot, window, tmp_path)
    session.segments.add("lesion")
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=2.0, mode="2d")
    view = window.slice_views["axial"]
    start, middle, end = (INSIDE_CASE_RAS + (dx, 0.0, 0.0) for dx in (-8.0, 0.0, 10.0))
    _send(view, QEvent.MouseButtonPress, pixel_of(window, "axial", start), Qt.LeftButton, Qt.LeftButton)
    _send(view, QEvent.MouseMove, pixel_of(window, "axial", middle), Qt.NoButton, Qt.LeftButton)
    _repaint(window)
    scroll(view, pixel_of(window, "axial", middle))
    assert window.controller.state.crosshair_ras[2] == pytest.approx(INSIDE_CASE_RAS[2] + 2.0 * slices)
    end_pixel = pixel_of(window, "axial", end)
    _send(view, QEvent.MouseMove, end_pixel, Qt.NoButton, Qt.LeftButton)
    _send(view, QEvent.MouseButtonRelease, end_pixel, Qt.LeftButton, Qt.NoButton)

    ras_to_ijk = np.linalg.inv(volume.ijk_to_ras)
    i_start, i_middle, i_end, j, k_old = (
        int(v) for v in np.rint([(ras_to_ijk @ np.append(p, 1))[n] for p, n in
                                 ((start, 0), (middle, 0), (end, 0), (middle, 1), (middle, 2))]))
    k_new = k_old + slices
    painted = session.labels.array > 0
    row_old, row_new = painted[:, j, k_old], painted[:, j, k_new]
    assert row_old[i_start:i_middle + 1].all(), "the stroke before the scroll: on the old slice"
    assert not row_old[i_end], "after the scroll nothing more on the old slice"
    assert row_new[i_middle:i_end + 1].all(), "after the scroll: on the slice shown"
    assert not row_new[i_start], "before the scroll nothing on the new slice"
    assert set(np.flatnonzero(painted.any(axis=(0, 1)))) == {k_old, k_new}
    session.undo()   # two steps, one per slice: the new slice's part goes first
    assert not session.labels.array[..., k_new].any() and session.labels.array[..., k_old].any()
