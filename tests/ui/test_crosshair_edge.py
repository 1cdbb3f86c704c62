"""A navigate click or drag beyond the volume stops the crosshair at the volume's edge, as
ITK-SNAP's cursor does (and the wheel stops at the last slice). A drag past the axial view's
corner put the crosshair at the pointer (RAS -1066, -437 mm): the sagittal and coronal views went
to slices off the image, black, captioned ``L: 1066.0 mm`` (session 39's walk)."""

from __future__ import annotations

import numpy as np
from editor_helpers import open_image, pixel_of, write_image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

INSIDE_RAS = (10.3, -6.2, 9.0)


def send(view, kind, pos, button, buttons) -> None:
    QApplication.sendEvent(view, QMouseEvent(kind, QPointF(*pos), view.mapToGlobal(QPointF(*pos)),
                                             button, buttons, Qt.NoModifier))


def crosshair_ijk(window):
    volume = window.controller.volume
    return volume.ras_to_ijk[:3, :3] @ window.controller.state.crosshair_ras + volume.ras_to_ijk[:3, 3]


def test_a_drag_past_the_view_stops_at_the_volume_edge(qtbot, window, tmp_path):
    path, volume = write_image(tmp_path)
    open_image(qtbot, window, path)
    view = window.slice_views["axial"]
    start = pixel_of(window, "axial", INSIDE_RAS)
    send(view, QEvent.MouseButtonPress, start, Qt.LeftButton, Qt.LeftButton)
    k = crosshair_ijk(window)[2]   # the axial slice clicked: the drag keeps it
    last = np.array(volume.shape[:3]) - 1
    for far in ((-400.0, -400.0), (view.width() + 900.0, view.height() + 300.0)):
        send(view, QEvent.MouseMove, far, Qt.NoButton, Qt.LeftButton)
        ijk = crosshair_ijk(window)
        assert np.allclose(ijk, np.rint(ijk), atol=1e-6)   # a voxel's centre
        assert np.all(ijk >= -1e-6) and np.all(ijk <= last + 1e-6), ijk   # in the volume
        assert abs(ijk[2] - k) < 1e-6
        # the pointer beyond both edges of the view: a corner voxel of this slice
        assert {round(ijk[0]), round(ijk[1])} <= {0, int(last[0]), int(last[1])}
        for plane in ("sagittal", "coronal"):   # their slices on the image, not off it
            low, high = sorted(window.controller.state.slice_range(plane))
            assert low - 1e-6 <= window.controller.state.slice_position_mm(plane) <= high + 1e-6
    send(view, QEvent.MouseButtonRelease, far, Qt.LeftButton, Qt.NoButton)
    inside = volume.ijk_to_ras[:3, :3] @ np.array([20.0, 21.0, k]) + volume.ijk_to_ras[:3, 3]
    assert np.allclose(window.controller.voxel_centre(inside), inside)   # inside: as before


def test_a_drag_past_a_follow_up_pane_stops_at_the_volume_edge(qtbot):
    """The follow-up window's panes likewise; past the baseline pane's left edge the pointer was
    taken in the pane's right side (its x modulo the pane's width): the crosshair leapt across."""
    from followup_views import shown_pair

    from neuroview.core.volume import Volume

    shape = (30, 34, 20)
    affine = np.diag([-2.0, -2.0, 3.0, 1.0])
    affine[:3, 3] = -affine[:3, :3] @ (np.asarray(shape) - 1) / 2.0
    baseline = Volume(np.ones(shape, np.float32), affine)
    pair = shown_pair(qtbot, baseline)
    w, h = pair.pane_size()
    send(pair, QEvent.MouseButtonPress, (w / 2, h / 2), Qt.LeftButton, Qt.LeftButton)
    for far, side in (((-60.0, h / 2), 0), ((2 * w + 80.0, -90.0), 1)):
        send(pair, QEvent.MouseMove, far, Qt.NoButton, Qt.LeftButton)
        ijk = baseline.ras_to_ijk_points(pair.state.crosshair_ras)
        assert np.allclose(ijk, np.rint(ijk), atol=1e-6)
        assert np.all(ijk >= -1e-6) and np.all(ijk <= np.array(shape) - 1 + 1e-6), ijk
        x, _ = pair.pane_geometry().ras_to_pixel(pair.state.crosshair_ras)
        assert (x < w / 2) == (side == 0), (far, x)   # on the pointer's side of the pane
    send(pair, QEvent.MouseButtonRelease, far, Qt.LeftButton, Qt.NoButton)
