"""`dataset add --frame N` stores time point N of a 4D image; without it a 4D image is refused in
one line that names the file and the option (it said "choose one time point or series", and the
command had no way to choose one)."""

from __future__ import annotations

import nibabel as nib
import numpy as np

CLI_FORKED = "what `dataset add` says and stores, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def test_frame_n_stores_that_time_point(tmp_path, cli, rng):
    affine = np.diag([2.0, 2.0, 2.5, 1.0])
    data = rng.normal(100, 20, (12, 10, 8, 3)).astype(np.float32)
    nib.save(nib.Nifti1Image(data, affine), tmp_path / "dwi.nii.gz")
    mask = np.zeros((12, 10, 8), np.uint8)
    mask[3:7, 2:6, 2:5] = 1
    nib.save(nib.Nifti1Image(mask, affine), tmp_path / "mask.nii.gz")
    dataset = tmp_path / "Dataset007_X"
    cli("dataset", "init", dataset, "--name", "X", "--labels", "background,lesion")

    add = ("dataset", "add", dataset, "--image", tmp_path / "dwi.nii.gz",
           "--labels", tmp_path / "mask.nii.gz")
    result = cli(*add)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path / 'dwi.nii.gz'}: a 4D image of 3 time points: choose the one "
        "the labels were drawn on with --frame N (1-based, as the window's Time point box)"]

    result = cli(*add, "--frame", "4")
    assert result.returncode == 1 and "--frame 4 is out of range" in result.stderr

    result = cli(*add, "--frame", "2")
    assert result.returncode == 0, result.stderr
    stored = nib.load(dataset / "imagesTr" / "nv_0001_0000.nii.gz")
    assert np.allclose(np.asarray(stored.dataobj), data[..., 1]) and np.allclose(stored.affine, affine)
