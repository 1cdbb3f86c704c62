"""Brain volume change (deepbet masks on one halfway grid) between studies of different voxel sizes.

One head against itself acquired again at another voxel size (k-space cut, as a scanner measures a
coarser matrix: ``tests/app/followup_acquire.py``), unchanged or shrunk to 0.99^3 of its volume
(-2.97 %), with the true pose (its rigid part for the shrunk head; no registration: its error,
under 0.01 mm here, was not a cause), measured three ways:

- ``now``: :func:`neuroview.app.followup.brain_volume_change_on_one_grid` (session 34: both read
  by cubic B-spline onto the baseline's grid moved halfway, the finer blurred by a box's variance),
- ``coarser grid``: the same on the baseline's axes at the coarser study's voxel size along each
  (:func:`coarser_grid`), so the coarser study is not read up onto a finer grid,
- ``quintic``: the baseline's grid, both read by a quintic B-spline (sharper than the cubic).

The two variants are built here from the same steps (``halfway_image``, ``voxel_variance_mm2``,
``extract_brain``). Heads: the synthetic head (MNI152 brain in a skull and scalp,
``neuroview.ai.heads``) and the demo's lesion case (``resources/demo/mni152_t1_lesions.nii.gz``).
A few seconds of CPU per extraction at 1 mm, two per case and way: minutes in all.

``--cause``: on the 2 mm grid of the synthetic head acquired at 2 mm, deepbet's brain against
the same grid holding the 2.5 mm study read up by cubic B-spline, its own k-space band (the 2 mm
study cut to the 2.5 mm band, no interpolation), and the 2 mm study blurred by Gaussians.

Run: nice -n 5 python bench/followup_resolution.py [--only 2.5] [--ways now,coarser,quintic] [--cause]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neuroview.app.followup import StudyInput, brain_volume_change_on_one_grid  # noqa: E402
from neuroview.app.followup_brain import BRAIN_EXTRACTED, extract_brain, voxel_variance_mm2  # noqa: E402
from neuroview.core.volume import Volume  # noqa: E402
from neuroview.io import registration  # noqa: E402
from tests.app.followup_acquire import acquire  # noqa: E402
from tests.app.followup_cases import rigid  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "mni152_t1_lesions.nii.gz"
TURN = ((4.0, -3.0, 5.0), (2.0, -1.5, 1.0))   # degrees, mm: the tests' turn
OTHER_TURNS = (((-3.0, 5.0, -2.0), (-1.0, 2.5, -0.5)), ((1.0, 2.0, -4.0), (0.7, -0.3, 1.9)))


def heads():
    """``{name: (image, ijk_to_ras)}`` of the 1 mm heads."""
    import nibabel as nib

    from neuroview.ai.heads import synthetic_head

    head = synthetic_head("t1", skull=True)
    demo = nib.load(DEMO)
    return {"synthetic": (head.image, head.ijk_to_ras),
            "demo": (np.asarray(demo.dataobj, np.float32), demo.affine)}


def cases():
    """``(name, head, baseline (coarser, finer), later (coarser, finer), turn, scale)``: voxel sizes
    as ``coarser / finer`` mm; ``turn`` None is no move."""
    listed = [("1 vs 1.25 mm", "synthetic", (1, 1), (5, 4), None, 1.0),
              ("1 vs 1.25 mm shrunk", "synthetic", (1, 1), (5, 4), TURN, 0.99),
              ("1 vs 1.25 mm turned", "synthetic", (1, 1), (5, 4), TURN, 1.0),
              ("1 vs 1.5 mm turned", "synthetic", (1, 1), (3, 2), TURN, 1.0),
              ("1 vs 1 mm turned", "synthetic", (1, 1), (1, 1), TURN, 1.0),
              ("demo 1 vs 1.25 mm turned", "demo", (1, 1), (5, 4), TURN, 1.0),
              ("demo 1 vs 1.5 mm turned", "demo", (1, 1), (3, 2), TURN, 1.0),
              ("2 vs 2.5 mm turned", "synthetic", (2, 1), (5, 2), TURN, 1.0),
              ("2 vs 2.5 mm shrunk", "synthetic", (2, 1), (5, 2), TURN, 0.99),
              ("2 vs 2.5 mm", "synthetic", (2, 1), (5, 2), None, 1.0)]
    listed += [(f"2 vs 2.5 mm turn {k + 2}", "synthetic", (2, 1), (5, 2), turn, 1.0)
               for k, turn in enumerate(OTHER_TURNS)]
    listed += [("2 vs 2 mm turned", "synthetic", (2, 1), (2, 1), TURN, 1.0),
               ("2.5 vs 2 mm turned", "synthetic", (5, 2), (2, 1), TURN, 1.0)]
    return listed


def study(image, affine, size, pose, name) -> StudyInput:
    if size != (1, 1) or not np.allclose(pose, np.eye(4)):
        image, affine = acquire(image, affine, size[0], size[1], pose)
    return StudyInput(image, affine, np.zeros(image.shape, np.uint8), None, name,
                      brain_source=BRAIN_EXTRACTED)


def coarser_grid(shape, ijk_to_ras: np.ndarray, variance_mm2: np.ndarray):
    """``(shape, ijk_to_ras)``: the axes and first voxel of ``ijk_to_ras`` over the same field of
    view, the spacing along each axis widened to the voxel size ``variance_mm2`` stands for
    (:func:`voxel_variance_mm2`: a box's variance, side^2 / 12) where that is larger."""
    from neuroview.app.followup_brain import VOXEL_VARIANCE_SHARE

    affine = np.asarray(ijk_to_ras, float)
    spacing = np.linalg.norm(affine[:3, :3], axis=0)
    wanted = np.maximum(spacing, np.sqrt(np.asarray(variance_mm2, float) / VOXEL_VARIANCE_SHARE))
    wanted = np.where(wanted > spacing * 1.001, wanted, spacing)
    grid = affine.copy()
    grid[:3, :3] = affine[:3, :3] * (wanted / spacing)
    extent = (np.asarray(shape[:3]) - 1) * spacing
    return tuple(int(n) for n in np.ceil(extent / wanted - 1e-6) + 1), grid


def variant(baseline: StudyInput, later: StudyInput, pose: np.ndarray, coarser: bool, order: int) -> float:
    """:func:`brain_volume_change_on_one_grid`'s steps, on the :func:`coarser_grid` or with
    B-splines of ``order`` (the function reads by 3)."""
    from scipy.linalg import sqrtm

    from neuroview.app.followup_brain import halfway_image

    half = np.real(sqrtm(pose))
    studies = ((baseline, np.linalg.inv(half)), (later, half))
    variances = [voxel_variance_mm2(s.ijk_to_ras, baseline.ijk_to_ras, t) for s, t in studies]
    shape, grid = baseline.image.shape, baseline.ijk_to_ras
    if coarser:
        shape, grid = coarser_grid(shape, grid, np.maximum(*variances))
    read = registration.resample

    def read_by_order(*args, **kwargs):   # halfway_image's cubic reading, by ``order``
        asked = kwargs.get("order", 1)
        return read(*args, **{**kwargs, "order": order if asked == 3 else asked})

    registration.resample = read_by_order
    try:
        seen, masks = np.ones(shape, bool), []
        for (s, t), v in zip(studies, variances):
            image = halfway_image(s.image, s.ijk_to_ras, shape, grid, t, np.maximum(*variances) - v)
            seen &= read(np.ones(s.image.shape, np.uint8), s.ijk_to_ras, shape, grid, t, order=0) > 0
            masks.append(extract_brain(Volume(image, grid), "cpu")[0])
    finally:
        registration.resample = read
    counts = [np.count_nonzero(m & seen) for m in masks]
    return 100.0 * (counts[1] - counts[0]) / counts[0]


WAYS = {"now": lambda b, later, pose: brain_volume_change_on_one_grid(b, later, pose, device="cpu"),
        "coarser": lambda b, later, pose: variant(b, later, pose, True, 3),
        "quintic": lambda b, later, pose: variant(b, later, pose, False, 5)}


def cause(image, affine) -> None:
    """The 2 vs 2.5 mm bias taken apart on the 2 mm grid (see the module's ``--cause``)."""
    from scipy import fft, ndimage

    from neuroview.app.followup_brain import halfway_image

    fine, grid = acquire(image, affine, 2, 1)
    coarse, coarse_affine = acquire(image, affine, 5, 2)
    spectrum = fft.fftshift(fft.fftn(fine))
    for axis, n in enumerate(fine.shape):   # keep the 2.5 mm band: 4/5 of the 2 mm one
        keep = np.abs(np.arange(n) - n // 2) <= 0.8 * n / 2
        keep = keep.reshape([-1 if a == axis else 1 for a in range(3)])
        spectrum = spectrum * keep
    band = np.clip(fft.ifftn(fft.ifftshift(spectrum)).real, 0, None).astype(np.float32)
    read_up = halfway_image(coarse, coarse_affine, fine.shape, grid, np.eye(4), np.zeros(3))

    def voxels(img):
        return np.count_nonzero(extract_brain(Volume(np.ascontiguousarray(img, np.float32), grid), "cpu")[0])

    reference = voxels(fine)
    shown = [("2.5 mm study read up by cubic B-spline", read_up),
             ("its k-space band, not interpolated", band)]
    shown += [(f"2 mm study, Gaussian of {v} mm^2", ndimage.gaussian_filter(fine, np.sqrt(v) / 2))
              for v in (0.1875, 0.5, 1.0)]
    print(f"2 mm study: {reference} voxels of brain")
    for what, img in shown:
        print(f"{what:40s} {100 * (voxels(img) - reference) / reference:+.3f} %", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    parser.add_argument("--ways", default=",".join(WAYS), help="of " + ", ".join(WAYS))
    parser.add_argument("--cause", action="store_true", help="take the 2 vs 2.5 mm bias apart, and stop")
    args = parser.parse_args()
    ways = args.ways.split(",")
    sources = heads()
    if args.cause:
        return cause(*sources["synthetic"])
    print(f"{'case':28s} {'truth':>7s} " + " ".join(f"{w:>9s}" for w in ways))
    for name, which, base_size, later_size, turn, scale in cases():
        if args.only not in name:
            continue
        image, affine = sources[which]
        centre = affine[:3, :3] @ (np.asarray(image.shape) - 1) / 2 + affine[:3, 3]
        pose = np.eye(4) if turn is None else rigid(*turn, centre, scale=scale)
        moved = np.eye(4) if turn is None else rigid(*turn, centre)   # what a rigid registration finds
        baseline = study(image, affine, base_size, np.eye(4), "baseline")
        later = study(image, affine, later_size, pose, "later")
        figures = []
        start = time.perf_counter()
        for way in ways:
            figures.append(WAYS[way](baseline, later, moved))
        truth = 100 * (scale ** 3 - 1)
        print(f"{name:28s} {truth:+7.2f} " + " ".join(f"{f:+8.3f}%" for f in figures)
              + f"  ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
