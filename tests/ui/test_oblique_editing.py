"""Brush, Erase and Fill on an oblique series in the default (resliced) view act on the voxels the
view's plane passes through, as 3D Slicer's paint and fill act in the slice view's plane.

They used the voxel slice under the pointer: on a series tilted 20 and 12 degrees a 2D Fill in the
coronal view filled a whole tilted voxel slice, tens of millimetres in front of and behind the view
plane, of which the view showed only a diagonal band; the brush painted the same tilted slice.
"""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import pixel_of, stroke, voxel_centres
from oblique_views import open_oblique, shown_labels
from PySide6.QtCore import QPoint, Qt

RADIUS_MM = 2.5
RING_MM = 10.0


def distance_to_plane(volume, normal, point):
    """Each voxel centre's distance to the plane, and half the voxel's extent along the normal."""
    centres = voxel_centres(volume)
    return np.abs((centres - point) @ normal), 0.5 * np.abs(volume.ijk_to_ras[:3, :3].T @ normal).sum()


def ring(centre, right, down, n=24):
    return [centre + RING_MM * (np.cos(t) * right + np.sin(t) * down)
            for t in np.linspace(0, 2 * np.pi, n + 1)]


def pointer_pixels(window, plane, points_ras, steps_between=4):
    """Widget pixels the pointer went through in :func:`editor_helpers.stroke` (as a mask)."""
    view = window.slice_views[plane]
    mask = np.zeros((view.height(), view.width()), bool)
    pixels = [np.asarray(pixel_of(window, plane, p)) for p in points_ras]
    for a, b in zip(pixels[:-1], pixels[1:]):
        for t in np.linspace(0, 1, steps_between + 1):
            x, y = np.floor(a + t * (b - a)).astype(int)
            mask[y, x] = True
    return mask


def pixels_within(geom, centre, low_mm, high_mm):
    """Widget pixels (rows, columns) whose centre lies between two distances of ``centre``."""
    rows, cols = np.mgrid[0:geom.height, 0:geom.width]
    ras = geom.origin_ras + cols[..., None] * geom.col_ras + rows[..., None] * geom.row_ras
    distance = np.linalg.norm(ras - centre, axis=-1)
    return (distance >= low_mm) & (distance <= high_mm)


@pytest.mark.parametrize("plane", ["coronal", "axial"])
def test_brush_and_fill_change_the_voxels_the_resliced_view_shows(qtbot, window, tmp_path, plane):
    session, volume = open_oblique(qtbot, window, tmp_path)
    state = window.controller.state
    centre = volume.center_ras
    window.controller.set_crosshair(centre)
    right, down, normal = state.axes(plane)
    on_plane = state.crosshair_ras.copy()
    panel = window.edit_actions.panel
    panel.select_tool("paint")
    session.set_params("paint", radius_mm=RADIUS_MM, mode="2d")
    stroke(window, plane, ring(on_plane, right, down))
    ring_voxels = session.labels.array == 1
    panel.select_tool("fill")
    session.set_params("fill", mode="2d")
    x, y = pixel_of(window, plane, on_plane)
    qtbot.mouseClick(window.slice_views[plane], Qt.LeftButton, pos=QPoint(int(x), int(y)))
    filled = (session.labels.array == 1) & ~ring_voxels
    distance, half = distance_to_plane(volume, normal, on_plane)
    # every voxel changed lies in the view's plane: within half a voxel of it along the normal
    assert ring_voxels.any() and filled.any()
    assert distance[ring_voxels].max() <= half + 1e-6, distance[ring_voxels].max()
    assert distance[filled].max() <= half + 1e-6, distance[filled].max()
    # and the view shows them: the ring where the brush went, the disc inside it filled, no leak
    labels, geom = shown_labels(window, plane)
    on_ring = pointer_pixels(window, plane, ring(on_plane, right, down))
    inside = pixels_within(geom, on_plane, 0.0, RING_MM - RADIUS_MM)
    outside = pixels_within(geom, on_plane, RING_MM + RADIUS_MM + 4.0, 1e9)
    assert (labels[on_ring] == 1).all(), (labels[on_ring] != 1).mean()
    assert (labels[inside] == 1).all(), (labels[inside] != 1).mean()
    assert not labels[outside].any()
    # the eraser, along the same ring, takes back what the view shows of it
    panel.select_tool("erase")
    session.set_params("erase", radius_mm=RADIUS_MM, mode="2d", segment=None)
    before = session.labels.array.copy()
    stroke(window, plane, ring(on_plane, right, down))
    erased = before != session.labels.array
    assert erased.any() and distance[erased].max() <= half + 1e-6
    labels, _ = shown_labels(window, plane)
    assert not labels[on_ring].any()
