"""The follow-up tests' tight field of view (``followup_cases.head_in_its_field``): every voxel of
the head's tissue (the brain and the skull and scalp within ``heads.LAYER_REACH`` of it) is kept
at the same world point, with the margin of air asked for; a head at the grid's edge is cut
there."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from neuroview.ai.heads import LAYER_REACH, Head
from tests.app.followup_cases import head_in_its_field


def _head(shape, brain_box, affine) -> Head:
    brain = np.zeros(shape, bool)
    brain[brain_box] = True
    distance = ndimage.distance_transform_edt(~brain)
    rng = np.random.default_rng(3)
    image = np.where(distance <= LAYER_REACH, 500.0 + rng.random(shape), rng.random(shape)).astype(np.float32)
    return Head(image, affine, brain, brain * 0.4, brain * 0.6)


def test_tissue_kept_at_its_world_points_with_the_margin_asked():
    affine = np.array([[0.0, 0.0, 1.2, -80.0], [1.0, 0.0, 0.0, -100.0], [0.0, 0.9, 0.0, -60.0],
                       [0.0, 0.0, 0.0, 1.0]])
    head = _head((90, 100, 70), (slice(30, 50), slice(3, 60), slice(30, 45)), affine)
    cut = head_in_its_field(head, margin_mm=6.0)
    # 14 voxels of layers and 6 mm of air: 6, 7 and 5 voxels along the 1, 0.9 and 1.2 mm axes
    assert cut.image.shape == (20 + 2 * 20, 3 + 57 + 21, 15 + 2 * 19)
    tissue = cut.image > 400
    assert tissue.sum() == (head.image > 400).sum() and cut.brain.sum() == head.brain.sum()
    assert np.isclose(cut.gm.sum(), head.gm.sum()) and np.isclose(cut.wm.sum(), head.wm.sum())
    for ijk in np.argwhere(tissue)[:: 997]:
        world = cut.ijk_to_ras @ np.r_[ijk, 1.0]
        source = np.rint(np.linalg.solve(head.ijk_to_ras, world)[:3]).astype(int)
        assert cut.image[tuple(ijk)] == head.image[tuple(source)]
    assert (cut.image[[0, -1]] < 400).all() and (cut.image[:, :, [0, -1]] < 400).all()   # air at the sides
    assert (cut.image[:, 0] > 400).any()   # the grid's edge cut the head there: nothing added
