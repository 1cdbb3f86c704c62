"""The lesion list: components, volumes, diameters and centroids against hand-computed values."""

import csv
import io

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from neuroview import Session
from neuroview.app.components import find_components, report_csv
from neuroview.core.volume import Volume


def _oblique(spacing, degrees=30.0, origin=(-20.0, 10.0, 5.0)):
    """A grid tilted ``degrees`` about S, then about R, with ``spacing`` mm along i, j, k."""
    a, b = np.deg2rad(degrees), np.deg2rad(degrees / 2)
    about_s = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    about_r = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    affine = np.eye(4)
    affine[:3, :3] = about_r @ about_s @ np.diag(spacing)
    affine[:3, 3] = origin
    return affine


def test_box_on_anisotropic_grid_by_hand():
    affine = np.diag([0.5, 1.0, 3.0, 1.0])
    mask = np.zeros((12, 12, 8), bool)
    mask[2:5, 3:7, 4:6] = True  # 3 x 4 x 2 voxels
    [c] = find_components(mask, affine)
    assert c.voxels == 24
    assert c.volume_ml == pytest.approx(24 * 0.5 * 1.0 * 3.0 / 1000)
    # corner voxel centres: (2,3,4) and (4,6,5): 1 mm, 3 mm, 3 mm apart
    assert c.diameter_mm == pytest.approx(np.sqrt(1.0 + 9.0 + 9.0))
    assert c.centroid_ras == pytest.approx((3.0 * 0.5, 4.5 * 1.0, 4.5 * 3.0))
    assert mask[c.jump_ijk]


def test_line_on_oblique_grid_measures_true_millimetres():
    affine = _oblique((2.0, 0.7, 1.3))
    mask = np.zeros((20, 10, 10), bool)
    mask[3:8, 4, 5] = True  # 5 voxels along i: 4 x 2 mm between the end centres
    [c] = find_components(mask, affine)
    assert c.diameter_mm == pytest.approx(8.0)
    assert c.volume_ml == pytest.approx(5 * 2.0 * 0.7 * 1.3 / 1000)
    expected = affine @ np.array([5.0, 4.0, 5.0, 1.0])
    assert c.centroid_ras == pytest.approx(tuple(expected[:3]))
    assert c.jump_ijk == (5, 4, 5)


def test_ellipsoid_on_oblique_grid_matches_all_pairs_reference():
    """A lesion big enough for the convex-hull path: compare with the max over ALL voxel pairs."""
    affine = _oblique((1.2, 0.9, 2.5), degrees=40.0)
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in (30, 30, 14)], indexing="ij"), -1)
    mask = (((ijk - (15, 14, 7)) / (9.5, 6.3, 3.2)) ** 2).sum(-1) <= 1
    [c] = find_components(mask, affine)
    points = np.argwhere(mask) @ affine[:3, :3].T + affine[:3, 3]
    assert c.diameter_mm == pytest.approx(pdist(points).max())
    assert c.centroid_ras == pytest.approx(tuple(points.mean(axis=0)))
    assert c.volume_ml == pytest.approx(mask.sum() * abs(np.linalg.det(affine[:3, :3])) / 1000)


def test_flat_lesion_one_slice_thick():
    mask = np.zeros((14, 14, 3), bool)
    mask[2:12, 2:12, 1] = True  # 10 x 10 in one slice: many boundary points, a flat hull
    [c] = find_components(mask, np.diag([1.0, 1.0, 5.0, 1.0]))
    assert c.diameter_mm == pytest.approx(np.hypot(9.0, 9.0))


def test_connectivity_order_and_single_voxel():
    mask = np.zeros((10, 10, 10), bool)
    mask[1, 1, 1] = mask[2, 2, 2] = True       # corner neighbours: one lesion in 26, two in 6
    mask[6:9, 6:9, 6:9] = True                 # 27 voxels: the largest
    big, pair = find_components(mask, np.eye(4))
    assert (big.index, big.voxels, pair.index, pair.voxels) == (1, 27, 2, 2)
    assert pair.diameter_mm == pytest.approx(np.sqrt(3.0))
    assert big.box == ((6, 6, 6), (9, 9, 9)) and pair.box == ((1, 1, 1), (3, 3, 3))
    assert pair.contains(mask, (2, 2, 2)) and not pair.contains(mask, (7, 7, 7))
    assert not big.contains(mask, (1, 1, 1)) and not big.contains(mask, (5, 5, 5))
    six = find_components(mask, np.eye(4), connectivity=6)
    assert [c.voxels for c in six] == [27, 1, 1]
    assert six[1].diameter_mm == 0.0
    assert find_components(np.zeros((3, 3, 3), bool), np.eye(4)) == []


