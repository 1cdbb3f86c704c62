"""Home and End over the follow-up window's panes take both to the plane's first and last slice,
as over the main window's slice views (tests/ui/test_home_end_keys.py); they did nothing there
until session 39. Checked by the baseline voxel reached and by the right pane's pixels: the later
study drawn at that slice, the panes linked."""

from __future__ import annotations

import numpy as np
import pytest
from followup_views import followup_view, plane_button  # noqa: F401  (a fixture)
from key_presses import press
from PySide6.QtCore import Qt

from neuroview.core.geometry import apply_affine
from neuroview.render.slices import render_slice


def _voxel(pair) -> np.ndarray:
    return apply_affine(pair.baseline.ras_to_ijk, pair.state.crosshair_ras)


def _later_share(pair) -> float:
    """Share of the right pane's pixels equal to a plain drawing of the later study at the
    crosshair's slice (no outline, crosshair or letters)."""
    geom = pair.state.geometry(pair.plane, *pair.pane_device_size())
    plain = render_slice(pair.later, geom, pair.state.window, pair.state.level).rgb
    return float(np.all(pair.pane_images()[1] == plain, axis=2).mean())


@pytest.mark.parametrize("plane", ["axial", "sagittal"])
def test_home_and_end_take_both_panes_to_the_first_and_last_slice(followup_view, qtbot, plane):  # noqa: F811
    view, pair = followup_view, followup_view.pair
    qtbot.mouseClick(plane_button(view, plane), Qt.LeftButton)
    axis = {"axial": 2, "sagittal": 0}[plane]   # the baseline's grid follows RAS (followup_studies)
    last = pair.baseline.shape[axis] - 1
    start = _voxel(pair)
    assert 0 < start[axis] < last
    press(qtbot, view, Qt.Key_Home)
    at = _voxel(pair)
    assert at[axis] == pytest.approx(0, abs=1e-6)
    others = [a for a in range(3) if a != axis]
    assert at[others] == pytest.approx(start[others])   # the other planes stay put
    assert _later_share(pair) > 0.8                       # the right pane went there too
    press(qtbot, view, Qt.Key_End)
    assert _voxel(pair)[axis] == pytest.approx(last, abs=1e-6)
    assert _later_share(pair) > 0.8
    press(qtbot, view, Qt.Key_Home, Qt.ControlModifier)   # with a modifier: not ours
    assert _voxel(pair)[axis] == pytest.approx(last, abs=1e-6)
