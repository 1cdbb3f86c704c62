"""nibabel's refusals of a NIfTI or MGH header are said as the field and its value: the reasons
were nibabel's own texts (``invalid header (Unknown MGH format version)``, ``(data code 99 not
recognized)``, ``(EOL check not 0 or 13, 10, 26, 10; data may be corrupted by EOL
conversion)``, ``(unknown code 99)``; ``bench/fuzz_readers.py``, session 39)."""

from __future__ import annotations

import gzip
import struct

import nibabel as nib
import numpy as np
import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io.nifti import load_nifti

VOXELS = np.arange(4 * 5 * 3, dtype=np.int16).reshape(4, 5, 3)


def _changed(tmp_path, image, suffix, offset, value: bytes):
    path = tmp_path / f"whole{suffix}"
    nib.save(image, path)
    data = bytearray(path.read_bytes())
    data[offset:offset + len(value)] = value
    damaged = tmp_path / f"damaged{suffix}"
    damaged.write_bytes(data)
    return damaged


CASES = {
    "mgh version": (nib.MGHImage, ".mgh", 0, struct.pack(">i", 7),
                    "MGH header's version field is 7, not 1 (damaged header, or not an MGH file)"),
    "mgh type": (nib.MGHImage, ".mgh", 20, struct.pack(">i", 99),
                 "MGH header's type field is 99, not 0 (uint8), 1 (int32), 3 (float32), 4 (int16) "
                 "or 10 (uint16) (damaged header)"),
    "nifti-1 datatype": (nib.Nifti1Image, ".nii", 70, struct.pack("<h", 99),
                         "NIfTI header's datatype field is 99, not a type NIfTI defines (damaged "
                         "header)"),
    "nifti-2 datatype": (nib.Nifti2Image, ".nii", 12, struct.pack("<h", 99),
                         "NIfTI header's datatype field is 99, not a type NIfTI defines (damaged "
                         "header)"),
    "nifti-2 line ends": (nib.Nifti2Image, ".nii", 8, b"\r\n\n\n",
                          "NIfTI-2 header's line-end check bytes (8-11) are 13 10 10 10, not 13 10 "
                          "26 10: the file went through a transfer that changes line ends, and its "
                          "voxels may be damaged"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refused_field_is_named_with_its_value(tmp_path, case):
    klass, suffix, offset, value, words = CASES[case]
    path = _changed(tmp_path, klass(VOXELS, np.eye(4)), suffix, offset, value)
    with pytest.raises(CorruptFileError) as caught:
        load_nifti(path)
    assert str(caught.value) == f"{path}: {words}"


def test_a_compressed_mgz_is_read_for_the_value(tmp_path):
    path = _changed(tmp_path, nib.MGHImage(VOXELS, np.eye(4)), ".mgh", 0, struct.pack(">i", 2))
    mgz = path.with_suffix(".mgz")
    mgz.write_bytes(gzip.compress(path.read_bytes()))
    with pytest.raises(CorruptFileError) as caught:
        load_nifti(mgz)
    assert "MGH header's version field is 2, not 1" in str(caught.value)
