"""*Tools > Ellipse statistics* (F7): a drag on a slice view draws an ellipse (a circle in a
square) with its figures beside it, as a PACS viewer's elliptical ROI; the figures are those of
the image's voxels inside it (against numpy), listed in *Measurements*; Esc takes it off. There
was the rectangle alone until session 47."""

from __future__ import annotations

import numpy as np
from editor_helpers import grab, open_image, write_image
from key_presses import type_key
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from neuroview.app.view_measure import format_value


def _orange(picture) -> np.ndarray:
    r, g, b = (picture[..., i].astype(int) for i in range(3))
    return (r > 200) & (g > 100) & (g < 185) & (b < 110)


def test_an_ellipse_drawn_reads_the_voxels_inside_it(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    qtbot.mouseClick(axial, Qt.LeftButton, pos=QPoint(20, 20))   # the keys go to the views
    type_key(window, Qt.Key_F7)
    assert window.controller.mode == "ellipse"
    a = QPoint(axial.width() // 2 - 50, axial.height() // 2 - 30)
    b = a + QPoint(100, 60)
    QTest.mousePress(axial, Qt.LeftButton, Qt.NoModifier, a)
    for t in np.linspace(0.25, 1.0, 4):
        QTest.mouseMove(axial, a + (b - a) * float(t))
    QTest.mouseRelease(axial, Qt.LeftButton, Qt.NoModifier, b)

    box = window.controller.stats_box
    assert box.shape == "ellipse"
    right, down, normal = window.controller.state.axes("axial")
    ijk = np.argwhere(np.ones(volume.shape, bool))
    uvw = volume.ijk_to_ras_points(ijk) @ np.stack([right, down, normal]).T
    ends = np.stack([box.start_ras, box.end_ras]) @ np.stack([right, down, normal]).T
    centre, radii = ends[:, :2].mean(axis=0), np.abs(ends[1, :2] - ends[0, :2]) / 2
    inside = ((((uvw[:, :2] - centre) / radii) ** 2).sum(axis=1) <= 1) & (
        np.abs(uvw[:, 2] - ends[0, 2]) <= 1.0)   # the slice's 2 mm
    values = volume.array[tuple(ijk[inside].T)].astype(float)
    assert box.stats.voxels == inside.sum() > 50
    line = window.measurements.item(window.measurements.count() - 1).text()
    assert line.startswith(f"Ellipse (axial): {inside.sum()} voxels, area ")
    assert (f"mean {format_value(values.mean())}, std {format_value(values.std())}, "
            f"min {format_value(values.min())}, max {format_value(values.max())}") in line

    orange = _orange(grab(axial))
    mid = (a + b) / 2
    assert orange[mid.y() - 2:mid.y() + 3, a.x() - 2:a.x() + 3].any()   # its left end
    assert orange[a.y() - 2:a.y() + 3, mid.x() - 2:mid.x() + 3].any()   # its top
    assert not orange[a.y() - 3:a.y() + 8, a.x() - 3:a.x() + 8].any()   # no rectangle's corner
    axial.setFocus()
    QTest.keyClick(axial, Qt.Key_Escape)
    assert not _orange(grab(axial))[a.y() - 5:b.y() + 5, a.x() - 5:b.x() + 5].any()
