"""A mask of the image's size but placed elsewhere in space (another scan's mask, a shifted
export) is refused in one line that says so: it used to read "label map of shape (50, 59, 48)
does not lie on the image grid (50, 59, 48)", two equal shapes and no hint of what differs."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.session import Session
from neuroview.core.errors import GeometryError
from tests.dataset.label_maps import lesion_map

CLI_FORKED = "what `dataset init` and `add` say and store, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _shifted_mask(tmp_path, small_mr, shift_mm):
    affine = small_mr.ijk_to_ras.copy()
    affine[0, 3] += shift_mm
    path = tmp_path / "elsewhere.nii.gz"
    nib.save(nib.Nifti1Image(lesion_map(small_mr).array, affine), path)
    return path


def test_dataset_add_names_the_offset_of_a_mask_of_the_right_size(tmp_path, small_mr, cli):
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    mask = _shifted_mask(tmp_path, small_mr, 5.0)
    cli("dataset", "init", tmp_path / "Dataset007_X", "--name", "X", "--labels", "background,lesion")

    result = cli("dataset", "add", tmp_path / "Dataset007_X", "--image", tmp_path / "t1.nii.gz",
                 "--labels", mask)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {mask}: label map has the image's shape (50, 59, 48) but lies "
        "elsewhere in space: its corner voxels are up to 5.00 mm from the image's "
        "(resample it or choose the matching image)"]
    assert not list((tmp_path / "Dataset007_X" / "labelsTr").glob("*.nii.gz"))


def test_load_labels_names_the_offset(tmp_path, small_mr):
    mask = _shifted_mask(tmp_path, small_mr, -2.5)
    session = Session(small_mr)

    with pytest.raises(GeometryError) as raised:
        session.load_labels(mask)

    assert str(mask) in str(raised.value)
    assert "has the image's shape (50, 59, 48) but lies elsewhere in space" in str(raised.value)
    assert "up to 2.50 mm from the image's" in str(raised.value)
    assert not np.any(session.labels.array)


def _reordered_mask(tmp_path, small_mr, axes, flips, shift_mm=0.0):
    """The lesion map stored with its axes in the order ``axes`` and ``flips`` reversed: an
    affine that places every voxel where it was (as ITK writes an LPS mask of an RAS image)."""
    shape = small_mr.shape
    to_old = np.zeros((4, 4))   # the stored array's index -> the image's
    to_old[3, 3] = 1.0
    for new, old in enumerate(axes):
        to_old[old, new] = -1.0 if new in flips else 1.0
        to_old[old, 3] = shape[old] - 1 if new in flips else 0.0
    affine = small_mr.ijk_to_ras @ to_old
    affine[0, 3] += shift_mm
    array = np.flip(np.transpose(lesion_map(small_mr).array, axes), flips)
    path = tmp_path / "reordered.nii.gz"
    nib.save(nib.Nifti1Image(np.ascontiguousarray(array), affine), path)
    return path


@pytest.mark.parametrize("axes, flips", [((0, 1, 2), (0,)), ((1, 0, 2), (0, 2))])
def test_dataset_add_takes_a_mask_of_the_same_voxels_stored_flipped(tmp_path, small_mr, cli,
                                                                   axes, flips):
    """It said "lies elsewhere in space ... 13.50 mm" (corner 0 to corner 0) for a map the window
    places exactly: the stored labels are the map's voxels on the image's grid."""
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    mask = _reordered_mask(tmp_path, small_mr, axes, flips)
    folder = tmp_path / "Dataset007_X"
    cli("dataset", "init", folder, "--name", "X", "--labels", "background,lesion")

    result = cli("dataset", "add", folder, "--image", tmp_path / "t1.nii.gz", "--labels", mask)

    assert result.returncode == 0, result.stderr
    stored = nib.load(folder / "labelsTr" / "nv_0001.nii.gz")
    np.testing.assert_array_equal(np.asarray(stored.dataobj), lesion_map(small_mr).array)
    np.testing.assert_allclose(stored.affine, small_mr.ijk_to_ras, atol=1e-4)


def test_dataset_add_names_the_shift_of_a_flipped_mask(tmp_path, small_mr, cli):
    nib.save(nib.Nifti1Image(small_mr.array, small_mr.ijk_to_ras), tmp_path / "t1.nii.gz")
    mask = _reordered_mask(tmp_path, small_mr, (0, 1, 2), (0,), shift_mm=2.0)
    cli("dataset", "init", tmp_path / "Dataset007_X", "--name", "X", "--labels", "background,lesion")

    result = cli("dataset", "add", tmp_path / "Dataset007_X", "--image", tmp_path / "t1.nii.gz",
                 "--labels", mask)

    assert result.returncode == 1
    assert "but lies elsewhere in space: its corner voxels are up to 2.00 mm from the image's" \
        in result.stderr
    assert not list((tmp_path / "Dataset007_X" / "labelsTr").glob("*.nii.gz"))
