"""A 4D run's time point stepped with regions drawn, and from Python: the ellipses' and
rectangles' figures follow in the unit the pointer's readout names, without their voxels read
again to decide it (0.13 s a region a step on a 512x512x64 CT: two regions stalled Shift+C's
cine, ``bench/time_cine.py --ct``); ``controller.set_frame`` (the scripting API) moves the
Display panel's *Time point* box, its slider and the notice with the views."""

from __future__ import annotations

import numpy as np
from frame_images import SHAPE, open_and_wait

from neuroview.app.view_measure import Ellipse, Rectangle, drawn_on_slice
from neuroview.core import modality


def ct_run(n=4) -> np.ndarray:
    """A head-like CT run in HU (air, a skull, brain at 40) whose vessel block fills with contrast."""
    data = np.full(SHAPE + (n,), -1000, np.int16)
    data[2:22, 2:18, :, :] = 1000
    data[3:21, 3:17, :, :] = 40
    for t in range(n):
        data[6:12, 6:12, :, t] = 40 + 100 * t
    return data


def test_regions_follow_the_time_points_in_hu_without_deciding_the_unit_again(
        qtbot, window, tmp_path, monkeypatch):
    data = ct_run()
    open_and_wait(qtbot, window, tmp_path / "perfusion.nii.gz", data)
    c = window.controller
    z = float(c.state.crosshair_ras[2])
    for shape, (a, b) in ((Ellipse, ((12.0, 12.0), (22.0, 22.0))), (Rectangle, ((4.0, 4.0), (30.0, 30.0)))):
        c.add_region(drawn_on_slice(shape, c.shown_volume(), c.state, "axial",
                                    [a[0], a[1], z], [b[0], b[1], z]))
    asked = []
    looks_like_ct = modality.looks_like_ct
    monkeypatch.setattr(modality, "looks_like_ct", lambda array: asked.append(1) or looks_like_ct(array))
    for frame in (1, 2, 3):
        c.set_frame(frame)
        for drawn in c.ellipses + c.rectangles:
            assert drawn.stats.unit == "HU" and "HU" in drawn.stats.lines()[1]
        ellipse = c.ellipses[0].stats   # inside the vessel block (voxels 6..11, RAS 2 ijk)
        assert ellipse.mean == 40 + 100 * frame and ellipse.maximum == 40 + 100 * frame
    assert len(asked) <= 1, f"the unit decided {len(asked)} times over 3 steps with 2 regions"



def test_set_frame_from_python_moves_the_time_point_box_slider_and_notice(qtbot, window, tmp_path):
    open_and_wait(qtbot, window, tmp_path / "perfusion.nii.gz", ct_run())
    c, panel = window.controller, window.display_panel
    c.set_frame(2)
    assert c.state.frame == 2
    assert panel.frame_box.value() == 3 and panel.frame_box.suffix() == " of 4"
    assert panel.time_row.slider.value() == 3
    assert "time point 3 of 4" in window.notice_bar.text
    panel.frame_box.setValue(panel.frame_box.value() + 1)   # the box steps on from there (Alt+Right)
    assert c.state.frame == 3 and panel.time_row.slider.value() == 4
