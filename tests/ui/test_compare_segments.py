"""*Compare series side by side...* draws the image's segments in both panes: a lesion painted on
the axial T1 shows on the oblique FLAIR pane at the pixels whose RAS points lie in its voxels
(nearest voxel of the label grid, worked out here from the label array and its affine), in the
segment's colour; a stroke painted while the window is open shows there too, and a segment hidden
in the main window's Segments list goes from both panes. Until session 44 the panes showed no
segment. The pointer over the FLAIR pane reads both series' values there (pydicom's) and the
segment."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import open_image, stroke, wait_for_session
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from two_series import POINT_RAS, away_from_marks, compare_beside, panes, values_at_pixels, write_study

from neuroview.app.view_presets import shown_value
from neuroview.render.slices import window_to_gray


@pytest.fixture(scope="module")
def study(tmp_path_factory, mni_volume):
    return write_study(tmp_path_factory.mktemp("compare_segments"), mni_volume)


def labels_at_pixels(geom, labels) -> np.ndarray:
    """The label value of the voxel (nearest) holding each pixel's RAS point, 0 off the grid."""
    y, x = np.mgrid[0: geom.height, 0: geom.width]
    ras = geom.origin_ras + x[..., None] * geom.col_ras + y[..., None] * geom.row_ras
    ras_to_ijk = np.linalg.inv(labels.ijk_to_ras)
    ijk = np.rint(ras @ ras_to_ijk[:3, :3].T + ras_to_ijk[:3, 3]).astype(int)
    inside = np.all((ijk >= 0) & (ijk < np.array(labels.array.shape)), axis=-1)
    out = np.zeros(inside.shape, labels.array.dtype)
    out[inside] = labels.array[tuple(ijk[inside].T)]
    return out


def test_a_lesion_painted_on_the_t1_shows_on_the_flair(qtbot, window, study):
    axial, oblique, _other = study
    open_image(qtbot, window, axial.folder)
    session = wait_for_session(qtbot, window)
    session.segments.add("lesion")
    window.segment_panel.opacity_slider.setValue(100)   # the segment's colour exactly on screen
    window.controller.set_crosshair(window.controller.voxel_centre(POINT_RAS))
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=9.0, mode="3d")
    stroke(window, "axial", [POINT_RAS])
    view = compare_beside(qtbot, window, oblique.folder)
    pair = view.pair
    pair.set_plane("coronal")
    view.right_wl.boxes.apply(5400.0, 3000.0)
    labels = window.controller.labels
    colour = np.array(labels.segments.segments[1].color)

    def check(expect_shown: bool) -> int:
        left, right, geom = panes(pair)
        region = away_from_marks(geom, pair.state.crosshair_ras)
        expected = labels_at_pixels(geom, labels)
        flair, inside = values_at_pixels(geom, oblique)
        gray = window_to_gray(flair, 5400.0, 3000.0).astype(int)
        lesion = region & (expected == 1)
        plain = region & inside & (expected == 0)
        assert plain.sum() > 2000
        assert np.abs(right[plain] - gray[plain, None]).max() <= 2   # the FLAIR where no lesion
        for pane in (left, right):
            coloured = np.all(pane == colour, axis=-1)
            if expect_shown:     # the lesion's pixels in its colour, and no other pixel
                assert np.count_nonzero(coloured & lesion) >= 0.995 * lesion.sum()
                assert np.count_nonzero(coloured & region & ~lesion) <= 0.005 * lesion.sum()
            else:
                assert np.count_nonzero(coloured & region) == 0
        return int(lesion.sum())

    before = check(True)
    assert before > 150
    # the pointer over the lesion in the FLAIR pane: both series' values at the voxel holding the
    # centre of the screen pixel under it (nearest), and the segment
    geom = pair.state.geometry(pair.plane, *pair.pane_size())
    x, y = np.floor(geom.ras_to_pixel(POINT_RAS)) + 0.5
    centre = geom.origin_ras + (x - 0.5) * geom.col_ras + (y - 0.5) * geom.row_ras
    spot = QPointF(pair.pane_size()[0] + x, y)
    QApplication.sendEvent(pair, QMouseEvent(QEvent.MouseMove, spot, pair.mapToGlobal(spot),
                                             Qt.NoButton, Qt.NoButton, Qt.NoModifier))
    values = []
    for written in (axial, oblique):
        ijk = np.rint(np.linalg.inv(written.ijk_to_ras) @ np.append(centre, 1.0))[:3].astype(int)
        values.append(shown_value(written.values[tuple(ijk)]))
    assert view.pointer.text() == (f"RAS ({centre[0]:.1f}, {centre[1]:.1f}, {centre[2]:.1f}) mm   "
                                   f"AX T1 {values[0]}   OBL FLAIR {values[1]}   label 1: lesion")
    # a second stroke in the main window, 12 mm to the right: the panes follow it
    window.edit_actions.panel.select_tool("paint")
    stroke(window, "axial", [POINT_RAS + [12.0, 0.0, 0.0]])
    assert check(True) > 1.5 * before
    # the segment hidden in the main window's Segments list: gone from both panes
    item = window.segment_panel.table.item(0, 0)
    item.setCheckState(Qt.Unchecked)
    check(False)
