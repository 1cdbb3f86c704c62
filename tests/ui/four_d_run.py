"""A 4D overlay series for the overlay tests: a short run on a case's grid whose box around
``editor_helpers.INSIDE_CASE_RAS`` holds another value at each time point. Test modules import it
from here, never from another test module."""

from __future__ import annotations

import numpy as np
from editor_helpers import INSIDE_CASE_RAS

from neuroview.io.nifti import save_nifti

FRAMES = (100.0, 300.0, 200.0)
"""The run's value in its box at each time point (0 elsewhere)."""


def write_run(folder, volume):
    """``folder/run.nii.gz``: :data:`FRAMES` time points on ``volume``'s grid, an 11 x 11 x 7
    voxel box around INSIDE_CASE_RAS of ``FRAMES[t]`` at time point ``t``."""
    data = np.zeros((*volume.shape, len(FRAMES)), np.float32)
    i, j, k = np.rint(np.linalg.inv(volume.ijk_to_ras) @ np.append(INSIDE_CASE_RAS, 1))[:3].astype(int)
    for t, value in enumerate(FRAMES):
        data[i - 5: i + 6, j - 5: j + 6, k - 3: k + 4, t] = value
    path = folder / "run.nii.gz"
    save_nifti(data, volume.ijk_to_ras, path)
    return path
