"""A Fill with no intensity range whose region is not enclosed says so: one click on a lesion of
an empty slice filled the slice's whole background (in 3D, all 8,675,289 voxels of the MNI
template) with no word of why (session 32's walk of the segment editor). A fill inside a drawn
outline, or by intensity, says nothing of the kind."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS, open_image, stroke, wait_for_session, write_image

NOTE = "Fill: the region under the click is not enclosed and ran to the image's edge"


def _opened(qtbot, window, tmp_path):
    path, _ = write_image(tmp_path)
    open_image(qtbot, window, path)
    session = wait_for_session(qtbot, window)
    window.controller.set_crosshair(INSIDE_CASE_RAS)
    session.segments.add("lesion")
    return session


def test_a_fill_running_to_the_edge_says_so_and_how_to_fill_by_intensity(qtbot, window, tmp_path):
    session = _opened(qtbot, window, tmp_path)
    window.edit_actions.panel.select_tool("fill")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    k = session.volume.ras_to_voxel(INSIDE_CASE_RAS)[2]
    filled = int((session.labels.array == 1).sum())
    assert filled == session.labels.shape[0] * session.labels.shape[1]      # the whole slice
    assert (session.labels.array[:, :, k] == 1).all()
    text = window.statusBar().currentMessage()
    assert text == (f"{NOTE} ({filled:,} voxels); Ctrl+Z takes it back. To fill by intensity, tick "
                    "Tolerance or an intensity range in Fill's options."), text


def test_a_fill_inside_a_drawn_outline_or_by_intensity_says_nothing_of_it(qtbot, window, tmp_path):
    session = _opened(qtbot, window, tmp_path)
    window.edit_actions.panel.select_tool("paint")
    session.set_params("paint", radius_mm=1.0, mode="2d")
    ring = [INSIDE_CASE_RAS + 12 * np.array([np.cos(t), np.sin(t), 0]) for t in np.linspace(0, 2 * np.pi, 60)]
    stroke(window, "axial", ring)
    ring_voxels = int((session.labels.array == 1).sum())
    window.edit_actions.panel.select_tool("fill")
    stroke(window, "axial", [INSIDE_CASE_RAS])
    inside = int((session.labels.array == 1).sum()) - ring_voxels
    assert 40 < inside < 400                                                 # the disc inside
    assert NOTE not in window.statusBar().currentMessage()
    session.undo()
    session.set_params("fill", tolerance=1e6)                                # by intensity
    stroke(window, "axial", [INSIDE_CASE_RAS])
    assert int((session.labels.array == 1).sum()) > ring_voxels
    assert NOTE not in window.statusBar().currentMessage()
