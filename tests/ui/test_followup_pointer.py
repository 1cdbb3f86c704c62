"""A click in either pane of the follow-up window puts the crosshair on the centre of the baseline
voxel drawn under the pointer, as the main window's views do (tests/ui/test_pointer_voxel.py): at a
high zoom, a click in each quarter of a voxel's square (at its edge) lands on that voxel. The pane
took the pixel's corner, half a pixel off what the picture shows there, and left the crosshair
between voxel centres."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import quarter_spots
from PySide6.QtCore import QPoint, Qt

from neuroview.core.volume import Volume
from neuroview.render.sampling import sample_plane
from neuroview.ui.followup_window import FollowupPairWidget

SHAPE = (20, 24, 16)


def baseline_with_voxel_ids() -> Volume:
    """Every voxel its own value, on an anisotropic LPS-like grid (flipped axes, 3 spacings)."""
    affine = np.diag([-0.9, -1.7, 3.1, 1.0])
    affine[:3, 3] = -affine[:3, :3] @ (np.asarray(SHAPE) - 1) / 2.0 + [0.37, -0.21, 0.13]
    return Volume(np.arange(np.prod(SHAPE), dtype=np.float32).reshape(SHAPE), affine)


@pytest.mark.parametrize("plane", ["axial", "sagittal", "coronal"])
def test_a_click_at_high_zoom_takes_the_voxel_drawn_under_the_pointer(qtbot, plane):
    baseline = baseline_with_voxel_ids()
    pair = FollowupPairWidget(baseline, np.zeros(SHAPE, np.uint8), baseline.array.copy(),
                              np.zeros(SHAPE, np.uint8))
    qtbot.addWidget(pair)
    pair.resize(900, 400)
    pair.show()
    qtbot.waitExposed(pair)
    pair.set_plane(plane)
    pair.state.views[plane].zoom = 9.0
    w, h = pair.pane_size()
    ids = np.arange(baseline.array.size).reshape(SHAPE)
    wrong, clicks = [], 0
    for pane_x in (0, w):                                  # the baseline pane and the later one
        for x0, y0 in ((w // 2 + 3, h // 2 + 2), (w // 2 - 40, h // 2 + 31)):
            drawn, inside = sample_plane(ids, baseline.ras_to_ijk, pair.pane_geometry(), order=0)
            drawn = np.where(inside, drawn, -1)
            for x, y in quarter_spots(drawn, x0, y0):
                qtbot.mouseClick(pair, Qt.LeftButton, pos=QPoint(pane_x + x, y))
                clicks += 1
                ijk = baseline.ras_to_ijk_points(pair.state.crosshair_ras)
                expected = np.unravel_index(drawn[y, x], SHAPE)
                if not np.allclose(ijk, expected, atol=1e-6):  # that voxel's centre, exactly
                    wrong.append((pane_x + x, y, np.round(ijk, 2).tolist(), expected))
    assert clicks == 16 and not wrong, wrong
