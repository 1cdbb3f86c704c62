"""Synthetic heads (``neuroview.ai.heads``) at 2 mm with lesions placed where their location is
known from the head's own tissue maps (the MNI152 template's), not from the code under test.

The lateral ventricles are the head's CSF inside a box around them (MNI x -30..30, y -50..30,
z 0..30 mm), the cortex its grey matter above z = 20 mm (no deep grey nucleus reaches there).
Each lesion is a ball of 3 mm radius on white matter (T1: half as bright, dark as an MS lesion is;
FLAIR: 1.7 times), centred on a white matter voxel nearest a chosen MNI point that is:

- periventricular: next to a ventricle voxel (centres 2 mm apart: the lesion touches it);
- juxtacortical: next to cortex, more than 20 mm from the ventricles;
- infratentorial: in the cerebellum's white matter and in the pons;
- deep white matter: 8 mm or more from any grey matter, 10 mm or more from the ventricles.

:func:`off_ventricle_head` has one lesion beside a ventricle with one or more voxels of white
matter between (not periventricular: MAGNIMS 2016 asks that it abut the ventricle).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

STEP = 2
PLACES = (("periventricular", (20, -10, 25)), ("juxtacortical", (-40, -22, 40)),
          ("infratentorial", (15, -55, -30)), ("infratentorial", (0, -25, -35)),
          ("deep white matter", (-28, 0, 30)))


@dataclass
class LocatedHead:
    image: np.ndarray
    ijk_to_ras: np.ndarray
    labels: np.ndarray
    """uint8: 1 on every lesion."""
    brain: np.ndarray
    expected: list
    """``[(location, centre RAS mm)]``: each lesion's."""


def _blocks(array) -> np.ndarray:
    from neuroview.ai.heads import _block_mean

    return _block_mean(np.asarray(array, np.float32), STEP)


@functools.lru_cache(maxsize=1)
def _maps():
    """The 2 mm grid's brain mask, tissue maps, affine, each voxel's RAS and its distance (mm)
    to the lateral ventricles."""
    from neuroview.ai.heads import _padded_template

    brain1, gm1, wm1, affine = _padded_template(18)[:4]
    brain, gm, wm = _blocks(brain1) > 0.5, _blocks(gm1), _blocks(wm1)
    affine = affine.copy()
    affine[:3, 3] += affine[:3, :3] @ np.full(3, (STEP - 1) / 2)
    affine[:3, :3] *= STEP
    ras = np.moveaxis(np.indices(brain.shape), 0, -1) @ affine[:3, :3].T + affine[:3, 3]
    x, y, z = np.moveaxis(ras, -1, 0)
    ventricle = (brain & (gm + wm < 0.5) & (abs(x) < 30) & (y > -50) & (y < 30) & (z > 0)
                 & (z < 30))
    return brain, gm, wm, affine, ras, ndimage.distance_transform_edt(~ventricle) * STEP


def ventricle_distance_mm() -> np.ndarray:
    """Each voxel's distance (mm, centre to centre) to the nearest lateral ventricle voxel."""
    return _maps()[5]


@functools.lru_cache(maxsize=1)
def _places():
    """The lesions' voxels and locations on the 2 mm grid, and the grid's brain mask and affine."""
    brain, gm, wm, affine, ras, to_ventricle = _maps()
    y, z = ras[..., 1], ras[..., 2]
    cortex = (gm > 0.5) & (z > 20)
    to_cortex = ndimage.distance_transform_edt(~cortex) * STEP
    to_grey = ndimage.distance_transform_edt(~(gm > 0.3)) * STEP
    white = wm > 0.8
    rules = {"periventricular": white & (to_ventricle == STEP),
             "juxtacortical": white & (to_cortex == STEP) & (to_ventricle > 20),
             "infratentorial": white & (z < -25) & (y < -20),
             "deep white matter": white & (to_grey >= 8) & (to_ventricle >= 10)}
    lesions = [(name, _ball(_nearest(rules[name], point), wm)) for name, point in PLACES]
    return lesions, brain, affine


