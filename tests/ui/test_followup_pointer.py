"""A click in either pane of the follow-up window puts the crosshair on the centre of the baseline
voxel drawn under the pointer, as the main window's views do (tests/ui/test_pointer_voxel.py): at a
high zoom, a click in each quarter of a voxel's square (at its edge) lands on that voxel. The pane
took the pixel's corner, half a pixel off what the picture shows there, and left the crosshair
between voxel centres."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import quarter_spots
from followup_views import shown_pair
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent

from neuroview.core.volume import Volume
from neuroview.render.sampling import sample_plane
from neuroview.ui.followup_pair import FollowupPairWidget

SHAPE = (20, 24, 16)


def baseline_with_voxel_ids() -> Volume:
    """Every voxel its own value, on an anisotropic LPS-like grid (flipped axes, 3 spacings)."""
    affine = np.diag([-0.9, -1.7, 3.1, 1.0])
    affine[:3, 3] = -affine[:3, :3] @ (np.asarray(SHAPE) - 1) / 2.0 + [0.37, -0.21, 0.13]
    return Volume(np.arange(np.prod(SHAPE), dtype=np.float32).reshape(SHAPE), affine)


@pytest.mark.parametrize("plane", ["axial", "sagittal", "coronal"])
def test_a_click_at_high_zoom_takes_the_voxel_drawn_under_the_pointer(qtbot, plane):
    baseline = baseline_with_voxel_ids()
    pair = shown_pair(qtbot, baseline)
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


@pytest.mark.parametrize("ratio", [2.0, 1.5])
def test_panes_render_at_the_device_pixel_ratio_and_clicks_take_the_voxel_drawn(qtbot, ratio):
    """On a HiDPI screen (200 %, 150 %) the panes were rendered in points and upscaled by Qt: a
    blurry image and letters. They are rendered at the screen's pixels, and a click on screen
    pixel (X, Y) (Qt gives X / ratio points) takes the voxel the picture shows there. (The ratio is
    set on the widget for its own drawing and pointer: Qt's ratio is fixed when the application
    starts; tests/ui/test_hidpi.py runs the main window at QT_SCALE_FACTOR in a process of its own.)"""
    baseline = baseline_with_voxel_ids()
    pair = FollowupPairWidget(baseline, np.zeros(SHAPE, np.uint8), baseline.array.copy(),
                              np.zeros(SHAPE, np.uint8))
    qtbot.addWidget(pair)
    pair.resize(901, 401)
    pair.devicePixelRatioF = lambda: ratio
    pair.state.views["axial"].zoom = 3.0
    w, h = pair.pane_size()
    width, height = int(w * ratio + 0.5), int(h * ratio + 0.5)
    assert [image.shape[:2] for image in pair.pane_images()] == [(height, width)] * 2
    ids = np.arange(baseline.array.size).reshape(SHAPE)
    drawn, inside = sample_plane(ids, baseline.ras_to_ijk, pair.state.geometry("axial", width, height),
                                 order=0)   # each screen pixel's voxel in the picture
    wrong, spots = [], 0
    for pane_x in (0, w):
        for X in range(width // 2 + 1, width // 2 + 40, 3):
            for Y in range(height // 2 - 20, height // 2 + 20, 7):
                if not inside[Y, X]:
                    continue
                spots += 1
                x, y = pane_x + X / ratio, Y / ratio
                event = QMouseEvent(QEvent.MouseButtonPress, QPointF(x, y), QPointF(x, y),
                                    Qt.LeftButton, Qt.LeftButton, Qt.NoModifier)
                pair.mousePressEvent(event)
                ijk = baseline.ras_to_ijk_points(pair.state.crosshair_ras)
                expected = np.unravel_index(drawn[Y, X], SHAPE)
                if not np.allclose(ijk, expected, atol=1e-6):
                    wrong.append((pane_x, X, Y, np.round(ijk, 2).tolist(), expected))
    assert spots > 50 and not wrong, wrong[:4]
