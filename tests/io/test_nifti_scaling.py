"""A NIfTI header's scl_slope / scl_inter that float32 cannot hold, or that are not numbers.

float32 voxels times an scl_slope of 1e38 were infinity (with numpy's overflow warning): read as
float64 now; a scaling past float64 is one line naming the file; a NaN or infinite slope reads
the voxels as stored (as nibabel reads them) with a warning saying so."""

from __future__ import annotations

import struct

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io import scan
from neuroview.io.nifti import load_nifti

CLI_FORKED = "what `info` and `convert` print and write, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""

STORED = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 5  # -5 .. 18


def _scaled_file(path, slope, inter, nifti2=False, dtype=np.float32):
    """``STORED`` with the header's scl_slope and scl_inter written as raw bytes (nibabel's
    writer refuses or resets such values)."""
    kind = nib.Nifti2Image if nifti2 else nib.Nifti1Image
    nib.save(kind(STORED.astype(dtype), np.eye(4), dtype=dtype), path)
    raw = bytearray(path.read_bytes())
    if nifti2:
        raw[176:192] = struct.pack("<dd", slope, inter)
    else:
        raw[112:120] = struct.pack("<ff", slope, inter)
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_voxels_scaled_past_float32_are_read_as_float64(tmp_path, cli, dtype):
    path = _scaled_file(tmp_path / "big.nii", 1e38, 0.0, dtype=dtype)
    slope = float(np.float32(1e38))  # as the header stores it
    volume = load_nifti(path)
    assert volume.array.dtype == np.float64
    np.testing.assert_allclose(volume.array, STORED.astype(np.float64) * slope, rtol=1e-6)  # was -inf .. inf
    done = cli("convert", path, tmp_path / "out.nii.gz")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    written = np.asarray(nib.load(tmp_path / "out.nii.gz").dataobj)
    assert np.all(np.isfinite(written))
    np.testing.assert_allclose(written, STORED.astype(np.float64) * slope, rtol=1e-6)


def test_a_scaling_past_float64_is_one_line_naming_the_file(tmp_path, cli):
    path = _scaled_file(tmp_path / "past.nii", 1e307, 0.0, nifti2=True)  # 18 x 1e307 > 1.8e308
    with pytest.raises(CorruptFileError, match="past the largest number a float64 holds"):
        load_nifti(path)
    done = cli("convert", path, tmp_path / "out.nii.gz")
    assert done.returncode == 1 and not (tmp_path / "out.nii.gz").exists()
    (line,) = done.stderr.splitlines()
    assert line == (f"neuroview: error: {path}: scl_slope 1e+307 and scl_inter 0 scale the voxels "
                    "(stored up to 18) past the largest number a float64 holds (1.8e+308): the "
                    "header's scaling is damaged")


def test_a_float64_scaling_within_range_is_read(tmp_path):
    path = _scaled_file(tmp_path / "wide.nii", 1e300, -1e300, nifti2=True)
    volume = load_nifti(path)
    np.testing.assert_allclose(volume.array, STORED.astype(np.float64) * 1e300 - 1e300, rtol=1e-12)


@pytest.mark.parametrize("slope", [float("nan"), float("inf"), -float("inf")])
def test_a_slope_that_is_no_number_reads_the_stored_voxels_with_a_warning(tmp_path, cli, slope):
    path = _scaled_file(tmp_path / "odd.nii", slope, -1024.0)
    (candidate,) = scan(path).candidates
    expected = (f"scl_slope {slope:g} cannot scale voxels: read as stored, scl_inter -1024 not "
                "applied either (as nibabel reads it)")
    assert candidate.warnings == [expected]
    volume = candidate.load()
    np.testing.assert_array_equal(volume.array, STORED)
    done = cli("info", path)
    assert done.returncode == 0 and f"warning: {expected}" in done.stdout


@pytest.mark.parametrize("inter", [float("nan"), float("inf")])
def test_an_intercept_that_is_no_number_is_one_line_and_a_folder_goes_on(tmp_path, cli, inter):
    (tmp_path / "study").mkdir()
    _scaled_file(tmp_path / "study" / "a.nii", 2.0, inter)
    nib.save(nib.Nifti1Image(STORED, np.eye(4)), tmp_path / "study" / "b.nii")
    done = cli("info", tmp_path / "study" / "a.nii")
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert str(tmp_path / "study" / "a.nii") in line and line.endswith(
        f"scl_inter is {'not a number' if inter != inter else 'infinite'} (damaged header)")
    found = scan(tmp_path / "study")
    assert [c.description for c in found.candidates] == ["b.nii"]
