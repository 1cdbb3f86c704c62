"""A 4D image's measurements follow the time point on screen: the statistics rectangle's figures
(drawn on time point 1, then time point 3 shown: numpy's on frame 3 of the same voxels) and the
Threshold tool's preview (the pixels of frame 3 in range, not frame 1's)."""

from __future__ import annotations

import numpy as np
from frame_images import AFFINE, frames, open_and_wait
from measure_drawing import draw_rectangle

from neuroview.render.slices import render_slice
from neuroview.ui.threshold_tool import ThresholdOverlay


def _in_rectangle(box, shape) -> np.ndarray:
    """The voxels whose centres lie in the axial rectangle ``box`` (AFFINE: RAS = 2 ijk)."""
    lo, hi = np.minimum(box.start_ras, box.end_ras), np.maximum(box.start_ras, box.end_ras)
    centres = np.stack(np.meshgrid(*[np.arange(n) * 2.0 for n in shape], indexing="ij"), axis=-1)
    k = int(round(box.start_ras[2] / 2.0))
    inside = np.all((centres[..., :2] >= lo[:2] - 1e-6) & (centres[..., :2] <= hi[:2] + 1e-6), axis=-1)
    inside[..., np.arange(shape[2]) != k] = False
    return inside


def test_rectangle_figures_follow_the_time_point(qtbot, window, tmp_path):
    data = frames()
    open_and_wait(qtbot, window, tmp_path / "fmri.nii.gz", data)
    c = window.controller
    draw_rectangle(qtbot, window)
    box = c.rectangles[0]
    inside = _in_rectangle(box, data.shape[:3])
    first, third = data[..., 0][inside], data[..., 2][inside]
    assert box.stats.voxels == inside.sum() > 20
    assert abs(first.mean() - third.mean()) > 20          # the two time points differ there
    assert abs(box.stats.mean - first.mean()) < 1e-3

    c.set_frame(2)                                         # time point 3 shown
    box = c.rectangles[0]
    assert box.stats.voxels == inside.sum()
    assert abs(box.stats.mean - third.mean()) < 1e-3
    assert abs(box.stats.maximum - third.max()) < 1e-3
    assert "mean" in box.stats.lines()[1] and f"{third.mean():.1f}" in box.stats.lines()[1]


def test_threshold_preview_is_that_of_the_time_point_shown(qtbot, window, tmp_path):
    data = frames()
    open_and_wait(qtbot, window, tmp_path / "fmri.nii.gz", data)
    c = window.controller
    geom = c.state.geometry("axial", 200, 200)
    overlay = ThresholdOverlay(250.0, 400.0, (0, 255, 0))
    plain = render_slice(c.volume, geom, 400, 200, frame=2).rgb
    shown = render_slice(c.volume, geom, 400, 200, frame=2, threshold=overlay).rgb
    tinted = np.any(shown != plain, axis=2)
    ijk = np.rint(np.asarray([geom.pixel_to_ras(x + 0.5, y + 0.5) for y in range(200) for x in range(200)])
                  @ np.linalg.inv(AFFINE[:3, :3]).T).astype(int).reshape(200, 200, 3)
    inside = np.all((ijk >= 0) & (ijk < np.array(data.shape[:3])), axis=-1)
    i, j, k = (np.clip(ijk[..., n], 0, data.shape[n] - 1) for n in range(3))
    bright = inside & (data[i, j, k, 2] >= 250)
    assert bright.sum() > 500 and tinted.sum() > 500
    assert (tinted == bright).mean() > 0.99               # frame 3's block, not frame 1's


def test_the_measurements_line_names_the_time_point_of_its_figures(qtbot, window, tmp_path):
    """A rectangle drawn on time point 3: its *Measurements* line names it, with time point 3's
    figures (numpy's); stepping back to time point 1 changes the figures on the view, not the
    line, and the image opened again lists the figures of the time point shown then. Until
    session 50 the line named none: read beside the view's figures of another time point, the
    list's were taken for those."""
    data = frames()
    open_and_wait(qtbot, window, tmp_path / "fmri.nii.gz", data)
    c = window.controller
    c.set_frame(2)
    draw_rectangle(qtbot, window)
    drawn, listed = c.rectangles[0], window.measurements
    third = drawn.stats
    assert abs(third.mean - data[..., 2][_in_rectangle(drawn, data.shape[:3])].mean()) < 1e-3
    assert listed.item(listed.count() - 1).text() == (
        f"Rectangle (axial, time point 3 of 3): {third.describe()}")
    c.set_frame(0)
    assert drawn.stats.mean != third.mean and listed.count() == 1

    window.close_image()
    open_and_wait(qtbot, window, tmp_path / "fmri.nii.gz")
    assert listed.item(listed.count() - 1).text() == (
        f"Rectangle (axial, time point 1 of 3): {c.rectangles[0].stats.describe()} (kept with the image)")
    assert abs(c.rectangles[0].stats.mean - data[..., 0][_in_rectangle(drawn, data.shape[:3])].mean()) < 1e-3
