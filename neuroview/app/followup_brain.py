"""Brain masks and brain volume of one study: a threshold of a skull-stripped image, deepbet's
brain extraction, and the volume counted with partial voxels. No Qt; torch only when deepbet runs.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from scipy import ndimage

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
    installed, the field of view is smaller than a head or the image is a CT (deepbet reads MR
    only, as *AI > Segment* skips it on a CT); ``Cancelled`` when ``cancel`` is set."""
    from ..ai import brain_weights  # noqa: PLC0415 - torch only when it runs
    from ..ai.infer import choose_device  # noqa: PLC0415
    from ..ai.preprocess import cached_brain_mask, field_of_view_mm, smaller_than_a_head  # noqa: PLC0415

    check(cancel)   # a Cancel given before it starts: deepbet's first pass ran all the same
    if is_ct(volume):   # by its header, else its voxels, guessed once per volume
        return None, f"none ({CT_NOT_EXTRACTED})"
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
