"""Masks that are not masks: +inf, 70,000 labels, 4-D, values the training set does not know.
Each is an error naming the file (no OverflowError, no silent first frame); nothing changes."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from neuroview.app.session import Session
from neuroview.core.errors import LabelMapError

CLI_FORKED = "what `dataset init` and `add` say and store, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _mask(tmp_path, name, array, affine):
    path = tmp_path / name
    nib.save(nib.Nifti1Image(array, affine), path)
    return path


@pytest.mark.parametrize("kind", ["inf", "nan", "70000", "4d"])
def test_load_labels_refuses_masks_naming_the_file(small_image, tmp_path, kind):
    s = Session.open(small_image)
    affine = nib.load(small_image).affine
    shape = s.volume.shape
    if kind in ("inf", "nan"):
        array = np.zeros(shape, np.float32)
        array[5, 5, 5] = np.inf if kind == "inf" else np.nan
        match = "NaN or infinite"
    elif kind == "70000":
        array = np.zeros(shape, np.int32)
        array[5, 5, 5] = 70000
        match = "70000; at most 65535 labels"
    else:
        array = np.zeros(shape + (2,), np.uint8)
        array[5, 5, 5, 1] = 1
        match = "must be 3D"
    path = _mask(tmp_path, f"{kind}.nii.gz", array, affine)
    before = s.labels.array.copy()
    with pytest.raises(LabelMapError, match=match) as caught:
        s.load_labels(path)
    assert str(path) in str(caught.value)
    np.testing.assert_array_equal(s.labels.array, before)
    assert not s.history.undo_steps


def test_dataset_add_refuses_mask_values_outside_the_labels(tmp_path, small_image, cli):
    affine = nib.load(small_image).affine
    shape = nib.load(small_image).shape
    result = cli("dataset", "init", tmp_path / "raw", "--name", "Lesions", "--labels", "background,lesion")
    assert result.returncode == 0, result.stderr
    for name, value, match in (("seven.nii.gz", 7, "values 7 that are not labels"),
                               ("inf.nii.gz", np.inf, "NaN or infinite"),
                               ("big.nii.gz", 70000, "at most 65535")):
        array = np.zeros(shape, np.float32)
        array[5:9, 5:9, 5:9] = value
        mask = _mask(tmp_path, name, array, affine)
        result = cli("dataset", "add", tmp_path / "raw", "--image", small_image, "--labels", mask)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1, result.stderr
        assert str(mask) in lines[0] and match in lines[0], lines
    assert not list((tmp_path / "raw").rglob("nv_*"))
