"""An ellipse drawn with the mouse (F7) where a reader draws one: on an oblique series resliced
into true axial planes, on a 4D series (its figures follow the time point shown, as the
rectangle's do, also one deleted at another time point and brought back by Ctrl+Z) and on a
CT series stored with a rescale slope and intercept (its figures in HU, those of the values the
DICOM files say). The voxels counted are those whose centres lie inside
the outline the mouse drew, within half a slice of the view's plane, worked out here from the
view's pixels, not from the statistics' own axes."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from editor_helpers import open_image, shortcut, write_image
from frame_images import frames, open_and_wait
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))

from ct_maker import write_ct  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def _draw(window, a: QPoint, b: QPoint):
    """Tools > Ellipse statistics, a drag from ``a`` to ``b`` on the axial view: the ellipse."""
    axial = window.slice_views["axial"]
    window.mode_actions["ellipse"].trigger()
    QTest.mousePress(axial, Qt.LeftButton, Qt.NoModifier, a)
    QTest.mouseMove(axial, (a + b) / 2)
    QTest.mouseMove(axial, b)
    QTest.mouseRelease(axial, Qt.LeftButton, Qt.NoModifier, b)
    return window.controller.ellipses[-1]


def _inside_outline(window, a: QPoint, b: QPoint) -> np.ndarray:
    """The image's voxels (i, j, k rows) whose centres lie inside the ellipse the mouse drew
    from pixel ``a`` to ``b`` (their centres, as the views read a press; the widget's pixel
    positions of :meth:`ras_to_pixel`) and within half a slice
    of the axial view's plane."""
    c = window.controller
    volume, geom = c.volume, window.slice_views["axial"]._geometry()
    ijk = np.argwhere(np.ones(volume.shape[:3], bool))
    d = volume.ijk_to_ras_points(ijk) - geom.origin_ras
    scale = geom.mm_per_pixel ** 2
    xy = np.stack([d @ geom.col_ras / scale, d @ geom.row_ras / scale], axis=1) + 0.5
    ends = np.array([[a.x(), a.y()], [b.x(), b.y()]]) + 0.5   # pixel centres
    centre, radii = ends.mean(axis=0), np.abs(ends[1] - ends[0]) / 2
    inside = (((xy - centre) / radii) ** 2).sum(axis=1) <= 1 + 1e-6
    on_plane = np.abs(d @ geom.normal) <= c.state.slice_step_mm("axial") / 2 + 1e-6
    return ijk[inside & on_plane]


def _mean_line(values) -> str:
    return f"mean {values.mean():.1f}"


def test_on_an_oblique_series_resliced_into_axial_planes(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path, affine_name="oblique")
    open_image(qtbot, window, path)
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    a = QPoint(axial.width() // 2 - 70, axial.height() // 2 - 40)
    b = a + QPoint(140, 90)
    drawn = _draw(window, a, b)
    inside = _inside_outline(window, a, b)
    values = volume.array[tuple(inside.T)].astype(float)
    assert drawn.stats.voxels == len(inside) > 100
    assert drawn.stats.mean == pytest.approx(values.mean())
    assert drawn.stats.maximum == values.max() and drawn.stats.minimum == values.min()


def test_on_a_4d_series_the_figures_follow_the_time_point(qtbot, window, tmp_path):
    data = frames()
    open_and_wait(qtbot, window, tmp_path / "fmri.nii.gz", data)
    axial = window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)   # Delete picks on what shows
    a = QPoint(axial.width() // 2 - 70, axial.height() // 2 - 50)
    b = a + QPoint(140, 100)
    drawn = _draw(window, a, b)
    inside = tuple(_inside_outline(window, a, b).T)
    assert drawn.stats.voxels == len(inside[0]) > 20
    assert drawn.stats.mean == pytest.approx(data[..., 0][inside].mean(), rel=1e-6)
    window.controller.set_frame(2)   # Alt+Right twice: time point 3
    assert drawn.stats.mean == pytest.approx(data[..., 2][inside].mean(), rel=1e-6)
    assert drawn.stats.mean != pytest.approx(data[..., 0][inside].mean(), rel=1e-3)
    axial.setFocus()
    QTest.keyClick(axial, Qt.Key_Delete)   # deleted at time point 3...
    assert window.controller.ellipses == []
    window.controller.set_frame(0)
    shortcut(qtbot, window, Qt.Key_Z, Qt.ControlModifier)   # ...back at time point 1: its figures
    assert window.controller.ellipses == [drawn]
    assert drawn.stats.mean == pytest.approx(data[..., 0][inside].mean(), rel=1e-6)


def test_on_a_ct_stored_with_a_slope_and_an_intercept_the_figures_are_hu(qtbot, window, tmp_path):
    written = write_ct(tmp_path / "ct", size=48, n_slices=3, spacing=4.0, slope=0.5,
                       intercept=-1024.0, padding=-2000, fov_mm=88.0)
    open_image(qtbot, window, written.folder)
    c, axial = window.controller, window.slice_views["axial"]
    qtbot.waitUntil(lambda: axial.last is not None, timeout=10000)
    c.set_crosshair(c.volume.ijk_to_ras_points(np.array([24.0, 24.0, 1.0])))
    a = QPoint(axial.width() // 2 - 60, axial.height() // 2 - 60)
    b = a + QPoint(120, 120)
    drawn = _draw(window, a, b)
    inside = _inside_outline(window, a, b)
    hu = written.hu[tuple(inside.T)]
    assert not np.isnan(hu).any() and len(hu) > 30   # inside the scanned field
    assert drawn.stats.voxels == len(hu) and drawn.stats.unit == "HU"
    assert drawn.stats.mean == pytest.approx(hu.mean())
    assert (drawn.stats.minimum, drawn.stats.maximum) == (hu.min(), hu.max())
    assert f"{_mean_line(hu)} HU" in window.measurements.item(window.measurements.count() - 1).text()