def test_jump_voxel_is_inside_a_ring_whose_centroid_is_not():
    ijk = np.stack(np.meshgrid(*[np.arange(n) for n in (21, 21, 3)], indexing="ij"), -1)
    r = np.hypot(ijk[..., 0] - 10, ijk[..., 1] - 10)
    mask = (r >= 6) & (r <= 8) & (ijk[..., 2] == 1)
    [c] = find_components(mask, np.eye(4))
    assert not mask[10, 10, 1]
    assert mask[c.jump_ijk]


def test_session_components_and_csv_read_back():
    affine = _oblique((1.0, 1.0, 2.0))
    s = Session(Volume(np.zeros((30, 30, 20), np.float32), affine))
    seg = s.segments.add("lesion")
    s.segments.add("other")
    mask = np.zeros((30, 30, 20), np.uint8)
    mask[2:6, 2:6, 2:4] = seg.value      # 32 voxels
    mask[20:23, 20:23, 10:12] = seg.value  # 18 voxels
    mask[10, 10, 10] = 2                 # another segment: not counted
    s.load_label_volume(Volume(mask, affine))
    components = s.components("lesion")
    assert [c.voxels for c in components] == [32, 18]
    assert s.components(seg) == components
    rows = list(csv.DictReader(io.StringIO(report_csv({"lesion": components}))))
    assert [int(r["voxels"]) for r in rows] == [32, 18]
    assert float(rows[0]["volume_ml"]) == pytest.approx(32 * 2.0 / 1000)
    assert float(rows[1]["longest_diameter_mm"]) == pytest.approx(np.sqrt(4 + 4 + 4), abs=0.01)
    centre = affine @ np.array([3.5, 3.5, 2.5, 1.0])
    got = [float(rows[0][k]) for k in ("centroid_r_mm", "centroid_a_mm", "centroid_s_mm")]
    assert got == pytest.approx(list(centre[:3]), abs=0.01)


def test_segment_components_match_the_whole_map_without_copying_it(monkeypatch):
    """The lesion list of one segment from the label map itself: the same components as on the
    whole map's mask, found with temporaries of a few MB (the whole-map mask of a 512x512x1000
    CT is 250 MiB, and the Lesions panel made one per refresh)."""
    import tracemalloc

    from neuroview.app import components
    from neuroview.app.components import segment_box, segment_components

    monkeypatch.setattr(components, "SLAB_VOXELS", 1 << 16)  # many slabs on a small map
    rng = np.random.default_rng(5)
    labels = np.zeros((160, 128, 96), np.uint8)
    for value, n in ((1, 6), (2, 3)):
        for _ in range(n):
            lo = rng.integers((40, 30, 20), (80, 70, 50))  # lesions in one region, as usual
            size = rng.integers(2, 10, 3)
            labels[tuple(slice(a, a + s) for a, s in zip(lo, size))] = value
    affine = _oblique((0.9, 1.1, 2.0))
    assert segment_box(labels, 3) is None and segment_components(labels, 3, affine)[0] == []
    for value in (1, 2):
        expected = find_components(labels == value, affine)
        tracemalloc.start()
        found, mask, origin = segment_components(labels, value, affine)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert found == expected
        where = np.argwhere(labels == value)
        assert origin == tuple(where.min(axis=0))
        assert mask.shape == tuple(where.max(axis=0) - where.min(axis=0) + 1)
        assert peak < labels.size / 4, (peak, labels.size)  # the whole-map mask: labels.size
        for c in found:
            assert c.contains(mask, c.jump_ijk, origin=origin)
            assert labels[c.jump_ijk] == value
        outside = tuple(int(x) for x in np.argwhere(labels != value)[0])
        assert not any(c.contains(mask, outside, origin=origin) for c in found)
