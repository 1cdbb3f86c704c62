"""The lesion list against an independent reference on varied masks and grids: the per-voxel
algorithm it had until session 43 (scipy.ndimage.label, every voxel listed and mapped to RAS, the
centroid their mean, the jump voxel the nearest of all of them, the diameter the farthest pair of
all of them), kept here. Counts, volumes, diameters, centroids, boxes, order and jump voxels must
agree on anisotropic, oblique, LPS and sheared grids, crescents (centroid outside the lesion),
one-voxel lesions and lesions touching by a corner or an edge under 6, 18 and 26 connectivity."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from scipy.spatial.distance import pdist
from scipy.spatial.transform import Rotation

from neuroview.app.components import find_components

STRUCTURES = {6: 1, 18: 2, 26: 3}  # connectivity -> ndimage.generate_binary_structure rank


def _reference(mask, affine, connectivity):
    """(voxels, volume_ml, diameter, centroid, jump distances, box) per lesion, largest first
    (ties: first voxel in C order), by listing every voxel of every lesion."""
    structure = ndimage.generate_binary_structure(3, STRUCTURES[connectivity])
    ids, count = ndimage.label(mask, structure=structure)
    voxel_ml = abs(np.linalg.det(affine[:3, :3])) / 1000
    found = []
    for number in range(1, count + 1):
        inside = np.argwhere(ids == number)
        ras = inside @ affine[:3, :3].T + affine[:3, 3]
        centroid = ras.mean(axis=0)
        distance = np.sqrt(((ras - centroid) ** 2).sum(axis=1))
        diameter = pdist(ras).max() if len(ras) > 1 else 0.0
        box = (tuple(inside.min(axis=0)), tuple(inside.max(axis=0) + 1))
        found.append((len(inside), tuple(inside[0]), len(inside) * voxel_ml, diameter, centroid,
                      dict(zip(map(tuple, inside), distance)), box))
    found.sort(key=lambda item: (-item[0], item[1]))
    return found


def _affine(linear, origin=(-30.0, 12.5, 7.25)):
    affine = np.eye(4)
    affine[:3, :3] = linear
    affine[:3, 3] = origin
    return affine


GRIDS = {
    "anisotropic": _affine(np.diag([0.43, 0.9, 3.0])),
    "oblique": _affine(Rotation.from_euler("ZX", [25, -13], degrees=True).as_matrix()
                       @ np.diag([0.8, 1.1, 2.5])),
    "lps": _affine(np.diag([-0.7, -0.7, 1.25]), origin=(120.0, 95.0, -40.0)),
    "sheared": _affine(np.array([[1.0, 0.35, 0.0], [0.0, 0.9, 0.4], [0.2, 0.0, 2.0]])),
}


def _blobs(seed):
    """Random blobs of every shape and size: smoothed noise thresholded, many touching by corners."""
    rng = np.random.default_rng(seed)
    noise = ndimage.gaussian_filter(rng.standard_normal((34, 30, 22)), 1.2)
    return noise > 0.12


def _crescents():
    """Half shells and a ring: the centroid lies outside each lesion."""
    ijk = np.indices((40, 40, 24)).transpose(1, 2, 3, 0)
    mask = np.zeros((40, 40, 24), bool)
    r = np.sqrt(((ijk - (12, 12, 11)) ** 2).sum(-1))
    mask |= (r >= 6) & (r <= 8) & (ijk[..., 0] >= 12)              # half shell
    r2 = np.hypot(ijk[..., 0] - 29, ijk[..., 1] - 28)
    mask |= (r2 >= 5) & (r2 <= 7) & (ijk[..., 2] >= 4) & (ijk[..., 2] <= 6)  # thick ring
    mask[30:38, 3:6, 18:21] = True                                   # an L: corner voxel bent
    mask[30:33, 6:12, 18:21] = True
    return mask


def _singles_and_corners():
    """One-voxel lesions, pairs touching by a corner, by an edge, and a 2x2x2 cube (all ties)."""
    mask = np.zeros((16, 15, 14), bool)
    for ijk in ((1, 1, 1), (2, 2, 2), (3, 3, 3),          # a corner chain: 1 in 26, 3 in 6 and 18
                (8, 2, 2), (9, 3, 2),                     # an edge pair: 1 in 18 and 26, 2 in 6
                (14, 13, 12), (0, 14, 0), (12, 0, 13)):   # singles, at the array's edges too
        mask[ijk] = True
    mask[5:7, 8:10, 6:8] = True                           # 2x2x2: the centroid ties 8 voxels
    mask[10:13, 10, 3] = True                             # a line of 3
    return mask


MASKS = {"blobs": _blobs(1), "blobs2": _blobs(7), "crescents": _crescents(),
         "singles": _singles_and_corners()}


@pytest.mark.parametrize("grid", sorted(GRIDS))
@pytest.mark.parametrize("name", sorted(MASKS))
@pytest.mark.parametrize("connectivity", (6, 18, 26))
def test_lesion_list_matches_the_per_voxel_reference(name, grid, connectivity):
    mask, affine = MASKS[name], GRIDS[grid]
    found = find_components(mask, affine, connectivity=connectivity)
    expected = _reference(mask, affine, connectivity)
    assert [c.voxels for c in found] == [e[0] for e in expected]
    for c, (_, _, volume, diameter, centroid, distance, box) in zip(found, expected):
        assert c.volume_ml == pytest.approx(volume, rel=1e-12)
        assert c.diameter_mm == pytest.approx(diameter, rel=1e-12, abs=1e-12)
        assert c.centroid_ras == pytest.approx(tuple(centroid), rel=1e-12, abs=1e-9)
        assert c.box == box
        # the jump voxel is the lesion's voxel nearest the centroid; among voxels at the same
        # distance (a 2x2x2 cube's eight), the first in C order
        nearest = min(distance.values())
        ties = sorted(ijk for ijk, d in distance.items() if d <= nearest + 1e-6)
        assert c.jump_ijk == ties[0], (c.jump_ijk, ties)
    if name == "crescents":
        assert any(not mask[tuple(np.round(np.linalg.solve(affine[:3, :3],
                                                           np.subtract(c.centroid_ras,
                                                                       affine[:3, 3]))).astype(int))]
                   for c in found)   # the centroid of some lesion lies outside it


def test_counts_under_each_connectivity():
    mask = _singles_and_corners()
    counts = {n: len(find_components(mask, np.eye(4), connectivity=n)) for n in (6, 18, 26)}
    # 26: chain 1 + edge pair 1 + 3 singles + cube + line = 7; 18: chain 3; 6: chain 3, pair 2
    assert counts == {26: 7, 18: 9, 6: 10}


def test_crop_origin_shifts_positions_only():
    mask = _crescents()
    affine = GRIDS["oblique"]
    whole = find_components(mask, affine)
    crop = find_components(mask[5:, 2:, 1:], affine, origin=(5, 2, 1))
    assert [c.jump_ijk for c in crop] == [c.jump_ijk for c in whole]
    assert [c.box for c in crop] == [c.box for c in whole]
    np.testing.assert_allclose([c.centroid_ras for c in crop], [c.centroid_ras for c in whole],
                               rtol=1e-12)


def test_a_big_lesion_is_measured_without_listing_its_voxels():
    """A 80x80x80 lesion: the list's temporaries stay a few bytes per voxel (the cropped mask,
    cc3d's labels, the lesion's mask, the ends of its rows). Until session 43 every voxel was
    listed (3 int64) and mapped to RAS (3 float64) twice over: a body-sized segment of a
    512x512x300 CT took 68 s and 3.5 GB (bench/components.py)."""
    import tracemalloc

    mask = np.zeros((84, 84, 84), bool)
    mask[2:82, 2:82, 2:82] = True
    mask[40:44, 40:44, 40:44] = False    # a hole at the centre: the jump voxel is found beside it
    find_components(mask[:8, :8, :8], np.eye(4))   # its imports (scipy, cc3d) are not measured
    tracemalloc.start()
    [c] = find_components(mask, GRIDS["oblique"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert c.voxels == 80 ** 3 - 64 and mask[c.jump_ijk]
    assert peak < 12 * mask.sum(), peak / mask.sum()   # about 5; listing them cost 100
