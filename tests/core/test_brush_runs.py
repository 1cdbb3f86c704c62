"""A large 3D brush measures its capsule run by run along the box's lines (``core.edit.capsule``):
every voxel of its box was measured (a 100 mm brush on 256x256x160: 10 million voxels, 0.6 s a
mouse move, ``bench/brush3d.py``); now only those near a run's end. The voxels are the same as the
whole-box measure's, to the tie on a voxel centre exactly at the radius, and a stroke is one undo
step."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from neuroview.app.session import Session
from neuroview.core.edit.brush import BrushGeometry
from neuroview.core.edit.capsule import capsule_mask
from neuroview.core.volume import Volume


def grid(rng, kind: int) -> np.ndarray:
    linear = np.diag(rng.choice([0.5, 0.7, 1.0, 1.5, 2.0, 3.0], 3))
    if kind == 1:   # oblique
        linear = Rotation.from_euler("xyz", rng.uniform(-0.5, 0.5, 3)).as_matrix() @ linear
    elif kind == 2:   # gantry tilt: sheared axes
        linear[0, 2] = rng.uniform(-0.5, 0.5)
    affine = np.eye(4)
    affine[:3, :3] = linear
    affine[:3, 3] = rng.integers(-150, 150, 3) * rng.integers(0, 2)
    return affine


def point(rng, shape, affine) -> np.ndarray:
    ijk = rng.uniform(-3, np.asarray(shape) + 2)
    ijk = np.round(ijk * 2) / 2 if rng.random() < 0.4 else ijk   # ties on voxel centres
    return affine[:3, :3] @ ijk + affine[:3, 3]


@pytest.mark.parametrize("seed", [0, 1])
def test_runs_paint_the_voxels_the_whole_box_measure_paints(seed):
    rng = np.random.default_rng(seed)
    compared = 0
    for _ in range(150):
        shape = tuple(int(n) for n in rng.integers(3, 30, 3))
        affine = grid(rng, int(rng.integers(3)))
        radius = float(rng.choice([0.3, 1.0, 2.0, 2.5, 3.0, 5.0, 10.0, 50.0, rng.uniform(0.2, 30)]))
        brush = BrushGeometry(affine, shape, radius, "3d")

        a = point(rng, shape, affine)
        b = a.copy() if rng.random() < 0.3 else point(rng, shape, affine)
        box = brush.box(a, b)
        if box is None:
            continue
        lo, hi = box
        runs = capsule_mask(brush.linear, brush.offset, lo, hi, a, b, radius,
                            lambda grids, brush=brush, a=a, b=b: brush._within(grids, a, b))
        whole = brush._within(np.ogrid[tuple(slice(n, m) for n, m in zip(lo, hi))], a, b)
        np.testing.assert_array_equal(runs, np.broadcast_to(whole, runs.shape))
        compared += 1
    assert compared > 100


def test_a_large_brush_measures_few_voxels_and_paints_one_step():
    shape, affine = (64, 64, 40), np.diag([1.0, 1.0, 1.5, 1.0])
    volume = Volume(np.zeros(shape, np.int16), affine)
    session = Session(volume)
    value = session.segments.add("lesion").value
    a = affine[:3, :3] @ [5.3, 4.1, 3.2]   # near a corner: the far corner lies beyond the brush
    b = a + [3.0, 2.0, 0.0]
    brush = BrushGeometry(affine, shape, 60.0, "3d")
    (lo, hi) = brush.box(a, b)
    measured = []

    def within(grids):
        measured.append(grids[0].size)
        return brush._within(grids, a, b)

    capsule_mask(brush.linear, brush.offset, lo, hi, a, b, 60.0, within)
    assert sum(measured) < 0.05 * np.prod(np.subtract(hi, lo))   # 163,840 before
    steps = len(session.history)
    session.apply("paint", a, path=[b], segment="lesion", radius_mm=60.0, mode="3d")
    assert len(session.history) == steps + 1
    # reference: voxel centres within 60 mm of the segment a-b, in millimetres
    ijk = np.stack(np.meshgrid(*map(np.arange, shape), indexing="ij"), -1).reshape(-1, 3)
    ras = ijk @ affine[:3, :3].T + affine[:3, 3]
    t = np.clip((ras - a) @ (b - a) / ((b - a) @ (b - a)), 0, 1)
    dist = np.linalg.norm(ras - (a + t[:, None] * (b - a)), axis=1).reshape(shape)
    np.testing.assert_array_equal(session.labels.array == value, dist <= 60.0)
    assert not (dist <= 60.0).all()   # the corners lie beyond the brush
    # the step's counts (one value painted over background, counted without a bincount)
    assert session.counts.voxels(value) == int((dist <= 60.0).sum())
    session.undo()
    assert session.counts.voxels(value) == 0 and not session.labels.array.any()
