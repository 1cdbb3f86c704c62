"""Editing tools driven headless with press/drag/release in RAS, checked voxel by voxel.

References are computed independently: voxel centres mapped to RAS with nibabel's apply_affine
and distances measured in millimetres, on isotropic, anisotropic and oblique grids.
"""

import numpy as np
import pytest
from nibabel.affines import apply_affine

from neuroview.core import geometry
from neuroview.core.edit import tool_class
from neuroview.core.errors import ToolError
from neuroview.core.volume import Volume
from tests.core.edit_tool_cases import (
    GRIDS,
    distance_to_segment,
    make_target,
    make_volume,
    ras_of_all_voxels,
    run_tool,
)


@pytest.mark.parametrize("kind", list(GRIDS))
def test_paint_3d_stroke_is_round_in_mm(kind):
    volume = make_volume(kind)
    target = make_target(volume)
    c = volume.center_ras
    a, b = c + [-3.1, 1.3, 0.4], c + [4.2, -2.2, 1.7]
    diff = run_tool(target, "paint", [a, a + (b - a) * 0.5, b], segment=1, radius_mm=4.3, mode="3d")
    expected = distance_to_segment(ras_of_all_voxels(volume), a, b) <= 4.3
    painted = target.labels.array == 1
    assert expected.sum() > 50
    np.testing.assert_array_equal(painted, expected)
    # the diff's box holds every changed voxel and the stroke is one step
    assert diff.n_changed == expected.sum()
    diff.undo(target.labels.array)
    assert not target.labels.array.any()


@pytest.mark.parametrize("kind", list(GRIDS))
def test_paint_2d_stays_in_the_slice_and_is_a_disc(kind):
    volume = make_volume(kind)
    target = make_target(volume)
    c = volume.center_ras + [0.3, -0.2, 0.1]
    run_tool(target, "paint", [c], segment=1, radius_mm=5.2, mode="2d", view="axial")
    painted = np.argwhere(target.labels.array == 1)
    # the slice: the voxel axis closest to S, at the voxel under the point
    columns = geometry.direction_cosines(volume.ijk_to_ras)
    axis = int(np.argmax(np.abs(columns[2])))
    layer = int(np.rint(apply_affine(np.linalg.inv(volume.ijk_to_ras), c)[axis]))
    assert set(painted[:, axis]) == {layer}
    ras = apply_affine(volume.ijk_to_ras, painted)
    in_plane = np.linalg.norm((ras - c)[:, :2], axis=1)
    assert in_plane.max() <= 5.2 + 1e-6
    # every voxel of the layer within the radius (in the view plane) is painted
    all_ras = ras_of_all_voxels(volume)
    layer_mask = np.zeros(volume.shape, bool)
    index = [slice(None)] * 3
    index[axis] = layer
    layer_mask[tuple(index)] = True
    expected = layer_mask & (np.linalg.norm((all_ras - c)[..., :2], axis=-1) <= 5.2)
    np.testing.assert_array_equal(target.labels.array == 1, expected)


def test_erase_only_the_chosen_segment_and_intensity_range():
    volume = make_volume("anisotropic")
    ras = ras_of_all_voxels(volume)
    volume.array[...] = (ras[..., 0] > volume.center_ras[0]).astype(np.float32) * 100
    target = make_target(volume, names=("a", "b"))
    c = volume.center_ras
    run_tool(target, "paint", [c], segment=1, radius_mm=6, intensity_low=50)
    sphere = np.linalg.norm(ras - c, axis=-1) <= 6
    np.testing.assert_array_equal(target.labels.array == 1, sphere & (volume.array >= 50))
    run_tool(target, "paint", [c], segment=2, radius_mm=6, intensity_high=50)
    np.testing.assert_array_equal(target.labels.array == 2, sphere & (volume.array < 50))
    run_tool(target, "erase", [c], segment=1, radius_mm=3)
    small = np.linalg.norm(ras - c, axis=-1) <= 3
    np.testing.assert_array_equal(target.labels.array == 1, sphere & ~small & (volume.array >= 50))
    np.testing.assert_array_equal(target.labels.array == 2, sphere & (volume.array < 50))


