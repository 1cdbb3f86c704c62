"""`dataset add` with two channels on different grids is refused in one line naming the channel's
file: it said "label map of shape (12, 10, 8) does not lie on the image grid (6, 5, 4)", naming
neither the file nor the channel. A channel of the same voxels stored in another axis order is
said so: it read "lies elsewhere in space: its corner voxels are up to 0.00 mm" (s47 walk)."""

from __future__ import annotations

import nibabel as nib
import numpy as np

CLI_FORKED = "what `dataset init` and `add` say and store, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _add_t1_and_flair(tmp_path, cli, affine):
    """``dataset add`` of t1.nii.gz and flair.nii.gz (written by the test in ``tmp_path``) with a
    box mask on ``affine``'s 12 x 10 x 8 grid, to a new two-channel dataset: the run, the dataset."""
    mask = np.zeros((12, 10, 8), np.uint8)
    mask[3:7, 2:6, 2:5] = 1
    nib.save(nib.Nifti1Image(mask, affine), tmp_path / "mask.nii.gz")
    dataset = tmp_path / "Dataset007_X"
    cli("dataset", "init", dataset, "--name", "X", "--labels", "background,lesion", "--channels", "T1,FLAIR")
    return cli("dataset", "add", dataset, "--image", tmp_path / "t1.nii.gz", "--image",
               tmp_path / "flair.nii.gz", "--labels", tmp_path / "mask.nii.gz"), dataset


def test_a_channel_on_another_grid_is_named(tmp_path, cli, rng):
    affine = np.diag([2.0, 2.0, 2.5, 1.0])
    coarse = affine.copy()
    coarse[:3, :3] *= 2
    for name, shape, grid in (("t1", (12, 10, 8), affine), ("flair", (6, 5, 4), coarse)):
        nib.save(nib.Nifti1Image(rng.normal(size=shape).astype(np.float32), grid),
                 tmp_path / f"{name}.nii.gz")
    result, dataset = _add_t1_and_flair(tmp_path, cli, affine)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path / 'flair.nii.gz'}: channel 2 of shape (6, 5, 4) does not lie on "
        f"the image grid (12, 10, 8) (resample it onto the grid of {tmp_path / 't1.nii.gz'}: the "
        "channels of a case share one grid)"]
    assert not list((dataset / "imagesTr").iterdir())


def test_a_channel_of_the_same_voxels_stored_reversed_is_said_so(tmp_path, cli, rng):
    affine = np.diag([2.0, 2.0, 2.5, 1.0])
    mirrored = affine.copy()
    mirrored[:3, 2] *= -1
    mirrored[2, 3] = 2.5 * 7                       # its first slice is the image's last
    image = rng.normal(size=(12, 10, 8)).astype(np.float32)
    nib.save(nib.Nifti1Image(image, affine), tmp_path / "t1.nii.gz")
    nib.save(nib.Nifti1Image(image[:, :, ::-1].copy(), mirrored), tmp_path / "flair.nii.gz")
    result, _ = _add_t1_and_flair(tmp_path, cli, affine)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"neuroview: error: {tmp_path / 'flair.nii.gz'}: channel 2 holds the image's voxels stored in "
        "another axis order or direction (its affine permutes or reverses the image's axes) (resample "
        f"it onto the grid of {tmp_path / 't1.nii.gz'}: the channels of a case share one grid)"]
