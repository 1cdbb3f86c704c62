"""A slice's pixels put in a pydicom dataset as the test series makers write them: a helper
module (``tests.dicom_pixels``) of tests/dataset/fake_dicom.py and tests/marked_study.py."""

from __future__ import annotations

import numpy as np


def put_int16_slice(ds, image: np.ndarray) -> None:
    """``image`` (columns x rows, as the volumes index them) as ``ds``'s pixels: signed 16-bit
    monochrome, rows first."""
    ds.Rows, ds.Columns = image.shape[1], image.shape[0]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1
    ds.PixelData = np.ascontiguousarray(image.T, dtype=np.int16).tobytes()   # [row, col]
