"""NIfTI headers that lie about where the voxels are or how far the image reaches.

A ``.nii.gz`` whose ``vox_offset`` puts the voxels past what its compressed bytes can inflate
to is one line naming the file in ``info`` and ``convert``. ``vox_offset`` 1e30 read as sound in
``info`` (exit 0) and failed in ``convert`` with Python's words, `cannot read image data (cannot
fit 'int' into an offset-sized integer)` (``bench/fuzz_readers.py --only nifti1gz``, session 39)."""

from __future__ import annotations

import gzip

import nibabel as nib
import numpy as np
import pytest

from neuroview.cli.main import main


@pytest.mark.parametrize("offset", [1e30, 1e12])
def test_voxels_past_what_the_stream_can_hold_are_one_line(tmp_path, capsys, offset):
    image = nib.Nifti1Image(np.arange(10 * 8 * 6, dtype=np.int16).reshape(10, 8, 6), np.eye(4))
    header = bytearray(image.header.binaryblock)
    header[108:112] = np.float32(offset).tobytes()
    path = tmp_path / "scan.nii.gz"
    path.write_bytes(gzip.compress(bytes(header) + bytes(4) + image.dataobj.tobytes(order="F")))
    size = path.stat().st_size
    for argv in (["info", str(path)], ["convert", str(path), str(tmp_path / "out") + "/"]):
        assert main(argv) == 1
        assert capsys.readouterr().err.strip() == (
            f"neuroview: error: {path}: header puts the voxels at byte {int(np.float32(offset))}, "
            f"past what a {size} bytes compressed file can hold (damaged header)")


@pytest.mark.parametrize("field, what", [("srow_x", "sform"), ("pixdim", "qform")])
def test_a_kilometre_in_the_geometry_is_said_in_plain_words(tmp_path, capsys, field, what):
    """It read `header has a qform with a value of 1e+30 mm` (`a affine` too) (``bench/fuzz_readers.py``, 132
    commands)."""
    header = nib.Nifti1Header()
    header.set_data_shape((4, 4, 4))
    header.set_data_dtype(np.int16)
    header.set_sform(np.eye(4), code=1 if what == "sform" else 0)
    header.set_qform(np.eye(4), code=1)
    header["vox_offset"] = 352
    values = header[field].copy()
    values[1] = 1e30
    header[field] = values
    path = tmp_path / "scan.nii"
    path.write_bytes(header.binaryblock + bytes(4) + bytes(128))
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == (f"neuroview: error: {path}: header's {what} holds a "
                                               "value of 1e+30 mm (over 1e+06 mm: damaged)")
