"""The segment editor's intensity tools on a 4D image read the time point on screen, as the
slice views, the AI and the presets do: *Threshold* (its preview, its starting range and
*Apply*), and Fill's and Paint's intensity ranges. They read time point 1 whatever was shown:
at time point 3 the preview tinted time point 3's voxels and *Apply* wrote time point 1's."""

from __future__ import annotations

import numpy as np
from editor_helpers import shortcut, threshold_measured
from frame_images import AFFINE, frames, open_and_wait
from PySide6.QtCore import Qt

from neuroview.core.edit.threshold import otsu, sample
from neuroview.ui.threshold_tool import shown_up


def _at_time_point_3(qtbot, window, tmp_path):
    """A 4D image whose third time point is three times as bright, its bright block elsewhere,
    shown at time point 3 with segment "lesion" selected: (data, session)."""
    data = frames()
    data[..., 2] *= 3.0
    open_and_wait(qtbot, window, tmp_path / "fmri.nii.gz", data)
    qtbot.waitUntil(lambda: window.editor.session is not None, timeout=30000)
    window.display_panel.frame_box.setValue(3)
    qtbot.waitUntil(lambda: window.editor.session.frame == 2, timeout=5000)
    session = window.editor.session
    session.segments.add("lesion")
    return data, session


def test_threshold_starts_previews_and_applies_on_the_time_point_shown(qtbot, window, tmp_path):
    data, session = _at_time_point_3(qtbot, window, tmp_path)
    panel = window.edit_actions.panel
    shortcut(qtbot, window, Qt.Key_T)
    threshold_measured(qtbot, window)
    assert panel.tool == "threshold"
    params = session.params["threshold"]
    shown = data[..., 2]
    # the starting range is Otsu's threshold of time point 3 up to its maximum (time point 1's
    # maximum, a third of it, cut the bright block off), rounded up to the box's decimals
    high_spin = panel.option_widgets["threshold"]["high"]
    assert params.low == shown_up(otsu(sample(shown)), high_spin.decimals())
    assert params.high == float(shown.max())
    # every time point's values can be set (the box rounds to its decimals)
    assert high_spin.maximum() == round(float(data.max()), high_spin.decimals())

    window.editor.set_params("threshold", low=600.0, high=float(data.max()))
    qtbot.mouseClick(panel.apply_button, Qt.LeftButton)
    wanted = shown >= 600.0
    assert wanted.sum() > 500 and not (data[..., 0] >= 600.0).any()
    np.testing.assert_array_equal(session.labels.array == 1, wanted)
    assert f"gained {int(wanted.sum()):,} voxels" in window.statusBar().currentMessage()


def test_fill_and_paint_ranges_read_the_time_point_shown(qtbot, window, tmp_path):
    data, session = _at_time_point_3(qtbot, window, tmp_path)
    k = 8
    inside_third = AFFINE[:3, :3] @ np.array([21.0, 5.0, k]) + AFFINE[:3, 3]   # bright at 3 only
    assert data[21, 5, k, 2] > 600 > data[21, 5, k, 0]
    session.apply("fill", at_ras=inside_third, intensity_low=600.0, intensity_high=2000.0,
                  mode="3d")
    wanted = data[..., 2] >= 600.0
    wanted[:18] = False                     # the block's part rolled round to i = 0, 1 is apart
    assert wanted.sum() > 500
    np.testing.assert_array_equal(session.labels.array == 1, wanted)

    session.undo()
    session.apply("paint", at_ras=inside_third, radius_mm=6.0, mode="2d",
                  intensity_low=600.0, intensity_high=2000.0)
    painted = session.labels.array == 1
    assert painted.any() and (data[..., 2][painted] >= 600.0).all()