def test_locks_and_overwrite_policies():
    volume = make_volume("isotropic")
    target = make_target(volume, names=("locked", "hidden", "visible", "brush"))
    labels = target.labels
    labels.array[10:20, 10:30, 10:30] = 1
    labels.array[20:25, 10:30, 10:30] = 2
    labels.array[25:30, 10:30, 10:30] = 3
    labels.segments.get(1).locked = True
    labels.segments.get(2).visible = False
    before = labels.array.copy()
    centre = apply_affine(volume.ijk_to_ras, [20, 20, 20])
    for policy, kept in (("background", {1, 2, 3}), ("visible", {1, 2}), ("all", {1})):
        labels.array[...] = before
        target.policy = policy
        run_tool(target, "paint", [centre], segment=4, radius_mm=40)
        for value in (1, 2, 3):
            same = np.array_equal(labels.array == value, before == value)
            assert same == (value in kept), (policy, value)
        assert (labels.array == 4).sum() == (before == 0).sum() + sum(
            (before == v).sum() for v in (1, 2, 3) if v not in kept)
    with pytest.raises(ToolError, match="locked"):
        run_tool(target, "paint", [centre], segment=1, radius_mm=3)
    labels.array[...] = before
    run_tool(target, "erase", [centre], segment=None, radius_mm=40)
    assert np.array_equal(labels.array == 1, before == 1) and labels.array.max() == 1


def test_fill_2d_fills_a_drawn_contour_and_3d_an_intensity_region():
    volume = make_volume("anisotropic")
    target = make_target(volume)
    labels = target.labels
    k = 9
    ii, jj = np.meshgrid(np.arange(60), np.arange(50), indexing="ij")
    ring = np.abs(np.hypot((ii - 30) * 0.6, (jj - 25) * 0.9) - 8) <= 0.7
    labels.array[..., k][ring] = 1
    inside = np.hypot((ii - 30) * 0.6, (jj - 25) * 0.9) < 8
    run_tool(target, "fill", [apply_affine(volume.ijk_to_ras, [30, 25, k])], segment=1, mode="2d")
    np.testing.assert_array_equal(labels.array[..., k] == 1, ring | inside)
    assert not labels.array[..., k + 1].any()
    # 3D with an intensity range: two bright blocks, only the one under the point is filled
    volume.array[5:20, 5:20, 2:8] = 200
    volume.array[30:40, 30:40, 2:8] = 200
    labels.array[...] = 0
    run_tool(target, "fill", [apply_affine(volume.ijk_to_ras, [10, 10, 5])], segment=1, mode="3d",
             intensity_low=150, intensity_high=250)
    expected = np.zeros(volume.shape, bool)
    expected[5:20, 5:20, 2:8] = True
    np.testing.assert_array_equal(labels.array == 1, expected)


def test_fill_2d_in_a_resliced_view_fills_the_voxels_its_plane_passes_through():
    """An oblique grid in the coronal view resliced through a point: a Fill on an empty label map
    fills exactly the voxels whose centre lies within half a voxel (along the normal) of the plane,
    not the tilted voxel slice under the point (old code: from 14.9 mm behind to 15.2 mm in front)."""
    volume = make_volume("oblique")
    target = make_target(volume)
    on_plane = volume.center_ras + [0.4, 0.3, -0.2]
    seed = apply_affine(volume.ijk_to_ras, np.rint(apply_affine(volume.ras_to_ijk, on_plane)))
    run_tool(target, "fill", [seed], segment=1, mode="2d", view="coronal", plane_ras=on_plane)
    normal = np.array([0.0, 1.0, 0.0])
    offset = np.abs((ras_of_all_voxels(volume) - on_plane) @ normal)
    half = 0.5 * np.abs(volume.ijk_to_ras[:3, :3].T @ normal).sum()
    np.testing.assert_array_equal(target.labels.array == 1, offset <= half)


def _sphere_image(volume, centre_ras, radius, rng):
    ras = ras_of_all_voxels(volume)
    inside = np.linalg.norm(ras - centre_ras, axis=-1) <= radius
    volume.array[...] = inside * 100.0 + rng.normal(0, 5, volume.shape)
    return inside


