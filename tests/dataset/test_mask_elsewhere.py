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
