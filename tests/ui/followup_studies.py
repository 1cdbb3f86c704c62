"""The follow-up window tests' studies: a baseline and two later studies of the MNI template
(3 mm grids, moved by known transforms), as files or compared. A helper module, imported by its
bare name (``tests/ui/conftest.py`` makes the compared studies once per pytest process)."""

from __future__ import annotations

import numpy as np

from neuroview.app.followup import StudyInput, compare
from neuroview.core.volume import Volume
from neuroview.io.nifti import save_nifti
from tests.app.followup_cases import grid, lesion_masks, rigid, sample

SECOND_TRUTH = ((-6.0, 4.0, -9.0), (-8.0, 6.0, -10.0))
"""Pose of the second later study: another turn and shift, its lesions as at baseline."""


def studies(mni_volume, scale: float = 1.0):
    """Baseline (3 mm) and two later studies on other grids: ``{name: (image, affine, lesions)}``.
    t2 has the lesion changes of tests/app/followup_cases.py; t3 the baseline's lesions, moved.
    ``scale`` multiplies every voxel size (2: 6 mm grids, an eighth of the voxels, for the tests
    whose claim does not depend on the images' size: each registration a third of the time)."""
    b_shape, b_affine = grid(mni_volume, np.multiply((3.0, 3.0, 3.0), scale))
    f_shape, f_affine = grid(mni_volume, np.multiply((3.2, 2.8, 3.0), scale), (12.0, -6.0, 9.0))
    g_shape, g_affine = grid(mni_volume, np.multiply((2.9, 3.1, 3.2), scale), (6.0, 9.0, -3.0))
    truth = rigid((8.0, -5.0, 10.0), (10.0, -8.0, 12.0), mni_volume.center_ras)
    second = rigid(*SECOND_TRUTH, mni_volume.center_ras)
    return {
        "t1": (sample(mni_volume, b_shape, b_affine), b_affine,
               lesion_masks(b_shape, b_affine, np.eye(4), False)),
        "t2": (sample(mni_volume, f_shape, f_affine, np.linalg.inv(truth)), f_affine,
               lesion_masks(f_shape, f_affine, np.linalg.inv(truth), True)),
        "t3": (sample(mni_volume, g_shape, g_affine, np.linalg.inv(second)), g_affine,
               lesion_masks(g_shape, g_affine, np.linalg.inv(second), False)),
    }


def write_case(mni_volume, folder, scale: float = 1.0):
    for name, (image, affine, lesions) in studies(mni_volume, scale).items():
        save_nifti(image, affine, folder / f"{name}.nii.gz")
        save_nifti(lesions, affine, folder / f"{name}_lesions.nii.gz")


def compared_studies(mni_volume):
    """``(baseline volume, baseline, [later studies], [comparisons])``: the baseline and two later
    studies, compared (no files, no dialog; two registrations)."""
    inputs = {name: StudyInput(image, affine, lesions, name=name)
              for name, (image, affine, lesions) in studies(mni_volume).items()}
    baseline, laters = inputs["t1"], [inputs["t2"], inputs["t3"]]
    comparisons = [compare(baseline, later) for later in laters]
    return Volume(baseline.image, baseline.ijk_to_ras, modality="MR"), baseline, laters, comparisons
