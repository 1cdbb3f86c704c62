"""Blobs to prompt a model on: helpers that test_prompting.py and the tests building on it share (test
modules import helpers from a helper module, never from another test module)."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def blobs(tmp_path_factory):
    """Two bright spheres (r 6 mm and 4 mm, 20 mm apart in R) on a 1.2 x 1 x 2 mm oblique grid."""
    import nibabel as nib

    shape = (70, 60, 30)
    a = np.deg2rad(12)
    affine = np.eye(4)
    affine[:3, :3] = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]]) \
        @ np.diag([1.2, 1.0, 2.0])
    affine[:3, 3] = -affine[:3, :3] @ ((np.asarray(shape) - 1) / 2)  # centre of the grid at 0
    ras = np.indices(shape).reshape(3, -1).T @ affine[:3, :3].T + affine[:3, 3]
    d1 = np.linalg.norm(ras, axis=1).reshape(shape)
    d2 = np.linalg.norm(ras - [20, 0, 0], axis=1).reshape(shape)
    image = 100 + 800 / (1 + np.exp((d1 - 6) / 0.5)) + 800 / (1 + np.exp((d2 - 4) / 0.5))
    path = tmp_path_factory.mktemp("blobs") / "blobs.nii.gz"
    nib.save(nib.Nifti1Image(image.astype(np.float32), affine), path)
    return path, d1 <= 6, d2 <= 4
