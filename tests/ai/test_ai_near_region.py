"""ai.interactive.local.near_region: the region a box or lasso frames, grown into 3D as deep as it
is wide (the AI click tool asks whether it holds the object in progress, or another lesion). It is
measured in world distances on a tilted, anisotropic grid, and its box of voxels (near_box) holds
all of it, so the window computes it there only (on a 4-million-voxel mask box it took 11 s)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.ai.interactive.local import near_box, near_region
from neuroview.ai.interactive.prompts import BoxPrompt, LassoPrompt

SHAPE = (90, 80, 36)


def _grid() -> np.ndarray:
    c, s = np.cos(np.radians(15)), np.sin(np.radians(15))
    affine = np.eye(4)
    affine[:3, :3] = np.array([[1, 0, 0], [0, c, -s], [0, s, c]]) @ np.diag([0.9, 1.1, 2.5])
    affine[:3, 3] = [-40.0, -45.0, -30.0]
    return affine


PROMPTS = [BoxPrompt((-5, -4, 2), (15, 10, 2), "axial"),
           BoxPrompt((3, -9, -8), (3, 13, 10), "sagittal"),
           LassoPrompt(((0, 0, 5), (14, 2, 5), (6, 18, 5)), "axial")]


@pytest.mark.parametrize("prompt", PROMPTS, ids=["axial box", "sagittal box", "lasso"])
def test_the_region_lies_within_half_its_narrower_side_of_its_plane_and_in_its_box(prompt):
    affine = _grid()
    region = near_region(prompt, (0, 0, 0), SHAPE, affine)
    ras = np.argwhere(region) @ affine[:3, :3].T + affine[:3, 3]
    u, v = (np.asarray(a, float) for a in prompt.axes)
    flat = prompt.points_ras() @ np.stack([u, v]).T
    if prompt.kind == "box":
        half = np.abs(flat[1] - flat[0]).min() / 2
    else:
        half = np.ptp(flat, axis=0).min() / 2
    off = np.abs((ras - prompt.points_ras()[0]) @ np.asarray(prompt.normal))
    step = 1 / np.abs(np.linalg.inv(affine)[:3, :3] @ np.asarray(prompt.normal)).max()
    assert region.sum() > 100 and off.max() <= half + step + 1e-3
    assert off.max() > half - 2.5   # as deep as it is wide, not a slab of one slice
    lo, hi = near_box(prompt, affine)
    lo, hi = np.maximum(lo, 0), np.minimum(hi, SHAPE)
    outside = region.copy()
    outside[tuple(slice(a, b) for a, b in zip(lo, hi))] = False
    assert not outside.any()
    assert np.array_equal(near_region(prompt, lo, tuple(hi - lo), affine),
                          region[tuple(slice(a, b) for a, b in zip(lo, hi))])
