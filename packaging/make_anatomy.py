"""Make the MNI152 template's regions that lesion locations are told against, once, from nilearn.

    python packaging/make_anatomy.py            # writes resources/anatomy/mni152_2mm_*.nii.gz
    python packaging/make_anatomy.py --check    # says whether the files are what it makes (writes nothing)

Needs nilearn (the ``dev`` extra): its copy of the ICBM 2009a nonlinear symmetric template (T1,
grey and white matter probability maps, 1 mm). neuroview reads the two files this writes
(:mod:`neuroview.ai.mni_regions`), so a user needs no nilearn. Both are 2 mm, the grid the
regions are made on and the template is fitted from:

- ``mni152_2mm_t1.nii.gz``: the T1 as the sum of each 2 x 2 x 2 block of the uint8 template
  (int16; the mean is the sum / 8, exactly);
- ``mni152_2mm_regions.nii.gz``: uint8, one bit per region (:data:`BITS`):

  - **brain**: over half of the block is above 0 in the T1;
  - **infratentorial**: the brainstem and cerebellum, by a marker watershed on the template's
    tissue probability (GM + WM): CSF and the tentorium between the cerebellum and the occipital
    and temporal lobes are the ridge it stops at. Seeds in the pons, medulla, midbrain, vermis and
    both cerebellar hemispheres grow against seeds in the thalami, hypothalamus and the occipital,
    temporal and frontal lobes (:data:`INFRA_SEEDS`, :data:`SUPRA_SEEDS`, MNI mm). No atlas with a
    brainstem and cerebellum label installs offline with a licence that allows shipping it (the
    template's own tissue maps do not cut the cerebellum off: tissue below the midbrain joins the
    temporal and occipital lobes through the template's blur), so the watershed stands in for one;
  - **ventricles**: the template's CSF (tissue probability under one half) in components that do
    not touch the outside of the brain, 1 mL or more (the lateral and third ventricles, 17 mL);
  - **cortex**: grey matter (probability over 0.3) within :data:`CORTEX_REACH_MM` of the CSF
    around the brain or of the brain's edge, outside the infratentorial region: the deep grey
    nuclei (thalamus, basal ganglia), grey on every contrast, are left out;
  - **white core**: white matter (probability over :data:`WHITE_CORE`) one voxel in from its edge.

The template's copyright notice is ``resources/anatomy/README.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy import ndimage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's neuroview, installed or not
OUT = ROOT / "resources" / "anatomy"
T1_NAME, REGIONS_NAME = "mni152_2mm_t1.nii.gz", "mni152_2mm_regions.nii.gz"
BITS = {"brain": 1, "infratentorial": 2, "ventricles": 4, "cortex": 8, "white_core": 16}

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
WHITE_CORE = 0.9


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


def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(t1 block sums int16, region bits uint8, 2 mm affine)`` from nilearn's template."""
    from neuroview.ai.synth import load_mni_anatomy

    anatomy = load_mni_anatomy()
    affine = anatomy.affine.copy()
    affine[:3, 3] += affine[:3, :3] @ np.full(3, (STEP_MM - 1) / 2)
    affine[:3, :3] *= STEP_MM
    t1 = np.rint(_blocks(anatomy.t1) * STEP_MM ** 3).astype(np.int16)
    brain = _blocks(anatomy.t1 > 0) > 0.5
    tissue = _blocks(anatomy.gm + anatomy.wm)
    infra = _infratentorial(tissue, brain, affine)
    csf = brain & (tissue < CSF_BELOW)
    ventricles = _ventricles(csf, brain)
    outer = (csf & ~ventricles) | ~brain
    near_outer = ndimage.distance_transform_edt(~outer) * STEP_MM <= CORTEX_REACH_MM
    cortex = (_blocks(anatomy.gm) > CORTEX_GM) & near_outer & brain & ~infra
    white = ndimage.binary_erosion(_blocks(anatomy.wm) > WHITE_CORE)
    bits = np.zeros(brain.shape, np.uint8)
    for name, mask in (("brain", brain), ("infratentorial", infra), ("ventricles", ventricles),
                       ("cortex", cortex), ("white_core", white)):
        bits[mask] |= BITS[name]
    return t1, bits, affine


def _image(array: np.ndarray, affine: np.ndarray):
    import nibabel as nib

    image = nib.Nifti1Image(array, affine)
    image.header.set_data_dtype(array.dtype)
    image.header.set_xyzt_units("mm")
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args()
    import nibabel as nib

    t1, bits, affine = make()
    if args.check:
        same = []
        for name, array in ((T1_NAME, t1), (REGIONS_NAME, bits)):
            image = nib.load(OUT / name)
            same.append(np.array_equal(np.asarray(image.dataobj), array)
                        and np.allclose(image.affine, affine))
            print(f"{name}: {'the same' if same[-1] else 'DIFFERENT'}")
        sys.exit(0 if all(same) else 1)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, array in ((T1_NAME, t1), (REGIONS_NAME, bits)):
        nib.save(_image(array, affine), OUT / name)
        print(f"{OUT / name}: {(OUT / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
