"""A .nii.gz is decompressed straight into its array: the peak is the image, not twice it
(issue #16.9: nibabel's read of a 512x512x1000 CT peaks at 1 GB for 0.5 GB of voxels)."""

from __future__ import annotations

import gzip
import tracemalloc

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io.nifti import load_nifti


def test_gzip_nifti_loads_with_one_copy_and_the_same_voxels(tmp_path):
    rng = np.random.default_rng(1)
    for dtype in ("<i2", ">i2", ">f4", "u1"):
        data = (rng.random((96, 80, 64)) * 1000).astype(dtype)  # 1-4 MiB
        image = nib.Nifti1Image(data, np.diag([0.7, 0.8, 1.2, 1.0]))
        image.set_data_dtype(np.dtype(dtype))
        path = tmp_path / f"ct{dtype.replace('<', 'l').replace('>', 'b')}.nii.gz"
        nib.save(image, path)
        tracemalloc.start()
        volume = load_nifti(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        reference = np.asanyarray(nib.load(path).dataobj)
        np.testing.assert_array_equal(volume.array, reference)
        assert volume.array.dtype == reference.dtype and volume.array.dtype.isnative
        assert peak < 1.25 * data.nbytes + (1 << 20), (dtype, peak, data.nbytes)


def test_truncated_gzip_nifti_is_one_clear_error(tmp_path):
    data = np.arange(64 * 64 * 32, dtype=np.int16).reshape(64, 64, 32)
    path = tmp_path / "cut.nii.gz"
    nib.save(nib.Nifti1Image(data, np.eye(4)), path)
    raw = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(raw[: len(raw) // 2]))
    with pytest.raises(CorruptFileError, match="cut.nii.gz"):
        load_nifti(path)


@pytest.mark.parametrize("suffix", [".nii.gz", ".nii"])
def test_scaled_4d_nifti_loads_into_one_float_array_with_nibabels_numbers(tmp_path, suffix):
    """A 4D NIfTI with scl_slope/scl_inter is scaled a chunk at a time into its float32 array:
    nibabel's get_fdata held the stored image, a float64 copy and the float32 one (3x the
    float32 array at the peak for a 96x96x60x150 int16 fMRI)."""
    rng = np.random.default_rng(2)
    for dtype in ("<i2", ">i2", "u1", ">f4"):
        data = (rng.random((48, 40, 30, 24)) * 200).astype(dtype)   # 1.3-5.3 MiB stored
        image = nib.Nifti1Image(data, np.diag([3.0, 3.0, 4.0, 1.0]))
        image.set_data_dtype(np.dtype(dtype))
        image.header.set_slope_inter(0.37, -12.5)
        path = tmp_path / f"bold{dtype.replace('<', 'l').replace('>', 'b')}{suffix}"
        nib.save(image, path)
        tracemalloc.start()
        volume = load_nifti(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        reference = nib.load(path).get_fdata(dtype=np.float32)
        assert volume.array.dtype == np.float32 and volume.array.shape == data.shape
        np.testing.assert_array_equal(volume.array, reference)
        assert peak < 1.1 * volume.array.nbytes + (4 << 20), (dtype, peak, volume.array.nbytes)
