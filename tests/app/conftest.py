"""A small real image for Session tests: the MNI template, downsampled, on an oblique grid."""

import numpy as np
import pytest


@pytest.fixture(scope="session")
def small_image(tmp_path_factory, mni_volume):
    """MNI152 every 3rd voxel (66x78x63), 3x3x3.6 mm, tilted 10 degrees: a NIfTI path."""
    import nibabel as nib

    data = np.asarray(mni_volume.array[::3, ::3, ::3], dtype=np.float32)
    a = np.deg2rad(10)
    rotation = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    affine = np.eye(4)
    affine[:3, :3] = rotation @ np.diag([3.0, 3.0, 3.6])
    affine[:3, 3] = [-96.0, -130.0, -70.0]
    path = tmp_path_factory.mktemp("image") / "small.nii.gz"
    nib.save(nib.Nifti1Image(data, affine), path)
    return path


@pytest.fixture
def volume():
    """A 24x24x12 noise image at 1x1x2 mm: the edit-history tests paint on it
    (``tests.app.paint_steps.paint``); a module's own ``volume`` fixture takes its place there."""
    from neuroview.core.volume import Volume

    return Volume(np.random.default_rng(1).normal(100, 5, (24, 24, 12)).astype(np.float32),
                  np.diag([1.0, 1.0, 2.0, 1.0]))


@pytest.fixture
def two_label_files(tmp_path):
    """first.nii.gz (600 voxels) and second.nii.gz (864, overlapping it) on the labels-as-loaded
    tests' image (``tests.app.loaded_labels``)."""
    from tests.app.loaded_labels import write_two_label_files

    return write_two_label_files(tmp_path)
