"""Where the MNI152 template's brain regions are: what a lesion's location is told against.

McDonald 2017 places MS lesions by region (periventricular, cortical/juxtacortical,
infratentorial; the rest is deep white matter), not by millimetres. Three regions of the MNI152
2009a template that nilearn ships (the only brain anatomy that installs offline, as
:func:`neuroview.ai.synth.load_mni_anatomy` reads it) are made here, at 2 mm, once per process:

- **infratentorial**: the brainstem and cerebellum, by a marker watershed on the template's
  tissue probability (GM + WM): CSF and the tentorium between the cerebellum and the occipital and
  temporal lobes are the ridge it stops at. Seeds in the pons, medulla, midbrain, vermis and both
  cerebellar hemispheres grow against seeds in the thalami, hypothalamus and the occipital,
  temporal and frontal lobes (:data:`INFRA_SEEDS`, :data:`SUPRA_SEEDS`, MNI mm). No atlas with a
  brainstem and cerebellum label installs offline with a licence that allows shipping it (the
  template's own tissue maps do not cut the cerebellum off: tissue below the midbrain joins the
  temporal and occipital lobes through the template's blur), so the watershed stands in for one;
  :func:`tentorium_depth_mm` gives each point's distance from its edge, so a lesion near it is
  told as unsure rather than guessed.
- **lateral ventricles**: the template's CSF (tissue probability under one half) in components
  that do not touch the outside of the brain, 1 mL or more (the lateral and third ventricles,
  17 mL at 2 mm).
- **cortex**: template grey matter (probability over 0.3) within :data:`CORTEX_REACH_MM` of the
  CSF around the brain or of the brain's edge, outside the infratentorial region: the deep grey
  nuclei (thalamus, basal ganglia), grey on every contrast, are left out.

These are where to look; the subject's own voxels (their tissue class) say what is there
(:mod:`neuroview.app.lesion_location`). Numpy/scipy/SimpleITK only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .synth import load_mni_anatomy

STEP_MM = 2
INFRA_SEEDS = ((0, -25, -35), (0, -40, -55), (0, -28, -14), (0, -60, -25), (25, -65, -35),
               (-25, -65, -35), (40, -60, -40), (-40, -60, -40))
"""Pons, medulla, midbrain, vermis, cerebellar hemispheres (MNI mm)."""
SUPRA_SEEDS = ((12, -18, 8), (-12, -18, 8), (0, -5, -8), (0, 2, -14), (20, -85, 5),
               (-20, -85, 5), (30, -70, -5), (-30, -70, -5), (40, -20, -20), (-40, -20, -20),
               (25, -25, -12), (-25, -25, -12), (0, 20, 40))
"""Thalami, hypothalamus, optic chiasm, occipital lobes, temporal lobes, hippocampi, frontal lobe."""
SEED_HALF_MM = 4
CSF_BELOW = 0.5
VENTRICLE_MIN_ML = 1.0
CORTEX_GM = 0.3
CORTEX_REACH_MM = 5.0
NEAR_MM = 6.0
"""How far a study's ventricles and cortex may lie from the template's after an affine fit."""
WHITE_CORE = 0.9


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
    """White matter (probability over :data:`WHITE_CORE`) one voxel in from its edge."""


def _blocks(array: np.ndarray) -> np.ndarray:
    """The mean of each block of :data:`STEP_MM` cubed voxels (the template is 1 mm)."""
    n = np.array(array.shape) // STEP_MM
    cut = np.asarray(array, np.float32)[: n[0] * STEP_MM, : n[1] * STEP_MM, : n[2] * STEP_MM]
    return cut.reshape(n[0], STEP_MM, n[1], STEP_MM, n[2], STEP_MM).mean(axis=(1, 3, 5))


def _voxels(affine: np.ndarray, points_mm) -> np.ndarray:
    ras = np.column_stack([np.asarray(points_mm, float), np.ones(len(points_mm))])
    return np.rint((np.linalg.inv(affine) @ ras.T)[:3].T).astype(int)


def _infratentorial(tissue: np.ndarray, brain: np.ndarray, affine: np.ndarray) -> np.ndarray:
    import SimpleITK as sitk

    markers = np.zeros(brain.shape, np.uint8)
    half = SEED_HALF_MM // STEP_MM
    for value, seeds in ((1, INFRA_SEEDS), (2, SUPRA_SEEDS)):
        for i, j, k in _voxels(affine, seeds):
            markers[i - half:i + half + 1, j - half:j + half + 1, k - half:k + half + 1] = value
    markers[~brain] = 3
    height = np.where(brain, 1.0 - tissue, 2.0).astype(np.float32)
    basins = sitk.MorphologicalWatershedFromMarkers(
        sitk.GetImageFromArray(height), sitk.GetImageFromArray(markers),
        markWatershedLine=False, fullyConnected=False)
    return (sitk.GetArrayFromImage(basins) == 1) & brain


def _ventricles(csf: np.ndarray, brain: np.ndarray) -> np.ndarray:
    import cc3d

    labels = cc3d.connected_components(csf.view(np.uint8), connectivity=6)
    outside = np.unique(labels[ndimage.binary_dilation(~brain) & csf])
    counts = np.bincount(labels.ravel())
    least = VENTRICLE_MIN_ML * 1000 / STEP_MM ** 3
    kept = [v for v in range(1, len(counts)) if counts[v] >= least and v not in outside]
    return np.isin(labels, kept)


@functools.lru_cache(maxsize=1)
def template_regions() -> TemplateRegions:
    """The template's regions at :data:`STEP_MM` (read-only; 1.5 s of CPU the first time)."""
    anatomy = load_mni_anatomy()
    affine = anatomy.affine.copy()
    affine[:3, 3] += affine[:3, :3] @ np.full(3, (STEP_MM - 1) / 2)
    affine[:3, :3] *= STEP_MM
    t1 = _blocks(anatomy.t1)
    brain = _blocks(anatomy.t1 > 0) > 0.5
    tissue = _blocks(anatomy.gm + anatomy.wm)
    gm = _blocks(anatomy.gm)
    infra = _infratentorial(tissue, brain, affine)
    supra = brain & ~infra
    tentorium = np.where(infra, ndimage.distance_transform_edt(~supra),
                         -ndimage.distance_transform_edt(~infra))
    csf = brain & (tissue < CSF_BELOW)
    ventricles = _ventricles(csf, brain)
    outer = (csf & ~ventricles) | ~brain
    near_outer = ndimage.distance_transform_edt(~outer) * STEP_MM <= CORTEX_REACH_MM
    cortex = (gm > CORTEX_GM) & near_outer & brain & ~infra
    near = [ndimage.distance_transform_edt(~region) * STEP_MM <= NEAR_MM
            for region in (ventricles, cortex)]
    white = ndimage.binary_erosion(_blocks(anatomy.wm) > WHITE_CORE)
    regions = TemplateRegions(affine, t1.astype(np.float32), brain, infra,
                              (tentorium * STEP_MM).astype(np.float32), ventricles, cortex,
                              *near, white)
    for array in vars(regions).values():
        array.setflags(write=False)
    return regions