def _ball(centre: np.ndarray, wm: np.ndarray) -> np.ndarray:
    """The white matter voxels of a 3 mm ball around voxel ``centre``."""
    offsets = np.argwhere(np.ones((5, 5, 5), bool)) - 2
    voxels = centre + offsets[np.linalg.norm(offsets * STEP, axis=1) <= 3.0]
    return voxels[wm[tuple(voxels.T)] > 0.5]


def _nearest(where: np.ndarray, point) -> np.ndarray:
    """The voxel of ``where`` nearest MNI ``point``."""
    ras = _maps()[4]
    candidates = np.argwhere(where)
    return candidates[np.argmin(np.linalg.norm(ras[tuple(candidates.T)] - point, axis=1))]


def off_ventricle_head(contrast: str, gap: int) -> LocatedHead:
    """A lesion near the periventricular place with ``gap`` voxels of white matter between it and
    the ventricle's edge (its voxels' nearest ventricle voxel ``gap + 2`` voxels away; the voxels
    next to it on the ventricle's side over 0.8 white matter; the edge voxel is the ventricle's
    partial volume): not periventricular, it does not abut the ventricle."""
    brain, gm, wm, affine, ras, to_ventricle = _maps()
    near = (gap + 2) * STEP
    centres = np.argwhere((wm > 0.9) & (to_ventricle == near + STEP))
    steps = np.argwhere(np.ones((3, 3, 3), bool)) - 1
    for centre in centres[np.argsort(np.linalg.norm(ras[tuple(centres.T)] - PLACES[0][1], axis=1))]:
        voxels = _ball(centre, wm)
        voxels = voxels[to_ventricle[tuple(voxels.T)] >= near]
        around = (voxels[:, None] + steps).reshape(-1, 3)
        if np.all(wm[tuple(around[to_ventricle[tuple(around.T)] < near].T)] > 0.8):
            return _painted(contrast, 5, [("deep white matter", voxels)], brain, affine)
    raise AssertionError(f"no place {gap} voxels of white matter off a ventricle")


def located_head(contrast: str = "t1", seed: int = 5) -> LocatedHead:
    lesions, brain, affine = _places()
    return _painted(contrast, seed, lesions, brain, affine)


def _painted(contrast, seed, lesions, brain, affine) -> LocatedHead:
    from neuroview.ai.heads import synthetic_head

    image = _blocks(synthetic_head(contrast, seed=seed).image)
    labels = np.zeros(image.shape, np.uint8)
    expected = []
    for name, voxels in lesions:
        image[tuple(voxels.T)] *= 0.5 if contrast == "t1" else 1.7
        labels[tuple(voxels.T)] = 1
        expected.append((name, voxels.mean(axis=0) @ affine[:3, :3].T + affine[:3, 3]))
    return LocatedHead(image, affine, labels, brain.copy(), expected)


def studies_with_new(head: LocatedHead, new: tuple):
    """``(baseline, later)`` follow-up studies of ``head``: the later study has every lesion,
    the baseline's mask those not placed in ``new`` (locations)."""
    from neuroview.app.followup import StudyInput

    ids, _ = ndimage.label(head.labels, np.ones((3, 3, 3)))
    names = {}
    for number in range(1, ids.max() + 1):
        centre = np.argwhere(ids == number).mean(axis=0) @ head.ijk_to_ras[:3, :3].T + head.ijk_to_ras[:3, 3]
        names[number] = min(head.expected, key=lambda e: np.linalg.norm(e[1] - centre))[0]
    kept = np.isin(ids, [n for n, name in names.items() if name not in new]).astype(np.uint8)
    baseline = StudyInput(head.image, head.ijk_to_ras, kept, head.brain, "baseline", ct=False)
    later = StudyInput(head.image, head.ijk_to_ras, head.labels, head.brain, "follow-up 1", ct=False)
    return baseline, later


def compared_as_is(baseline, later):
    """The comparison of two studies of one grid and pose (the identity their registration
    gives; registration is tests/app/test_followup.py's claim)."""
    from neuroview.app.followup import Comparison
    from neuroview.app.followup_lesions import match_lesions
    from neuroview.io.registration import Registration

    table = match_lesions(baseline.lesions, baseline.ijk_to_ras, later.lesions, later.ijk_to_ras,
                          np.eye(4))
    return Comparison(Registration(np.eye(4), "rigid", 0.0, 0), table, None, later.name)
