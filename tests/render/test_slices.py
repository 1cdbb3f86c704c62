"""Slice views against independent expectations: where a labelled RAS point lands on screen,
radiological orientation, LPS/oblique/other-grid data, window/level arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from render_cases import AFFINES, BLOB_RAS, intensity_at, make_case, rotation_xyz

from neuroview.app.view_state import ViewerState
from neuroview.core.labels import SegmentTable
from neuroview.render.slices import blend_labels, gray_with_labels, label_lut, render_view, window_to_gray

SIZE = 200
# Radiological convention written out by hand: (screen right, screen down) in RAS.
SCREEN_AXES = {
    "axial": (np.array([-1.0, 0, 0]), np.array([0, -1.0, 0])),
    "coronal": (np.array([-1.0, 0, 0]), np.array([0, 0, -1.0])),
    "sagittal": (np.array([0, -1.0, 0]), np.array([0, 0, -1.0])),
}
LETTERS = {
    "axial": {"left": "R", "right": "L", "top": "A", "bottom": "P"},
    "coronal": {"left": "R", "right": "L", "top": "S", "bottom": "I"},
    "sagittal": {"left": "A", "right": "P", "top": "S", "bottom": "I"},
}


def red_centroid(rgb: np.ndarray) -> tuple[float, float]:
    """Centroid (x, y in widget coordinates) of the pure-red label pixels."""
    mask = (rgb[..., 0] == 255) & (rgb[..., 1] == 0) & (rgb[..., 2] == 0)
    assert mask.sum() > 4, "label not visible"
    ys, xs = np.nonzero(mask)
    return xs.mean() + 0.5, ys.mean() + 0.5


def expected_pixel(plane: str, state: ViewerState, p_ras) -> tuple[float, float]:
    """Where ``p_ras`` must appear: the fitted view centre is the grid centre (RAS 0 here)."""
    right, down = SCREEN_AXES[plane]
    mm = state.geometry(plane, SIZE, SIZE).mm_per_pixel
    offset = np.asarray(p_ras) - state.center_ras
    return SIZE / 2 + offset @ right / mm, SIZE / 2 + offset @ down / mm


def test_orientation_letters_are_radiological():
    state = ViewerState((10, 10, 10), np.eye(4))
    for plane, letters in LETTERS.items():
        assert state.orientation_letters(plane) == letters


@pytest.mark.parametrize("kind", ["ras", "lps", "oblique", "labels-on-other-grid"])
@pytest.mark.parametrize("plane", ["axial", "sagittal", "coronal"])
def test_labelled_point_lands_where_expected(cases, kind, plane):
    if kind == "labels-on-other-grid":
        volume, _ = cases["ras"]
        # Finer, rotated and LPS-flipped label grid with another shape and origin.
        affine = np.eye(4)
        affine[:3, :3] = rotation_xyz(0.1, 0.2, -0.3) @ np.diag([-1.25, -1.25, 1.25])
        affine[:3, 3] = [30.0, 20.0, -25.0]
        _, labels = make_case(affine, shape=(60, 70, 50))
        assert labels.array.sum() > 50
    else:
        volume, labels = cases[kind]
    state = ViewerState.for_volume(volume)
    state.labels.opacity = 1.0
    state.set_crosshair(BLOB_RAS)
    picture = render_view(volume, state, plane, SIZE, SIZE, labels=labels, crosshair=False,
                          annotations=False).rgb
    x, y = red_centroid(picture)
    ex, ey = expected_pixel(plane, state, BLOB_RAS)
    assert abs(x - ex) < 1.5 and abs(y - ey) < 1.5, (x, y, ex, ey)


def test_lps_and_ras_storage_give_identical_pictures(cases):
    ras_volume, ras_labels = cases["ras"]
    lps_volume, lps_labels = cases["lps"]
    assert not np.array_equal(ras_volume.array, lps_volume.array)  # stored flipped
    for plane in ("axial", "sagittal", "coronal"):
        pictures = []
        for volume, labels in ((ras_volume, ras_labels), (lps_volume, lps_labels)):
            state = ViewerState.for_volume(volume)
            state.set_crosshair(BLOB_RAS)
            pictures.append(render_view(volume, state, plane, SIZE, SIZE, labels=labels).rgb)
        np.testing.assert_array_equal(pictures[0], pictures[1])


def test_oblique_data_is_resliced_into_anatomical_planes(cases):
    volume, _ = cases["oblique"]
    assert volume.is_oblique
    state = ViewerState.for_volume(volume)
    state.set_window_level(1000.0, 500.0)
    state.set_crosshair([0.0, 0.0, 4.0])
    view = render_view(volume, state, "axial", SIZE, SIZE, crosshair=False, annotations=False)
    geom = view.geometry
    # The true image at the centre of each screen pixel, computed from the world-space definition.
    cols, rows = np.meshgrid(np.arange(SIZE) + 0.5, np.arange(SIZE) + 0.5)
    p = np.stack([geom.pixel_to_ras(x, y) for x, y in zip(cols.ravel(), rows.ravel())])
    p_ijk = p @ volume.ras_to_ijk[:3, :3].T + volume.ras_to_ijk[:3, 3]
    inside = np.all((p_ijk > 0.5) & (p_ijk < np.array(volume.shape) - 1.5), axis=1)
    truth = window_to_gray(intensity_at(p), 1000.0, 500.0).reshape(SIZE, SIZE)
    shown = view.rgb[..., 0]
    diff = np.abs(shown.astype(int) - truth.astype(int)).ravel()[inside]
    assert inside.sum() > 0.3 * SIZE * SIZE
    assert np.median(diff) <= 1 and np.mean(diff > 20) < 0.05
    # Screen right is patient left: the intensity gradient along R makes the left side brighter.
    assert geom.pixel_to_ras(SIZE - 1, SIZE / 2)[0] < geom.pixel_to_ras(0, SIZE / 2)[0]


def test_acquisition_planes_follow_the_voxel_axes(cases):
    volume, _ = cases["oblique"]
    state = ViewerState.for_volume(volume)
    state.set_orientation_mode("acquisition")
    right, down, normal = state.axes("axial")
    # Each screen axis is now a voxel axis of the acquisition (cosine 1 with one column).
    cosines = volume.ijk_to_ras[:3, :3] / np.linalg.norm(volume.ijk_to_ras[:3, :3], axis=0)
    for vector in (right, down, normal):
        assert np.isclose(np.max(np.abs(vector @ cosines)), 1.0, atol=1e-6)
    assert state.orientation_letters("axial") == LETTERS["axial"]  # nearest letters still hold


def test_window_level_maps_intensities(cases):
    volume, _ = cases["ras"]
    state = ViewerState.for_volume(volume)
    state.set_crosshair([0.0, 0.0, 1.0])
    state.interpolate = False  # blocks of voxels: each pixel shows its nearest voxel's gray
    pictures = {}
    for window, level in ((400.0, 200.0), (100.0, 300.0)):
        state.set_window_level(window, level)
        view = render_view(volume, state, "axial", SIZE, SIZE, crosshair=False, annotations=False)
        pictures[window] = view.rgb
        # The screen centre shows the voxel nearest to its RAS point: check its gray by hand.
        p = view.geometry.pixel_to_ras(SIZE // 2 + 0.5, SIZE // 2 + 0.5)
        value = float(volume.array[volume.ras_to_voxel(p)])
        expected = np.clip((value - (level - window / 2)) / window * 255, 0, 255)
        assert abs(int(view.rgb[SIZE // 2, SIZE // 2, 0]) - expected) <= 1
    assert not np.array_equal(pictures[400.0], pictures[100.0])


def test_scroll_moves_one_voxel_and_stays_inside():
    affine = AFFINES["ras"]
    state = ViewerState((48, 48, 48), affine)
    state.set_crosshair(state.center_ras)  # the centre of 48 slices: between slices 23 and 24
    z0 = state.crosshair_ras[2]
    state.scroll("axial", 3)  # to slice 24 (the next one up), then two more, as Slicer snaps
    assert np.isclose(state.crosshair_ras[2] - z0, 2.5 * 2.0)
    assert np.isclose(state.ras_to_ijk[2] @ np.append(state.crosshair_ras, 1), 26)
    state.scroll("axial", -1)
    assert np.isclose(state.crosshair_ras[2] - z0, 1.5 * 2.0)  # one voxel from a voxel slice
    state.scroll("axial", 1000)
    assert np.isclose(state.crosshair_ras[2], affine[2, 3] + 47 * 2.0)
    state.scroll("sagittal", -2)  # towards patient left: slice 23, then 22
    assert np.isclose(state.crosshair_ras[0], -3.0 + state.center_ras[0])


def test_scroll_lands_on_voxel_slices_in_lps_and_not_on_oblique_planes():
    """A wheel step shows one voxel slice, not the blend of two (issue #16.10; Slicer and ITK-SNAP
    do the same); a plane that no voxel axis follows moves by the voxel size."""
    state = ViewerState((48, 48, 48), AFFINES["lps"])
    state.scroll("sagittal", 1)  # towards R: index i decreases in LPS storage
    i = state.ras_to_ijk[0] @ np.append(state.crosshair_ras, 1)
    assert np.isclose(i, 23) and state.crosshair_ras[0] > state.center_ras[0]
    oblique = ViewerState((48, 48, 48), AFFINES["oblique"])
    before = oblique.slice_position_mm("axial")
    oblique.scroll("axial", 2)
    assert np.isclose(oblique.slice_position_mm("axial") - before, 2 * oblique.slice_step_mm("axial"))


def test_zoom_keeps_the_point_under_the_cursor():
    state = ViewerState((48, 48, 48), AFFINES["ras"])
    before = state.geometry("coronal", SIZE, SIZE).pixel_to_ras(40, 70)
    state.zoom_by("coronal", 2.5, anchor=(40, 70), size=(SIZE, SIZE))
    after = state.geometry("coronal", SIZE, SIZE)
    assert np.allclose(after.pixel_to_ras(40, 70), before)
    assert np.isclose(after.mm_per_pixel * 2.5, state.geometry("axial", SIZE, SIZE).mm_per_pixel)


@pytest.mark.parametrize("outline", [False, True])
def test_labels_over_gray_by_table_equal_the_blend(outline):
    """The one-lookup picture of gray + labels (issue #16.10) has the pixels of the blend."""
    rng = np.random.default_rng(3)
    gray = rng.integers(0, 256, (64, 80), dtype=np.uint8)
    labels2d = np.zeros((64, 80), np.uint8)
    labels2d[5:40, 10:50] = 1
    labels2d[30:60, 40:75] = rng.integers(0, 4, (30, 35))
    labels2d[0:3, :] = 255
    table = SegmentTable()
    table.add("a", color=(200, 30, 10))
    table.add("b", color=(0, 90, 250), visible=False)
    for opacity in (0.3, 0.5, 1.0):
        colors, alpha = label_lut(table, 255, opacity, hidden={3})
        expected = np.repeat(gray[:, :, None], 3, axis=2)
        blend_labels(expected, labels2d, colors, alpha, outline)
        got = gray_with_labels(gray, labels2d, colors, alpha, outline)
        assert got.shape == (64, 80, 3) and got.dtype == np.uint8
        np.testing.assert_array_equal(got, expected)


def test_views_start_on_the_middle_voxel_slice_not_between_two():
    """With an even number of slices the geometric centre lies between two: the crosshair starts
    (and Reset views puts it back) on voxel size // 2, as ITK-SNAP's cursor, so each view shows
    one real slice and the brush paints the slice on screen."""
    for name in ("ras", "lps", "oblique"):
        affine = AFFINES[name]
        state = ViewerState((18, 22, 25), affine)
        ijk = np.linalg.inv(affine)[:3] @ np.append(state.crosshair_ras, 1)
        assert np.allclose(ijk, [9, 11, 12])
        state.scroll("axial", 2)
        state.reset_view()
        assert np.allclose(np.linalg.inv(affine)[:3] @ np.append(state.crosshair_ras, 1), [9, 11, 12])
