"""An ellipse over the artery of a CT perfusion run (DICOM as Canon writes it: only the
AcquisitionTime tells the time points apart): its right-click menu's *Mean over time (N time
points)...* gives the mean of its voxels at every time point (numpy's of the HU written), the peak
said in a line, the curve drawn with its highest point at the peak's time, and *Copy as CSV*.
Until session 51 a radiologist stepped through the time points reading the view's figures one by
one (session 51's walk)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from editor_helpers import grab
from measure_drawing import drag
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from perfusion_maker import ARTERY, write_perfusion  # noqa: E402

WITHOUT_3D = "the curve and its figures are read, not the 3D view"


def test_mean_over_time_of_an_ellipse_on_a_perfusion_run(qtbot, window, tmp_path):
    size, n_times = 32, 14
    written = write_perfusion(tmp_path / "ctp", "canon", size=size, n_slices=4, n_times=n_times)
    window.open_paths([tmp_path / "ctp"])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=30000)
    c, axial = window.controller, window.slice_views["axial"]
    assert c.volume.n_frames == n_times
    geom = c.state.geometry("axial", axial.width(), axial.height())
    k = int(np.rint(c.volume.ras_to_ijk_points(c.state.crosshair_ras[None])[0][2]))
    centre = c.volume.ijk_to_ras @ np.array([ARTERY[0] * size, ARTERY[1] * size, k, 1.0])
    x, y = geom.ras_to_pixel(centre[:3])
    r = 2.5 / geom.mm_per_pixel                            # a 5 mm circle over the 4 mm artery
    window.mode_actions["ellipse"].trigger()
    drag(qtbot, axial, (int(x - r), int(y - r)), (int(x + r), int(y + r)))
    (ellipse,) = c.ellipses
    ijk = np.argwhere(np.ones(c.volume.shape, bool))
    uvw = (c.volume.ijk_to_ras_points(ijk) - (ellipse.start_ras + ellipse.end_ras) / 2) @ ellipse.axes.T
    radii = np.abs(ellipse.axes[:2] @ (ellipse.end_ras - ellipse.start_ras)) / 2
    inside = ijk[(np.sum((uvw[:, :2] / radii) ** 2, axis=1) <= 1 + 1e-6)
                 & (np.abs(uvw[:, 2]) <= ellipse.thickness_mm / 2 + 1e-6)]
    expected = written.hu[inside[:, 0], inside[:, 1], inside[:, 2], :].mean(axis=0)
    assert len(inside) == ellipse.stats.voxels > 10 and expected.max() - expected[0] > 200

    window.mode_actions["navigate"].trigger()
    geom = c.state.geometry("axial", axial.width(), axial.height())   # as the view is now
    right_end = (ellipse.start_ras + ellipse.end_ras) / 2 + radii[0] * ellipse.axes[0]
    at = QPoint(*map(round, geom.ras_to_pixel(right_end)))
    qtbot.waitUntil(lambda: axial.measurement_at(at.x(), at.y()) is ellipse, timeout=10000)   # drawn
    QTest.mouseClick(axial, Qt.RightButton, Qt.NoModifier, at)
    qtbot.waitUntil(lambda: getattr(window, "view_menu", None) is not None
                    and window.view_menu.isVisible(), timeout=10000)
    texts = [a.text().replace("&", "") for a in window.view_menu.actions()]
    assert texts[1] == f"Mean over time ({n_times} time points)...", texts
    window.view_menu.actions()[1].trigger()
    window.view_menu.close()
    dialog = window.region_curve
    qtbot.waitExposed(dialog)
    means = [float(dialog.table.item(row, 2).text()) for row in range(n_times)]
    np.testing.assert_allclose(means, expected, atol=0.051)
    peak = int(np.argmax(expected))
    when = f"time point {peak + 1} of {n_times}, t = {written.seconds[peak]:g} s"
    assert dialog.summary.text().startswith(f"peak {expected[peak]:.1f} HU at {when}")
    assert c.ellipses[0].stats.mean == ellipse.stats.mean  # the view keeps the time point shown's

    rgb = grab(dialog.curve).astype(int)                   # the curve's orange (255, 160, 40)
    rows_, cols_ = np.nonzero((rgb[..., 0] > 200) & (abs(rgb[..., 1] - 160) < 40) & (rgb[..., 2] < 90))
    top_x = cols_[np.argmin(rows_)]                        # the curve's highest pixel
    assert abs(top_x - dialog.curve.positions()[peak].x()) <= 4

    dialog.copy_button.click()
    rows = [line.split(",") for line in QApplication.clipboard().text().splitlines()]
    assert rows[0] == ["time_point", "seconds", "voxels", "mean (HU)", "std", "min", "max"]
    assert [float(row[1]) for row in rows[1:]] == list(written.seconds)
    np.testing.assert_allclose([float(row[3]) for row in rows[1:]], expected, rtol=1e-5)
