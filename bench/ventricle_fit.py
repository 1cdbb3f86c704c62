"""How far the MNI152 fit misplaces the lateral ventricles (``app.lesion_location``): the
allowance behind the periventricular rule's search band.

A periventricular lesion abuts the ventricle's CSF as the image's own tissue classes see it; the
fitted template only says which CSF is the ventricles': CSF within ``mni_regions.NEAR_MM`` of
the template's ventricles. This poses the lesion-location tests' FLAIR-like head
(``tests.app.located_heads``, made from the template, so the true fit is the pose) by known
affines (turned, scaled, shifted), fits the template as ``case_anatomy`` does, and prints per
pose: the fit's error on the template's ventricle voxels (median, 95th percentile, largest, mm)
and the share of the head's true ventricle voxels inside the fitted band (its CSF-majority
voxels in the box the tests place lesions by, those of the 26-connected parts that reach into
the template's ventricles: the box holds the cistern behind the splenium too).

Run: nice -n 10 python bench/ventricle_fit.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSES = {"as made": ((0, 0, 0), 1.0, (0, 0, 0)),
         "turned 10/6/4 deg, shifted": ((10, 6, 4), 1.0, (6, -8, 5)),
         "8% larger, turned 8 deg": ((0, 8, 0), 1.08, (0, 4, -3)),
         "8% smaller, turned -12 deg": ((-12, 0, 5), 0.92, (-5, 0, 0))}


def _pose(angles, scale, shift) -> np.ndarray:
    """4x4 RAS -> RAS: turn about x, y, z (degrees), scale about the origin, shift (mm)."""
    out = np.eye(4)
    for axis, degrees in enumerate(angles):
        a = np.radians(degrees)
        i, j = [k for k in range(3) if k != axis]
        turn = np.eye(4)
        turn[i, i] = turn[j, j] = np.cos(a)
        turn[i, j], turn[j, i] = -np.sin(a), np.sin(a)
        out = turn @ out
    out[:3, :3] *= scale
    out[:3, 3] = shift
    return out


def _posed(array, affine, pose, order):
    """``array`` moved by ``pose``: what lay at q lies at pose @ q."""
    from scipy import ndimage

    inverse = np.linalg.inv(affine) @ np.linalg.inv(pose) @ affine
    return ndimage.affine_transform(np.asarray(array, np.float32), inverse[:3, :3], inverse[:3, 3],
                                    order=order)


def _ventricles(maps, regions) -> np.ndarray:
    from scipy import ndimage

    from neuroview.core.geometry import nearest_ijk

    box = maps[5] == 0
    ids, _ = ndimage.label(box, np.ones((3, 3, 3)))
    ijk = nearest_ijk(np.linalg.inv(regions.ijk_to_ras), maps[4][box])
    inside = np.all((ijk >= 0) & (ijk < np.array(regions.ventricles.shape)), axis=1)
    reaching = ids[box][inside][regions.ventricles[tuple(ijk[inside].T)]]
    return np.isin(ids, np.unique(reaching)) & box


def main() -> None:
    from neuroview.ai.mni_regions import template_regions
    from neuroview.app.lesion_location import _template_values, case_anatomy
    from neuroview.core.geometry import apply_affine
    from tests.app import located_heads

    head = located_heads.located_head("flair")
    regions = template_regions()
    ventricle = _ventricles(located_heads._maps(), regions)
    points = apply_affine(regions.ijk_to_ras, np.argwhere(regions.ventricles))
    for name, (angles, scale, shift) in POSES.items():
        pose = _pose(angles, scale, shift)
        image = _posed(head.image, head.ijk_to_ras, pose, 1)
        brain = _posed(head.brain, head.ijk_to_ras, pose, 0) > 0.5
        truth = _posed(ventricle, head.ijk_to_ras, pose, 0) > 0.5
        case = case_anatomy(image, head.ijk_to_ras, brain, _posed(head.labels, head.ijk_to_ras,
                                                                  pose, 0) > 0.5)
        error = np.linalg.norm(apply_affine(case.to_template @ pose, points) - points, axis=1)
        ras = apply_affine(head.ijk_to_ras, np.argwhere(truth))
        inside = _template_values(case, regions, regions.ventricles_near, ras)
        print(f"{name}: fit error on the template's ventricles median {np.median(error):.2f}, "
              f"95th {np.percentile(error, 95):.2f}, largest {error.max():.2f} mm; the head's "
              f"ventricle voxels inside the band {inside.mean():.1%} ({inside.size}); "
              f"{case.problem or 'fitted'}", flush=True)


if __name__ == "__main__":
    main()
