"""Where the MNI152 template's brain regions are: what a lesion's location is told against.

McDonald 2017 places MS lesions by region (periventricular, cortical/juxtacortical,
infratentorial; the rest is deep white matter), not by millimetres. The regions of the MNI152
2009a template (its brain, infratentorial region, lateral and third ventricles, cortex and white
matter core) come bundled in ``resources/anatomy`` at 2 mm with the template's T1, made once from
nilearn's copy of the template by ``packaging/make_anatomy.py`` (which says how each is made);
no nilearn is needed here. Read once per process; what follows from them (each point's depth
below the tentorium, the reach around the ventricles and the cortex) is computed on reading.

These are where to look; the subject's own voxels (their tissue class) say what is there
(:mod:`neuroview.app.lesion_location`). Numpy/scipy/nibabel only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from ..core.errors import ModelError
from ..paths import resources_dir

STEP_MM = 2
T1_NAME, REGIONS_NAME = "mni152_2mm_t1.nii.gz", "mni152_2mm_regions.nii.gz"
BITS = {"brain": 1, "infratentorial": 2, "ventricles": 4, "cortex": 8, "white_core": 16}
"""The regions file's bit of each region (as ``packaging/make_anatomy.py`` writes it)."""
SHAPE = (98, 116, 94)
NEAR_MM = 6.0
"""How far a study's ventricles and cortex may lie from the template's after an affine fit."""


@dataclass(frozen=True)
class TemplateRegions:
    ijk_to_ras: np.ndarray
    t1: np.ndarray
    """The template's T1 (float32), what a study is registered to."""
    brain: np.ndarray
    infratentorial: np.ndarray
    tentorium_mm: np.ndarray
    """Signed distance (mm) from the edge between the infratentorial region and the rest of the
    brain: + inside it (the distance to the nearest supratentorial voxel), - outside."""
    ventricles: np.ndarray
    cortex: np.ndarray
    ventricles_near: np.ndarray
    """Within :data:`NEAR_MM` of the ventricles (and so :attr:`cortex_near` of the cortex)."""
    cortex_near: np.ndarray
    white_core: np.ndarray
    """White matter (probability over 0.9) one voxel in from its edge."""


def _read(name: str) -> tuple[np.ndarray, np.ndarray]:
    import nibabel as nib

    path = resources_dir() / "anatomy" / name
    if not path.is_file():
        raise ModelError("the MNI152 template's regions are missing: reinstall neuroview", path)
    try:
        image = nib.load(path)
        array = np.asarray(image.dataobj)
    except Exception as error:  # cut short, not gzip, not a NIfTI: one line either way
        raise ModelError(f"the MNI152 template's regions are damaged ({error.__class__.__name__}): "
                         "reinstall neuroview", path) from None
    if array.shape != SHAPE:
        raise ModelError(f"the MNI152 template's regions are damaged ({array.shape}, not {SHAPE}): "
                         "reinstall neuroview", path)
    return array, np.asarray(image.affine, float)


@functools.lru_cache(maxsize=1)
def template_regions() -> TemplateRegions:
    """The template's regions at :data:`STEP_MM` (read-only; under 1 s of CPU the first time).
    :class:`~neuroview.core.errors.ModelError` naming the file when one is missing or damaged."""
    sums, affine = _read(T1_NAME)
    bits, _ = _read(REGIONS_NAME)
    brain, infra, ventricles, cortex, white = (bits & bit > 0 for bit in BITS.values())
    supra = brain & ~infra
    tentorium = np.where(infra, ndimage.distance_transform_edt(~supra),
                         -ndimage.distance_transform_edt(~infra))
    near = [ndimage.distance_transform_edt(~region) * STEP_MM <= NEAR_MM
            for region in (ventricles, cortex)]
    t1 = sums.astype(np.float32) / STEP_MM ** 3
    regions = TemplateRegions(affine, t1, brain, infra, (tentorium * STEP_MM).astype(np.float32),
                              ventricles, cortex, *near, white)
    for array in vars(regions).values():
        array.setflags(write=False)
    return regions
