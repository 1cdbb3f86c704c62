"""Whether an image holds Hounsfield units (a CT) when no header says so (a NIfTI has no modality).

A CT's voxels have two marks an MR's lack: values on the HU scale (nothing below air's -1000 but
a single padding value such as -1024, -2048 or -3024 outside the scanner's field of view) and
tissue at soft-tissue HU (fat -100, water 0, brain 20-45, muscle 45; dense bone from about 400
up). Its air, when the image holds any, is a *peak* near -1000 HU. An MR holds none of that even
when its values go negative: a phase map is symmetric around 0 (-pi..pi, or -4096..4095 in
Siemens' scale, whose noise fills the whole range evenly, far below -1000 too), and a scanner's
rescale with a negative offset moves the background to about -1000 but leaves the tissue
hundreds of units above or below soft-tissue HU. (The guess used to be "1 % of the voxels at
-500 or below", which took every one of those for a CT.) Whole numbers alone do not decide it: a
resampled CT is not integer-valued.
"""

from __future__ import annotations

import numpy as np

SAMPLE_VOXELS = 2_000_000
AIR_HU = (-1050.0, -950.0)
"""Where a CT's air peak lies (air is -1000 HU; scanners read it -990 to -1024)."""
BELOW_AIR_HU = -1100.0
OUTSIDE_HU_FRACTION = 0.01
"""More than this fraction of voxels below :data:`BELOW_AIR_HU`, padding apart: not HU."""
SOFT_TISSUE_HU = 150.0
SOFT_TISSUE_FRACTION = 0.4
"""At least this fraction of the voxels above -200 (not air) within +-150 HU: tissue in HU."""
BONE_HU = 400.0
BONE_FRACTION = (0.005, 0.3)
"""Dense bone is some of a CT's tissue (a skull, a spine), never most of it."""


def _sample(image: np.ndarray) -> np.ndarray:
    """A strided subsample of at most ~2 M finite voxels."""
    array = np.asarray(image)
    step = max(1, int(np.ceil((array.size / SAMPLE_VOXELS) ** (1 / max(array.ndim, 1)))))
    sample = np.asarray(array[(slice(None, None, step),) * array.ndim], dtype=np.float32).ravel()
    return sample[np.isfinite(sample)]


def _in_hu_range(sample: np.ndarray) -> bool:
    """Nothing below air but one padding value (a phase map's noise reaches -4096 evenly)."""
    below = sample[sample < BELOW_AIR_HU]
    if below.size == 0:
        return True
    _, counts = np.unique(below, return_counts=True)
    stray = below.size - counts.max()   # the most frequent value below air is the padding
    return stray <= OUTSIDE_HU_FRACTION * sample.size


def _air_peak(sample: np.ndarray) -> bool:
    """The densest 50-HU bin from -1200 to -200 is air's (-1050..-950), with 1 % of the voxels."""
    counts, edges = np.histogram(sample, bins=20, range=(-1200.0, -200.0))
    top = int(np.argmax(counts))
    centre = (edges[top] + edges[top + 1]) / 2
    return bool(AIR_HU[0] <= centre <= AIR_HU[1] and counts[top] >= 0.01 * sample.size
                and counts[top] >= 3 * max(np.median(counts), 1.0))


def _cropped_ct(tissue: np.ndarray) -> bool:
    """No air in view (cropped to the head): soft tissue makes most of the voxels, with its peak
    in 0..60 HU (brain, blood, muscle), little lies between it and dense bone, and some voxels are
    below 0 (fat, or a CT's noise on CSF and water): an MR magnitude image, whose dark background
    would pass for soft tissue, is never negative."""
    soft = tissue[np.abs(tissue) <= SOFT_TISSUE_HU]
    between = np.count_nonzero((tissue > SOFT_TISSUE_HU) & (tissue < BONE_HU))
    negative = np.count_nonzero((tissue < -5.0) & (tissue >= -SOFT_TISSUE_HU))
    if soft.size < 0.6 * tissue.size or between > 0.1 * tissue.size or negative < 0.005 * tissue.size:
        return False
    counts, edges = np.histogram(soft, bins=30, range=(-SOFT_TISSUE_HU, SOFT_TISSUE_HU))
    top = int(np.argmax(counts))
    return bool(0.0 <= edges[top] < 60.0)


def looks_like_ct(image: np.ndarray) -> bool:
    """Whether ``image`` (an array, any dimension) holds Hounsfield units: values in the HU range,
    tissue at soft-tissue HU with some dense bone (a skull, a spine), and an air peak near -1000
    HU or, with no air in view, a soft-tissue peak (module docstring)."""
    sample = _sample(image)
    if sample.size == 0 or not _in_hu_range(sample):
        return False
    tissue = sample[sample > -200.0]
    if tissue.size < 0.02 * sample.size:   # all background: no tissue to tell by
        return False
    soft = np.count_nonzero(np.abs(tissue) <= SOFT_TISSUE_HU) / tissue.size
    bone = np.count_nonzero(tissue >= BONE_HU) / tissue.size
    if soft < SOFT_TISSUE_FRACTION or not BONE_FRACTION[0] <= bone <= BONE_FRACTION[1]:
        return False
    return _air_peak(sample) or _cropped_ct(tissue)


def is_ct(image: np.ndarray, modality: str = "") -> bool:
    """A CT by its header's ``modality`` ("CT"; any other says no) or, with none (a NIfTI), by
    its voxels (:func:`looks_like_ct`)."""
    return modality == "CT" or (not modality and looks_like_ct(image))
