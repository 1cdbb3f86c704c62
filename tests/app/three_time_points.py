"""Three time points of one patient, written to disk: helpers that test_followup_track.py and the tests
building on it share (test modules import helpers from a helper module, never from another test
module)."""

from __future__ import annotations

import numpy as np

from neuroview.app.followup import StudyInput
from neuroview.io.nifti import save_nifti
from tests.app.followup_cases import grid, rigid, sample, tracked_masks

POSES = [((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)), ((12.0, -8.0, 10.0), (15.0, -12.0, 18.0)),
         ((-9.0, 6.0, -14.0), (-10.0, 14.0, -6.0))]


GRIDS = [((2.0, 2.0, 2.0), (0.0, 0.0, 0.0)), ((2.4, 1.8, 2.2), (20.0, -5.0, 15.0)),
         ((1.9, 2.3, 2.1), (5.0, 10.0, -8.0))]


def write_three_time_points(mni_volume, folder, scale: float = 1.0) -> list[StudyInput]:
    """The MNI head and TRACKED's lesions at three time points (GRIDS' voxel sizes times ``scale``,
    POSES) as NIfTI files ``t1.nii.gz``, ``t1_lesions.nii.gz``...; returns the studies."""
    out = []
    for t, ((spacing, margin), (rotation, shift)) in enumerate(zip(GRIDS, POSES)):
        shape, affine = grid(mni_volume, np.multiply(spacing, scale), margin)
        truth = rigid(rotation, shift, mni_volume.center_ras)
        image = sample(mni_volume, shape, affine, np.linalg.inv(truth))
        lesions = tracked_masks(shape, affine, np.linalg.inv(truth), t)
        save_nifti(image, affine, folder / f"t{t + 1}.nii.gz")
        save_nifti(lesions, affine, folder / f"t{t + 1}_lesions.nii.gz")
        out.append(StudyInput(image, affine, lesions))
    return out
