"""NIfTI files of 64-bit integers (datatype codes 1024 and 1280, which nibabel, ITK and FSL
read): ``convert`` writes them back with their values, no longer an internal error."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest


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
