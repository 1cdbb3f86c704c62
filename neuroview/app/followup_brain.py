"""Brain masks and brain volume of one study: a threshold of a skull-stripped image, deepbet's
brain extraction, and the volume counted with partial voxels. No Qt; torch only when deepbet runs.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from scipy import ndimage

from ..core.body_part import a_part, body_part, is_head_part
from ..core.geometry import voxel_volume_ml
from ..core.jobs import CancelToken, ProgressFn, check, report
from .view_presets import is_ct


def brain_mask_by_threshold(image: np.ndarray, fraction: float = 0.1) -> np.ndarray:
    """A brain mask for an already skull-stripped image: voxels above ``fraction`` of the 99th
    percentile of the non-zero voxels, largest component, holes filled. It is not a brain
    extraction: a whole head needs a brain mask made by a model or another tool."""
    import cc3d  # noqa: PLC0415

    image = np.asarray(image)
    nonzero = image[image > 0]
    if nonzero.size == 0:
        return np.zeros(image.shape, dtype=bool)
    mask = image > fraction * float(np.percentile(nonzero, 99))
    mask = cc3d.largest_k(mask, k=1, connectivity=6) > 0
    return ndimage.binary_fill_holes(mask)


TISSUE_FRACTION_LEVEL = 0.5
"""Intensity, as a share of the 99th percentile inside the mask, at which a voxel counts whole."""


def brain_volume_ml(mask: np.ndarray, ijk_to_ras: np.ndarray, image: Optional[np.ndarray] = None) -> float:
    """Brain volume in mL: the mask's voxels, or with ``image``, each voxel of the mask weighted by
    its tissue fraction (intensity over :data:`TISSUE_FRACTION_LEVEL` of the 99th percentile,
    clipped to 0..1), which counts edge voxels in part and so does not depend on the voxel size.
    A float ``mask`` counts each voxel by its value (0..1: the share of it in a field of view)."""
    mask = np.asarray(mask)
    share = mask[mask > 0].astype(np.float64) if mask.dtype.kind == "f" else None
    if image is None:
        counted = float(share.sum()) if share is not None else float(np.count_nonzero(mask))
        return counted * voxel_volume_ml(ijk_to_ras)
    values = np.asarray(image, dtype=np.float32)[mask > 0]
    if values.size == 0:
        return 0.0
    level = TISSUE_FRACTION_LEVEL * float(np.percentile(values, 99))
    weights = np.clip(values / level, 0.0, 1.0) * (1.0 if share is None else share)
    return float(weights.sum()) * voxel_volume_ml(ijk_to_ras)


BRAIN_FROM_FILE = "given by the user"
BRAIN_THRESHOLD = "threshold of the skull-stripped image, voxels weighted by tissue fraction"
BRAIN_EXTRACTED = "extracted by deepbet (neuroview.ai.brain)"
BRAIN_SOURCES = (BRAIN_FROM_FILE, BRAIN_THRESHOLD, BRAIN_EXTRACTED)
CT_NOT_EXTRACTED = "no brain extraction: the image is a CT, and deepbet reads MR only"


def extract_brain(volume, device: str = "auto", name: str = "", progress: Optional[ProgressFn] = None,
                  cancel: Optional[CancelToken] = None) -> tuple[Optional[np.ndarray], str]:
    """``(brain mask or None, how it was made or why there is none)``: deepbet's brain extraction
    (:func:`neuroview.ai.brain.brain_mask`, remembered for the last image, so a study the lesion
    model just segmented is not extracted twice). No mask, with the reason, when deepbet is not
    installed, the field of view is smaller than a head, the image is a CT (deepbet reads MR
    only, as *AI > Segment* skips it on a CT) or its header names another part of the body (a
    knee MR got a 554 mL "brain"); ``Cancelled`` when ``cancel`` is set."""
    check(cancel)   # a Cancel given before it starts: deepbet's first pass ran all the same
    if is_ct(volume):   # by its header, else its voxels, guessed once per volume
        return None, f"none ({CT_NOT_EXTRACTED})"
    part = body_part(volume)
    if part and not is_head_part(part):
        return None, f"none (no brain extraction: the series is {a_part(part)}, BodyPartExamined {part})"
    from ..ai import brain_weights  # noqa: PLC0415 - torch only when it runs (not to refuse)
    from ..ai.infer import choose_device  # noqa: PLC0415
    from ..ai.preprocess import cached_brain_mask, field_of_view_mm, smaller_than_a_head  # noqa: PLC0415

    if not brain_weights.is_available():
        return None, "none (brain extraction needs deepbet: pip install deepbet)"
    extent = field_of_view_mm(volume.array.shape, volume.ijk_to_ras)
    if smaller_than_a_head(extent):
        return None, ("none (no brain extraction: the field of view, "
                      + " x ".join(f"{e:.0f}" for e in extent) + " mm, is smaller than a head)")
    report(progress, 0, 1, f"{name or 'study'}: extracting the brain (deepbet)")
    check(cancel)   # a Cancel given while the line above was shown
    mask = cached_brain_mask(volume.array, volume.ijk_to_ras, choose_device(device), cancel)
    check(cancel)
    report(progress, 1, 1, f"{name or 'study'}: brain extracted")
    return mask, BRAIN_EXTRACTED


VOXEL_VARIANCE_SHARE = 1.0 / 12.0
"""A voxel's blur as a variance, in its side's square: a box one voxel wide (what a voxel
integrates). Measured on the synthetic head at 1 mm against the same head acquired at 1.25 and
1.5 mm (k-space cut): within 0.08 %; a Gaussian as wide at half its height as the sinc of k-space
cut at the voxel size (1.207 voxel, variance 0.263) over-blurred: +0.68 % at 1.5 mm."""


def voxel_variance_mm2(ijk_to_ras: np.ndarray, grid_ijk_to_ras: np.ndarray,
                       grid_to_study: np.ndarray) -> np.ndarray:
    """Per axis of a grid, the variance (mm²) along it of one study's voxel blur seen from that
    grid: each voxel edge ``e`` of the study (``grid_to_study`` carries grid points into the
    study's world) adds ``(a . e)²`` times :data:`VOXEL_VARIANCE_SHARE` along the grid's unit axis
    ``a``. What the study's own voxel size blurs along each of the grid's axes, in whatever
    orientation."""
    edges = np.linalg.inv(np.asarray(grid_to_study, float))[:3, :3] @ np.asarray(ijk_to_ras, float)[:3, :3]
    axes = np.asarray(grid_ijk_to_ras, float)[:3, :3]
    axes = axes / np.linalg.norm(axes, axis=0)
    return np.square(axes.T @ edges).sum(axis=1) * VOXEL_VARIANCE_SHARE


def halfway_image(image: np.ndarray, ijk_to_ras: np.ndarray, shape, grid_ijk_to_ras: np.ndarray,
                  grid_to_study: np.ndarray, extra_variance_mm2: np.ndarray) -> np.ndarray:
    """``image`` read on a grid through ``grid_to_study`` by cubic B-spline (clipped to the image's
    own range: the spline's undershoot beside the scalp made negative voxels, and a head with
    them reads as a CT), then smoothed by a Gaussian of ``extra_variance_mm2`` along each grid
    axis (resolution matching: the finer study blurred to the coarser's voxel size). Trilinear
    reading, used before, blurs by up to a quarter of a voxel's square: a 1.25 mm study of an
    unchanged head read onto the 1 mm baseline's grid moved deepbet's edge by -0.60 % of the
    brain volume (README, "Follow-up studies")."""
    from ..io.registration import resample  # noqa: PLC0415

    image = np.asarray(image)
    out = resample(image, ijk_to_ras, shape, grid_ijk_to_ras, grid_to_study, order=3)
    np.clip(out, float(image.min()), float(image.max()), out=out)
    spacing = np.linalg.norm(np.asarray(grid_ijk_to_ras, float)[:3, :3], axis=0)
    sigma = np.sqrt(np.maximum(np.asarray(extra_variance_mm2, float), 0.0)) / spacing
    return ndimage.gaussian_filter(out, sigma) if np.any(sigma > 0.05) else out


def sampled_as(image: np.ndarray, grid_ijk_to_ras: np.ndarray, shape, ijk_to_ras: np.ndarray,
               grid_to_study: np.ndarray) -> np.ndarray:
    """``image`` (on a grid) sampled at another study's voxel centres (``shape``, ``ijk_to_ras``;
    ``grid_to_study`` carries grid points into that study's world) and read back by cubic
    B-spline, as that study itself is read onto the grid. Coarser voxels read back so have lost
    more than their blur: the synthetic 1 mm head against itself averaged into 3 mm slices (nothing
    changed) read -0.53 % with the 1 mm study only blurred, -0.02 % sampled so too; a 2 mm study
    against a 2.5 mm one -0.80 % and +0.11 % sampled so one way, -0.11 % each sampled as the other
    (``bench/followup_slices.py --grid``; README, "Follow-up studies")."""
    from ..io.registration import resample  # noqa: PLC0415

    on_study = resample(image, grid_ijk_to_ras, shape, ijk_to_ras, np.linalg.inv(grid_to_study), order=3)
    np.clip(on_study, float(np.min(image)), float(np.max(image)), out=on_study)   # no CT-like undershoot
    return halfway_image(on_study, ijk_to_ras, np.shape(image), grid_ijk_to_ras, grid_to_study, np.zeros(3))
