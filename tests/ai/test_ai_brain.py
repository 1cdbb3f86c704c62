"""Brain extraction (deepbet's network, neuroview's geometry) against the MNI152 brain mask.

The heads are made here (neuroview.ai.heads): nilearn's real MNI152 brain, bare or wrapped in a
synthetic skull and scalp, in T1, T2 and FLAIR contrast from its tissue maps; 1 mm, 1x1x5 mm, and
with permuted/flipped axes. The reference is the template's own brain mask. Each run of the
network costs some 4-10 s of CPU, so the cases are few and the heads shared: each head is made
once for the module (:func:`head`; the tests only read them), and a mask's distance from the brain
is computed once for all the margins a test checks (:func:`mm_outside`). The heads with skull in
T1, T2, FLAIR and T1 in thick slices are extracted by tests/ai/test_ai_bundled_heads.py, which runs
the bundled model (brain extraction first) on such heads and checks the masks there.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("deepbet")

import torch  # noqa: E402
from scipy import ndimage  # noqa: E402
from scipy.spatial import cKDTree  # noqa: E402

from neuroview.ai import brain, heads  # noqa: E402
from neuroview.ai.brain_weights import load_networks  # noqa: E402
from neuroview.core.errors import ModelError  # noqa: E402
from neuroview.core.geometry import spacing_from_affine  # noqa: E402


def _dice(a, b) -> float:
    return float(2 * (a & b).sum() / max(a.sum() + b.sum(), 1))


def mm_outside(mask, ijk_to_ras) -> np.ndarray:
    """Each voxel's distance in mm from ``mask`` (0 inside it): ``mm_outside(m, a) <= mm`` is
    ``brain.dilate_mm(m, a, mm)``, with one distance transform (4 s on a 1 mm head) for all the
    margins a test checks."""
    return ndimage.distance_transform_edt(~mask.astype(bool), sampling=spacing_from_affine(ijk_to_ras))


@pytest.fixture(scope="module")
def head():
    """``head(contrast, skull)``: :func:`heads.synthetic_head`, made once for the module."""
    made = {}

    def get(contrast: str, skull: bool = True):
        if (contrast, skull) not in made:
            made[contrast, skull] = heads.synthetic_head(contrast, skull=skull)
        return made[contrast, skull]

    return get


@pytest.fixture(scope="module")
def t1_head(head):
    return head("t1", skull=True)


@pytest.fixture(scope="module")
def brain_distance(t1_head):
    """:func:`mm_outside` of the heads' brain, once for the module: every contrast's head has the
    template's own brain mask on the same grid (the tests using it check that). It is the
    distance the heads were built from (:func:`heads._padded_template`, 1 mm voxels): the same
    values on the head's box, ``inf`` outside it, where every voxel is 15 mm or more from the
    brain (a second whole-grid transform here cost 2-4 s)."""
    brain_mask, _, _, affine, distance, _ = heads._padded_template(18)
    assert brain_mask is t1_head.brain and np.array_equal(spacing_from_affine(affine), [1.0, 1.0, 1.0])
    return distance


def test_mm_outside_is_dilate_mm():
    """The helper above against the function it stands for."""
    mask = np.zeros((30, 24, 20), bool)
    mask[10:18, 8:14, 6:12] = True
    affine = np.diag([1.0, 1.5, 3.0, 1.0])
    for mm in (2.0, 4.5, 9.0):
        assert np.array_equal(mm_outside(mask, affine) <= mm, brain.dilate_mm(mask, affine, mm))


def world_outside(mask, ijk_to_ras) -> np.ndarray:
    """Brute force: each voxel centre's world distance (mm) to the nearest mask voxel's centre,
    every centre placed by the affine and paired by a k-d tree (any grid, sheared ones too)."""
    world = np.indices(mask.shape).reshape(3, -1).T @ np.asarray(ijk_to_ras, float)[:3, :3].T
    distance, _ = cKDTree(world[mask.reshape(-1)]).query(world)
    return distance.reshape(mask.shape)


def _tilted(sizes, degrees) -> np.ndarray:
    """A gantry tilt: slice axis k sheared ``degrees`` toward j, the grid rotated about i."""
    linear = np.diag(np.asarray(sizes, float))
    linear[1, 2] = sizes[2] * np.tan(np.radians(degrees))
    affine = np.eye(4)
    affine[:3, :3] = _rotation(0, 12) @ linear
    return affine


def _rotation(axis, degrees) -> np.ndarray:
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    a, b = (n for n in range(3) if n != axis)
    out = np.eye(3)
    out[a, a], out[a, b], out[b, a], out[b, b] = c, -s, s, c
    return out


def test_dilate_mm_near_the_grid_edges_is_the_world_distance(rng):
    """dilate_mm works on the mask's box grown by the margin: the voxels whose centres lie within
    the margin of a mask voxel's in world space, for masks at an edge of the grid or in a corner,
    sheared (0.2) and anisotropic voxels, margins that end exactly on a voxel centre."""
    affine = np.diag([0.8, 1.5, 3.0, 1.0])
    affine[:3, :3] = affine[:3, :3] @ np.array([[1.0, 0.2, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    for box in ((slice(0, 4), slice(10, 20), slice(3, 7)), (slice(25, 30), slice(0, 1), slice(8, 12)),
                (slice(12, 14), slice(5, 6), slice(9, 10))):
        mask = np.zeros((30, 24, 12), bool)
        mask[box] = rng.random(mask[box].shape) < 0.6
        for mm in (1.5, 3.0, 6.0, 10.0):
            assert np.array_equal(brain.dilate_mm(mask, affine, mm), world_outside(mask, affine) <= mm + 1e-6)


@pytest.mark.parametrize("affine", [_tilted((0.5, 0.6, 2.5), 25), _tilted((0.9, 0.7, 4.0), -20),
                                    _tilted((0.8, 1.0, 3.0), 0)], ids=["25deg", "-20deg", "straight"])
def test_dilate_mm_adds_the_voxels_within_mm_in_world_space(affine, rng):
    """The brain's margin on a gantry-tilted CT grid (and, third, the same grid untilted): exactly
    the voxels whose centres lie within ``mm`` of the mask in world space. On the tilted grids the
    old distance transform, weighted by the voxel sizes as if the axes were perpendicular, took
    hundreds of voxels wrong."""
    mask = np.zeros((60, 50, 16), bool)
    mask[18:42, 12:38, 4:12] = rng.random((24, 26, 8)) < 0.85
    mask[0:3, 20:24, 0:2] = True                                   # at a corner of the grid
    distance = world_outside(mask, affine)
    for mm in (1.5, 3.0, 6.0):
        wrong = brain.dilate_mm(mask, affine, mm) != (distance <= mm + 1e-6)
        assert not wrong.any(), f"{mm} mm: {int(wrong.sum())} voxels wrong"


@pytest.mark.parametrize("affine", [np.diag([1.0, 1.0, 1.0, 1.0]), np.diag([0.8, 1.5, 3.0, 1.0]),
                                    _tilted((0.5, 0.6, 2.5), 25)], ids=["1mm", "aniso", "tilted"])
def test_dilate_mm_margins_are_each_margins_dilate_mm(affine, rng):
    """One distance transform for several margins (a T1 head's 3 mm input and 1 mm report margin)
    gives each margin's own dilate_mm, voxel for voxel, also at the grid's edges."""
    mask = np.zeros((40, 36, 20), bool)
    mask[8:30, 6:28, 3:15] = rng.random((22, 22, 12)) < 0.7
    mask[0:2, 30:36, 18:20] = True
    margins = (3.0, 1.0, 0.0, 6.0, 3.0)
    grown = brain.dilate_mm_margins(mask, affine, margins)
    for mm, got in zip(margins, grown):
        assert np.array_equal(got, brain.dilate_mm(mask, affine, mm)), mm
    assert not np.array_equal(grown[0], grown[1])
    empty = brain.dilate_mm_margins(np.zeros((5, 5, 5), bool), affine, (3.0, 1.0))
    assert [g.any() for g in empty] == [False, False] and empty[0] is not empty[1]


# The T1 head with skull (Dice, nothing of the scalp, its volume), the T2 and FLAIR-like heads with
# skull (Dice, the tissue kept, little beyond 5 and 9 mm) and T1 in 1x1x5 mm slices permuted and
# flipped are checked on the heads tests/ai/test_ai_bundled_heads.py runs the bundled model on (the
# card's brain extraction first): test_brain_extraction_on_a_t1_head_with_skull,
# test_brain_extraction_on_t2_and_flair_like_heads, test_brain_extraction_on_thick_slices. Those
# heads are extracted there anyway; extracting heads of the same kinds here again cost 28 s.


def test_skull_stripped_head_keeps_its_brain(head):
    stripped = head("t1", skull=False)
    mask = brain.brain_mask(stripped.image, stripped.ijk_to_ras)
    assert _dice(mask, stripped.brain) >= 0.95
    # the mask must not eat the brain: at most 1 % of the white + grey matter is left out
    tissue = (stripped.gm + stripped.wm) > 0.5
    assert (tissue & ~mask).sum() <= 0.01 * tissue.sum()


def test_t2_thick_slices_with_skull(head):
    """T2-like, 1x1x5 mm slices, axes permuted and flipped: measured 0.960 on held-out seed 0
    with each thick slice folded about its own white matter level; 0.947 with the head's level
    for all (0.885 without the fold), where the thick slices mix the brain's base with the skull
    under it and the mask took in some of the skull base (README)."""
    head = head("t2", skull=True)
    image, affine = heads.thick_slices(head.image, head.ijk_to_ras, thickness=5, axis=2)
    reference, _ = heads.thick_slices(head.brain.astype(np.float32), head.ijk_to_ras, 5, 2, order=0)
    image, moved = heads.reorient(image, affine, order=(2, 0, 1), flips=(0, 2))
    reference, _ = heads.reorient(reference > 0.5, affine, order=(2, 0, 1), flips=(0, 2))
    assert _dice(brain.brain_mask(image, moved), reference) >= 0.95


def test_thick_slices_get_their_own_white_matter_level():
    """On thick slices each slice is folded about its own white matter level, never above the
    head's: a slice darkened by the bone it averages with gets its lower level, a brighter one
    keeps the head's, and one with too little brain in it keeps the head's too."""
    rng = np.random.default_rng(0)
    image = rng.normal(100.0, 2.0, (80, 80, 5)).astype(np.float32)
    image[:, :, 0] *= 0.6   # the brain's base, mixed with bone
    image[:, :, 4] *= 1.3
    mask = np.zeros(image.shape, bool)
    mask[10:70, 10:70, :4] = True         # 3600 mm^2 per slice at 1 mm
    mask[38:42, 38:42, 4] = True          # 16 mm^2: too little to measure
    levels = brain.slice_levels(image, mask, axis=2, wm=100.0, pixel_mm2=1.0)
    assert levels.shape == (1, 1, 5)
    assert abs(levels[0, 0, 0] - 60.0) < 3.0
    assert np.all(np.abs(levels[0, 0, 1:4] - 100.0) < 3.0) and levels.max() <= 100.0
    assert levels[0, 0, 4] == 100.0
    assert brain.thick_axis((1.0, 5.0, 1.0)) == 1 and brain.thick_axis((1.0, 1.2, 1.0)) is None


def test_thick_slice_pixel_area_on_a_sheared_grid(monkeypatch):
    """The area :func:`brain.slice_levels` weighs a thick slice's mask by is a pixel's true area:
    on a grid whose in-plane axes are 30 degrees off perpendicular (stored with the thick axis
    last and the others permuted), the norm of the in-plane columns' cross product, not the
    product of their lengths (15 % too large). Two stand-in networks (a centred cube) keep this
    to the geometry."""
    tilt = np.radians(30.0)
    affine = np.eye(4)
    affine[:3, 0] = (0.0, 1.0, 0.0)                          # i: anterior, 1 mm
    affine[:3, 1] = (0.0, np.sin(tilt), np.cos(tilt))        # j: superior, 30 degrees toward A
    affine[:3, 2] = (5.0, 0.0, 0.0)                          # k: right, 5 mm slices
    reference = float(np.linalg.norm(np.cross(affine[:3, 0], affine[:3, 1])))
    assert reference == pytest.approx(np.cos(tilt))

    def cube_net(x):
        inside = torch.zeros_like(x[:, :1])
        lo = [n // 4 for n in x.shape[2:]]
        inside[:, :, lo[0]:-lo[0], lo[1]:-lo[1], lo[2]:-lo[2]] = 1.0
        return torch.cat([1.0 - inside, inside], dim=1)

    areas = []
    real_levels = brain.slice_levels

    def levels(image, mask, axis, wm, pixel_mm2):
        areas.append((axis, pixel_mm2))
        return real_levels(image, mask, axis, wm, pixel_mm2)

    monkeypatch.setattr(brain, "load_networks", lambda device: (cube_net, cube_net))
    monkeypatch.setattr(brain, "slice_levels", levels)
    image = np.random.default_rng(1).normal(100.0, 10.0, (60, 60, 12)).astype(np.float32)
    brain.brain_masks(image, affine, fold=True)
    assert [axis for axis, _ in areas] == [0]              # k, the thick axis, is R: oriented axis 0
    assert areas[0][1] == pytest.approx(reference, rel=1e-9)


def test_fold_is_chosen_from_the_image_itself(mni_volume, head):
    """T2/FLAIR-like contrast is recognised from the image (grey matter and CSF brighter than
    white matter inside the coarse mask), never on a T1: the real MNI152 T1 of the demo case and
    the synthetic T1 head stay as they are, and the white matter level is found on each."""
    import torch.nn.functional as F

    def share_and_level(image):
        small = F.interpolate(torch.from_numpy(np.ascontiguousarray(image, np.float32))[None, None],
                              brain.BOX_SHAPE, mode="trilinear", align_corners=False)[0, 0]
        box_mask, _low, _high = brain._box_pass(load_networks(torch.device("cpu"))[0], small)
        level = brain.white_matter_level(small.numpy(), box_mask)
        return brain.brighter_than_white_matter(small.numpy(), box_mask, level), level

    assert share_and_level(mni_volume.array)[0] < brain.FOLD_SHARE / 4
    for contrast in ("t1", "t2", "flair"):
        share, level = share_and_level(head(contrast, skull=True).image)
        assert (share > brain.FOLD_SHARE) == (contrast != "t1"), (contrast, share)
        wm = 600 * heads.TISSUE_CONTRAST["wm"][("t1", "t2", "flair").index(contrast)]
        assert abs(level - wm) < 0.05 * wm, (contrast, level)


def test_outside_air_is_only_the_air_around_the_head(t1_head, head, brain_distance):
    """The air the mask may not take in: the zeros around a skull-stripped brain, and on a head
    with skull only what lies outside the scalp (the dark bone inside is not connected)."""
    image, affine = t1_head.image, t1_head.ijk_to_ras
    level = brain.AIR_SHARE * float(np.median(image[t1_head.brain]))
    air = brain.outside_air(image, level)
    distance = brain_distance
    assert not (air & (distance <= 12.0)).any()   # the scalp ends at 13 mm
    assert air[distance > 15.0].mean() > 0.99
    stripped = head("t1", skull=False)
    air = brain.outside_air(stripped.image, level)
    assert not (air & stripped.brain).any()
    assert air[~brain.dilate_mm(stripped.brain, affine, 2.0)].mean() > 0.99


def test_reorient_helper_keeps_world_positions(t1_head):
    """The test helper itself: a voxel keeps its RAS position under reorient()."""
    image, affine = heads.reorient(t1_head.image, t1_head.ijk_to_ras, order=(1, 2, 0), flips=(0, 1))
    ijk_new = np.array([3, 7, 11])
    ras = affine @ np.r_[ijk_new, 1]
    ijk_old = np.round(np.linalg.inv(t1_head.ijk_to_ras) @ ras).astype(int)[:3]
    assert image[tuple(ijk_new)] == t1_head.image[tuple(ijk_old)]


def test_inside_depth_is_the_whole_grid_transform(rng):
    """white_matter_level's depth on the mask's box grown by a voxel: the whole grid's transform
    for masks at faces and corners of the grid, filling it, and on one slice (thick slices)."""
    for shape, box in (((30, 24, 12), (slice(0, 9), slice(5, 20), slice(3, 12))),
                       ((30, 24, 12), (slice(10, 18), slice(6, 14), slice(2, 9))),
                       ((30, 24, 12), (slice(0, 30), slice(0, 24), slice(0, 12))),
                       ((30, 1, 12), (slice(4, 26), slice(0, 1), slice(1, 11)))):
        mask = np.zeros(shape, bool)
        mask[box] = rng.random(mask[box].shape) < 0.9
        assert np.array_equal(brain.inside_depth(mask), ndimage.distance_transform_edt(mask))


def test_fill_holes_is_scipys(rng, t1_head):
    """brain_masks' hole filling (cc3d's components of the background) against scipy's
    binary_fill_holes: noise masks of every density (holes at the faces, corners, in one voxel
    thick grids), an empty and a full grid, and a head's brain with cavities cut into it."""
    for shape in ((30, 24, 12), (1, 20, 20), (17, 1, 9)):
        for density in (0.0, 0.3, 0.55, 0.7, 0.9, 1.0):
            mask = rng.random(shape) < density
            assert np.array_equal(brain.fill_holes(mask), ndimage.binary_fill_holes(mask)), (shape, density)
    mask = t1_head.brain.copy()
    mask[80:90, 100:110, 70:80] = False                 # a cavity inside the brain
    mask &= rng.random(mask.shape) < 0.97               # and pinholes everywhere
    filled = brain.fill_holes(mask)
    assert filled[85, 105, 75] and np.array_equal(filled, ndimage.binary_fill_holes(mask))