@pytest.mark.parametrize("kind", ["isotropic", "oblique"])
def test_grow_from_seeds_recovers_a_sphere(kind, rng):
    volume = make_volume(kind)
    centre = volume.center_ras
    truth = _sphere_image(volume, centre, 9.0, rng)
    target = make_target(volume, names=("lesion", "background"))
    run_tool(target, "paint", [centre], segment=1, radius_mm=2)
    run_tool(target, "paint", [centre + [15, 0, 0]], segment=2, radius_mm=2)
    run_tool(target, "paint", [centre - [0, 15, 0]], segment=2, radius_mm=2)
    seeds = target.labels.array.copy()
    cls = tool_class("grow")
    tool = cls(target, cls.Params(padding_mm=8))
    proposal = tool.propose()
    assert np.array_equal(target.labels.array, seeds)  # the preview writes nothing
    preview = proposal.full_array(target.labels.array)
    grown = preview == 1
    dice = 2 * (grown & truth).sum() / (grown.sum() + truth.sum())
    assert dice > 0.9, dice
    tool.press()
    np.testing.assert_array_equal(target.labels.array, preview)
    with pytest.raises(ToolError, match="two segments"):
        run_tool(target, "grow", segments=[1])


def test_islands_keep_largest_remove_small_and_split():
    volume = make_volume("anisotropic")  # voxel volume 0.6*0.9*2.5 = 1.35 mm3
    target = make_target(volume, names=("lesion",))
    a = target.labels.array
    a[5:15, 5:15, 2:6] = 1    # 400 voxels
    a[30:35, 30:35, 2:4] = 1  # 50 voxels
    a[50:52, 40:42, 10:11] = 1  # 4 voxels
    start = a.copy()
    run_tool(target, "islands", segment=1, operation="remove_small", min_ml=0.01)  # 0.01 mL = 7.4 voxels -> 8
    assert (a == 1).sum() == 450
    a[...] = start
    run_tool(target, "islands", operation="keep_largest", segment=1)
    assert (a == 1).sum() == 400 and a[5:15, 5:15, 2:6].all()
    a[...] = start
    run_tool(target, "islands", operation="split", segment=1)
    assert sorted(target.labels.voxel_counts().values()) == [4, 50, 400]
    assert target.labels.voxel_counts()[1] == 400
    assert [s.name for s in target.labels.segments] == ["lesion", "lesion 2", "lesion 3"]


def test_islands_without_segment_is_a_clear_error():
    target = make_target(make_volume("isotropic"))
    with pytest.raises(ToolError, match="needs a segment"):
        run_tool(target, "islands", operation="keep_largest")


def test_smoothing_closing_opening_median():
    volume = make_volume("isotropic")
    target = make_target(volume)
    a = target.labels.array
    a[10:30, 10:30, 10:30] = 1
    a[20, 20, 20] = 0            # a one-voxel hole
    a[30:33, 20, 20] = 1         # a thin spike
    run_tool(target, "smoothing", segment=1, method="closing", kernel_mm=3)
    assert a[20, 20, 20] == 1
    run_tool(target, "smoothing", segment=1, method="opening", kernel_mm=3)
    assert not a[30:33, 20, 20].any() and a[15:25, 15:25, 15:25].all()
    a[5, 5, 5] = 1
    run_tool(target, "smoothing", segment=1, method="median", kernel_mm=3)
    assert a[5, 5, 5] == 0 and a[15:25, 15:25, 15:25].all()


@pytest.mark.parametrize("kind", ["anisotropic", "oblique", "tilted"])
def test_margin_grows_and_shrinks_in_mm(kind):
    volume = make_volume(kind)
    target = make_target(volume)
    centre_ijk = np.array(volume.shape) // 2
    target.labels.array[tuple(centre_ijk)] = 1
    run_tool(target, "margin", segment=1, margin_mm=3.0)
    ras = ras_of_all_voxels(volume)
    expected = np.linalg.norm(ras - apply_affine(volume.ijk_to_ras, centre_ijk), axis=-1) <= 3.0 + 1e-6
    np.testing.assert_array_equal(target.labels.array == 1, expected)
    run_tool(target, "margin", segment=1, margin_mm=-3.0)
    assert (target.labels.array == 1).sum() < expected.sum() / 4
    assert target.labels.array[tuple(centre_ijk)] == 1


