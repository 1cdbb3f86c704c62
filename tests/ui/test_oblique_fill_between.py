"""*Fill between slices* on an oblique series in the default resliced view interpolates between the
planes drawn in the view (as 3D Slicer does between the drawn slices of the view's orientation),
from the mouse: a disc painted on one slice, another a few slices up, Preview, Apply.

It interpolated between voxel slices: 2D Paint there changes the voxels the view's plane passes
through, a band across several tilted voxel slices, so every voxel slice held a piece of a drawn
disc and the slices between the drawn planes were left nearly empty."""

from __future__ import annotations

import numpy as np
import pytest
from editor_helpers import click_preview, stroke, voxel_centres
from oblique_views import open_oblique, shown_labels
from oblique_wheel import wheel

NEAR_MM, FAR_MM = 9.0, 5.0      # the drawn discs' radii


@pytest.mark.parametrize("plane, apart", [("axial", 4), ("coronal", 4), ("axial", 2), ("coronal", 3)])
def test_fill_between_slices_fills_between_the_planes_drawn_in_the_resliced_view(qtbot, window, tmp_path,
                                                                                  plane, apart):
    session, volume = open_oblique(qtbot, window, tmp_path, shape=(40, 40, 24))
    state = window.controller.state
    window.controller.set_crosshair(volume.center_ras)
    right, down, normal = state.axes(plane)
    near = state.crosshair_ras.copy()
    panel = window.edit_actions.panel
    panel.select_tool("paint")
    session.set_params("paint", radius_mm=NEAR_MM, mode="2d")
    stroke(window, plane, [near])
    for _ in range(apart):
        wheel(window, plane, near)
    far = state.crosshair_ras.copy()
    assert np.isclose((far - near) @ normal, apart * state.slice_step_mm(plane), atol=1e-3)
    session.set_params("paint", radius_mm=FAR_MM)
    stroke(window, plane, [far])
    drawn = session.labels.array == 1
    panel.select_tool("interpolate")
    click_preview(qtbot, window)
    assert window.controller.preview_labels is not None
    panel.apply_button.click()
    result = session.labels.array == 1
    added = result & ~drawn

    # In world space: every voxel whose centre lies between the drawn planes is in the segment when
    # it lies inside the cone from one disc to the other, measured in the plane, and only then.
    centres = voxel_centres(volume)
    depth = (centres - near) @ normal
    gap = (far - near) @ normal
    w = depth / gap
    radial = np.linalg.norm((centres - near) - np.outer(depth, normal).reshape(centres.shape), axis=-1)
    cone = (1 - w) * NEAR_MM + w * FAR_MM
    between = (w > 0) & (w < 1)
    margin = 0.75 * np.abs(volume.ijk_to_ras[:3, :3]).max()   # voxel edges: left to either side
    assert added.any()
    assert result[between & (radial < cone - margin)].all()
    assert not result[between & (radial > cone + margin)].any()
    half = 0.5 * np.abs(volume.ijk_to_ras[:3, :3].T @ normal).sum()
    assert not added[(depth < -half) | (depth > gap + half)].any()   # nothing beyond the drawn planes

    # On screen: on a slice between them, the view shows the disc of the radius there.
    for _ in range(apart // 2):
        wheel(window, plane, far, -1)
    shown = (state.crosshair_ras - near) @ normal
    assert np.isclose(shown, (apart - apart // 2) * state.slice_step_mm(plane), atol=1e-3)
    labels, geom = shown_labels(window, plane)
    rows, cols = np.mgrid[0:geom.height, 0:geom.width]
    ras = geom.origin_ras + cols[..., None] * geom.col_ras + rows[..., None] * geom.row_ras
    distance = np.linalg.norm(ras - (near + shown * normal), axis=-1)
    radius = NEAR_MM + (FAR_MM - NEAR_MM) * shown / gap
    assert (labels[distance < radius - 2 * margin] == 1).mean() > 0.99
    assert not labels[distance > radius + 2 * margin].any()
