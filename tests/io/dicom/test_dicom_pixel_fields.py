"""A header field that describes the pixels (SamplesPerPixel, PhotometricInterpretation,
BitsAllocated, BitsStored, PixelRepresentation) missing or impossible is named: the reason was
`cannot decode pixel data (the Explicit VR Little Endian data are damaged: not a stream a decoder
can read)`, blaming whole pixel data (``bench/fuzz_readers.py --only enhanced``, session 39)."""

from __future__ import annotations

import pydicom
import pytest
from raw_series import write_raw_series

from neuroview.core.errors import NeuroviewError
from neuroview.io.registry import scan


def _edit(ds, keyword, value):
    if value is None:
        delattr(ds, keyword)
    else:
        setattr(ds, keyword, value)


@pytest.mark.parametrize("keyword, value, words", [
    ("SamplesPerPixel", None, "no SamplesPerPixel"),
    ("SamplesPerPixel", 0, "SamplesPerPixel 0, not 1 or 3"),
    ("PhotometricInterpretation", "", "no PhotometricInterpretation"),
    ("BitsStored", 0, "BitsStored 0 where BitsAllocated is 16"),
    ("PixelRepresentation", 7, "PixelRepresentation 7, not 0 or 1"),
])
def test_a_pixel_field_missing_or_impossible_is_named(tmp_path, keyword, value, words):
    paths = write_raw_series(tmp_path / "series", n=2)
    for path in paths:
        ds = pydicom.dcmread(path)
        _edit(ds, keyword, value)
        ds.save_as(path)
    with pytest.raises(NeuroviewError) as caught:
        for candidate in scan(str(tmp_path / "series")).candidates:
            candidate.load()
    said = str(caught.value)
    assert said.split(": ", 1)[1] == (f"DICOM header does not describe its pixels: {words} "
                                      "(damaged header)")
    assert said.split(": ", 1)[0] in map(str, paths)