def test_the_networks_input_is_scaled_as_deepbet_scales_it(head):
    """brain._normalise, in place on its own copy, against deepbet's own ``normalize``: the same
    float32 values, bit for bit, on the coarse and the fine network's grids; the input untouched."""
    from deepbet.utils import normalize

    for contrast, shape in (("t1", brain.BOX_SHAPE), ("t1", (192, 224, 160)), ("t2", brain.BOX_SHAPE)):
        image = torch.from_numpy(head(contrast, skull=True).image)[None, None]
        x = torch.nn.functional.interpolate(image, shape, mode="trilinear", align_corners=False)[0, 0]
        low, high = torch.quantile(x.flatten()[::4], torch.tensor([0.005, 0.995]))
        before = x.clone()
        assert torch.equal(brain._normalise(x, low, high), normalize(x, low, high)), (contrast, shape)
        assert torch.equal(x, before)


def test_keep_inside_clears_outside_and_margin_only_regions():
    brain_mask = np.zeros((20, 20, 20), bool)
    brain_mask[6:14, 6:14, 6:14] = True
    allowed = np.zeros((20, 20, 20), bool)
    allowed[4:16, 4:16, 4:16] = True   # the brain grown by 2 voxels
    labels = np.zeros((20, 20, 20), np.uint8)
    labels[7:9, 7:9, 7:9] = 1          # inside: kept
    labels[0:3, 0:3, 0:3] = 1          # outside: dropped
    labels[4:5, 10:12, 10:12] = 1      # only in the margin, touching no brain voxel: dropped
    labels[12:18, 10:12, 10:12] = 1    # juxtacortical, crossing out: the part inside is kept
    out = brain.keep_inside(labels, allowed, brain_mask)
    assert out[7:9, 7:9, 7:9].all() and not out[0:3, 0:3, 0:3].any() and not out[4].any()
    assert out[12:16, 10:12, 10:12].all() and not out[16:18].any()
    assert out.sum() == 8 + 4 * 4


def test_blank_image_is_a_clear_error():
    with pytest.raises(ModelError, match="no head found"):
        brain.brain_mask(np.zeros((40, 40, 40), np.float32), np.eye(4))