def test_margin_shrinks_in_world_mm_on_a_tilted_grid():
    """Shrinking keeps the voxels farther than the margin from every voxel outside the segment,
    by the voxel centres' RAS distances."""
    volume = make_volume("tilted")
    target = make_target(volume)
    ras = ras_of_all_voxels(volume)
    centre = apply_affine(volume.ijk_to_ras, np.array(volume.shape) // 2)
    ball = np.linalg.norm(ras - centre, axis=-1) <= 9.0
    target.labels.array[ball] = 1
    run_tool(target, "margin", segment=1, margin_mm=-3.0)
    outside, inner = ras[~ball], ras[ball]
    kept = np.zeros(volume.shape, bool)
    kept[ball] = [np.min(np.linalg.norm(outside - p, axis=1)) > 3.0 + 1e-6 for p in inner]
    np.testing.assert_array_equal(target.labels.array == 1, kept)


def test_smoothing_kernel_is_a_ball_in_world_mm_on_a_tilted_grid():
    """Opening a ball on a tilted grid with a 5 mm kernel: the same as scipy's opening with the
    voxels whose centres lie within 2.5 mm of a voxel's, found here from RAS offsets."""
    from scipy import ndimage

    volume = make_volume("tilted")
    target = make_target(volume)
    ras = ras_of_all_voxels(volume)
    centre = apply_affine(volume.ijk_to_ras, np.array(volume.shape) // 2)
    shape = np.linalg.norm(ras - centre, axis=-1) <= 7.0
    shape[20:24, 20, 8:12] = True                       # a thin spike the kernel removes
    target.labels.array[shape] = 1
    run_tool(target, "smoothing", segment=1, method="opening", kernel_mm=5.0)
    offsets = np.indices((21, 21, 9)).reshape(3, -1).T - (10, 10, 4)
    near = np.linalg.norm(offsets @ volume.ijk_to_ras[:3, :3].T, axis=1) <= 2.5 + 1e-9
    kernel = near.reshape(21, 21, 9)
    assert not kernel[0].any() and not kernel[:, 0].any() and not kernel[:, :, 0].any()
    expected = ndimage.binary_opening(np.pad(shape, 12), structure=kernel)[12:-12, 12:-12, 12:-12]
    np.testing.assert_array_equal(target.labels.array == 1, expected)


def test_interpolate_between_slices_morphs_discs():
    volume = make_volume("isotropic")
    target = make_target(volume)
    a = target.labels.array
    ii, jj = np.meshgrid(np.arange(40), np.arange(40), indexing="ij")
    a[..., 10][np.hypot(ii - 20, jj - 20) <= 10] = 1
    a[..., 20][np.hypot(ii - 20, jj - 20) <= 6] = 1
    drawn = a.copy()
    cls = tool_class("interpolate")
    proposal = cls(target, cls.Params(segment=1, view="axial")).propose()
    assert np.array_equal(a, drawn)
    result = proposal.full_array(a)
    np.testing.assert_array_equal(result[..., 10], drawn[..., 10])
    np.testing.assert_array_equal(result[..., 20], drawn[..., 20])
    areas = [(result[..., k] == 1).sum() for k in range(10, 21)]
    assert all(x >= y for x, y in zip(areas, areas[1:]))  # shrinks monotonically
    middle = (result[..., 15] == 1).sum()
    assert abs(middle - np.pi * 8 ** 2) < 0.1 * np.pi * 8 ** 2
    assert not result[..., 9].any() and not result[..., 21].any()


def test_logical_operations():
    volume = make_volume("isotropic")
    target = make_target(volume, names=("a", "b"))
    a = target.labels.array
    a[0:10] = 1
    a[10:20] = 2
    mask = np.zeros(volume.shape, bool)
    mask[5:15] = True
    run_tool(target, "logical", segment=1, operation="subtract", other=mask)
    assert (a == 1).sum() == 5 * 40 * 40 and not (a[5:10] == 1).any()
    run_tool(target, "logical", segment=1, operation="add", other=mask)
    assert (a == 1).sum() == 15 * 40 * 40 and (a == 2).sum() == 5 * 40 * 40
    run_tool(target, "logical", segment=1, operation="intersect", other=mask)
    assert np.array_equal(a == 1, mask)
    run_tool(target, "logical", segment=2, operation="copy", other=1)
    assert np.array_equal(a == 2, mask) and not (a == 1).any()
    run_tool(target, "logical", segment=2, operation="clear")
    assert not a.any()


@pytest.mark.parametrize("mode", ["3d", "2d"])
def test_brush_smaller_than_a_voxel_paints_the_voxel_under_it(mode):
    """Slicer's rule: a brush smaller than a voxel paints at least the voxel holding the point
    (radius 1 mm on 2 mm voxels, 0.9 mm off a centre along each axis, painted nothing), and a
    drag paints every voxel the path crosses; Erase takes them back alike."""
    volume = Volume(np.zeros((20, 20, 20), np.float32), geometry.affine_from_spacing((2.0, 2.0, 2.0)))
    target = make_target(volume)
    centre = apply_affine(volume.ijk_to_ras, [8, 9, 10])
    p = centre + [0.9, -0.9, 0.9]
    run_tool(target, "paint", [p], segment=1, radius_mm=1.0, mode=mode, view="axial")
    assert np.argwhere(target.labels.array == 1).tolist() == [[8, 9, 10]]
    end = apply_affine(volume.ijk_to_ras, [14, 9, 10]) + [0.9, -0.9, 0.9]
    run_tool(target, "paint", [p, end], segment=1, radius_mm=1.0, mode=mode, view="axial")
    assert np.argwhere(target.labels.array == 1).tolist() == [[i, 9, 10] for i in range(8, 15)]
    run_tool(target, "erase", [end], segment=1, radius_mm=0.5, mode=mode, view="axial")
    assert np.argwhere(target.labels.array == 1).tolist() == [[i, 9, 10] for i in range(8, 14)]


@pytest.mark.parametrize("name, params, point", [
    ("paint", {"radius_mm": 3}, True),
    ("fill", {}, True),
    ("interpolate", {}, False),
    ("islands", {}, False),
    ("logical", {"operation": "add", "other": 2}, False),
    ("threshold", {"low": 0, "high": 100}, False),
    ("smoothing", {}, False),
    ("margin", {"margin_mm": 2.0}, False),
])
def test_every_tool_refuses_a_locked_segment(name, params, point):
    """Each tool that writes a segment names the locked one and leaves every voxel as it was
    (one check, ``Tool.unlocked_value``, that eight tools share)."""
    volume = make_volume("isotropic")
    target = make_target(volume, names=("Lesion", "Other"))
    labels = target.labels
    labels.array[10:20, 10:20, 10:20] = 1
    labels.array[22:26, 22:26, 10:20] = 2
    labels.segments.get(1).locked = True
    before = labels.array.copy()
    centre = apply_affine(volume.ijk_to_ras, [15, 15, 15])
    with pytest.raises(ToolError, match="segment 'Lesion' is locked"):
        run_tool(target, name, [centre] if point else [None], segment=1, **params)
    np.testing.assert_array_equal(labels.array, before)


@pytest.mark.parametrize("name, params, said", [
    ("islands", {"operation": "shrink"},
     "unknown islands operation 'shrink'; choose one of ('keep_largest', "),
    ("logical", {"operation": "xor", "other": 2},
     "unknown logical operation 'xor'; choose one of ("),
    ("smoothing", {"method": "gaussian"},
     "unknown smoothing method 'gaussian'; choose one of ('median', 'opening', 'closing')"),
    ("policy", {}, "unknown overwrite policy 'some'; choose one of ('all', 'visible', 'background')"),
])
def test_an_unknown_option_is_refused_in_one_line_naming_the_choices(name, params, said):
    volume = make_volume("isotropic")
    target = make_target(volume, names=("Lesion", "Other"))
    target.labels.array[10:20, 10:20, 10:20] = 1
    before = target.labels.array.copy()
    with pytest.raises(ToolError) as raised:
        if name == "policy":
            make_target(volume, policy="some")
        else:
            run_tool(target, name, [None], segment=1, **params)
    assert str(raised.value).startswith(said) and "\n" not in str(raised.value)
    np.testing.assert_array_equal(target.labels.array, before)
