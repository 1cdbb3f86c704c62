"""A ruler's length near the top of the 3D view is drawn below a notice bar floating there, as the
slice views draw theirs (``test_measure_labels_under_bar.py``): the 3D frame kept its values where
the ruler's end was, under the bar, and no frame was drawn when a bar came or went."""

from __future__ import annotations

import numpy as np
from angle_clicks import open_case
from measure_drawing import CYAN, coloured
from ruler_pictures import picture

from neuroview.app.view_measure import Ruler


def ras_at(view3d, col: float, row: float) -> np.ndarray:
    """The RAS point (mm) drawn at frame pixel ``(col, row)`` (top-left origin), on the plane
    through the camera's focal point."""
    renderer = view3d.scene.renderer
    renderer.SetWorldPoint(*renderer.GetActiveCamera().GetFocalPoint(), 1.0)
    renderer.WorldToDisplay()
    depth = renderer.GetDisplayPoint()[2]
    renderer.SetDisplayPoint(col, view3d.rgb.shape[0] - 1 - row, depth)
    renderer.DisplayToWorld()
    x, y, z, w = renderer.GetWorldPoint()
    return np.array([x, y, z]) / w


def test_a_rulers_length_in_3d_is_drawn_below_a_notice_bar(qtbot, window, tmp_path):
    open_case(qtbot, window, tmp_path, "oblique")
    view3d, c = window.view3d, window.controller
    qtbot.waitUntil(lambda: view3d._scene_volume is c.volume and view3d.rgb is not None,
                    timeout=30000)
    ratio = view3d.devicePixelRatioF()
    origin = view3d.mapTo(window.grid_host, view3d.rect().topLeft())

    def letter_rows() -> np.ndarray:
        """The rows (the 3D view's points) where the value's letters show on screen, the bars
        drawn over the views as the user sees them; the ruler's own row left out."""
        shown = picture(window.grid_host)
        top, left = round(origin.y() * ratio), round(origin.x() * ratio)
        height, width = round(view3d.height() * ratio), round(view3d.width() * ratio)
        cyan = coloured(shown[top:top + height, left:left + width], CYAN, 40)
        cyan[max(0, line_row - 3):line_row + 4] = False
        return np.flatnonzero(cyan.sum(axis=1) > 0) / ratio

    window.notice_bar.tell("A notice over the views")
    qtbot.waitUntil(lambda: window.bars.covered_to(view3d) > 40, timeout=5000)
    covered = window.bars.covered_to(view3d)
    window.notice_bar.hide()
    assert window.bars.covered_to(view3d) == 0
    # a ruler across the upper part of the view, its end (where its length is written) a third
    # of the way down what the bar covers
    height, width = view3d.rgb.shape[:2]
    line_row = round(covered * ratio / 3)
    c.add_ruler(Ruler("axial", ras_at(view3d, width * 0.3, line_row),
                      ras_at(view3d, width * 0.5, line_row)))
    qtbot.waitUntil(lambda: letter_rows().size > 5 and letter_rows().min() < covered - 4,
                    timeout=10000)
    window.notice_bar.tell("A notice over the views")   # the bar comes: the length goes below it
    qtbot.waitUntil(lambda: letter_rows().size > 5 and letter_rows().min() >= covered,
                    timeout=10000)
    window.notice_bar.hide()   # and back beside the ruler's end once it is gone
    qtbot.waitUntil(lambda: letter_rows().size > 5 and letter_rows().min() < covered - 4,
                    timeout=10000)
