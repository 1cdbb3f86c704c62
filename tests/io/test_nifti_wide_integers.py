"""NIfTI files of 64-bit integers (datatype codes 1024 and 1280, which nibabel, ITK and FSL
read): ``convert`` writes them back with their values, no longer an internal error."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

CLI_FORKED = "what `convert` writes, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


@pytest.mark.parametrize("dtype, value", [(np.int64, -(2**62) - 3), (np.uint64, 2**63 + 5)])
def test_convert_keeps_64_bit_integers(tmp_path, cli, dtype, value):
    data = np.arange(4 * 5 * 6, dtype=dtype).reshape(4, 5, 6)
    data[1, 2, 3] = value
    affine = np.diag([0.9, 1.1, 2.5, 1.0])
    nib.save(nib.Nifti1Image(data, affine, dtype=dtype), tmp_path / "wide.nii")
    done = cli("convert", tmp_path / "wide.nii", tmp_path / "out.nii.gz")
    assert done.returncode == 0, done.stderr  # was: internal error: ValueError: ... int64
    written = nib.load(tmp_path / "out.nii.gz")
    assert written.get_data_dtype() == dtype
    assert np.array_equal(np.asarray(written.dataobj), data)
    assert np.allclose(written.affine, affine)


def test_a_slope_that_takes_integers_past_float32_gives_finite_voxels(tmp_path, cli):
    """int16 voxels times an scl_slope of 1e38 pass float32's 3.4e38: they were infinity, with
    numpy's overflow warning on the terminal; now read as float64."""
    from neuroview.io.nifti import load_nifti

    data = np.full((4, 5, 6), 30000, dtype=np.int16)
    data[0, 0, 0] = -7
    img = nib.Nifti1Image(data, np.eye(4), dtype=np.int16)
    img.header.set_slope_inter(1e38, 0.0)
    nib.save(img, tmp_path / "scaled.nii")
    slope = float(np.float32(1e38))  # as the header stores it
    volume = load_nifti(tmp_path / "scaled.nii")
    assert np.all(np.isfinite(volume.array))
    assert np.allclose(volume.array, data * slope, rtol=1e-6)
    done = cli("convert", tmp_path / "scaled.nii", tmp_path / "out.nii.gz")
    assert done.returncode == 0 and done.stderr == ""
    written = np.asarray(nib.load(tmp_path / "out.nii.gz").dataobj)
    assert np.all(np.isfinite(written)) and np.isclose(written[0, 0, 0], -7 * slope)
