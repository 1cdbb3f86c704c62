"""DICOM files without the preamble and file meta group (ACR-NEMA style, or a dataset saved
bare): read as pydicom reads them with ``force=True``, the images as dcm2niix reads them."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from series_maker import compare_in_world, run_dcm2niix

from neuroview.io import load, scan

ENCODINGS = {"implicit_le": (True, True), "explicit_le": (False, True),
             "explicit_be": (False, False)}


def _bare_copy(path, implicit: bool, little: bool):
    """pydicom's CT_small.dcm (first element 0008,0005) written with no preamble or meta."""
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    pixels = ds.pixel_array
    del ds.file_meta
    ds.preamble = None
    ds.PixelData = pixels.astype(pixels.dtype.newbyteorder("<" if little else ">")).tobytes()
    pydicom.dcmwrite(path, ds, implicit_vr=implicit, little_endian=little,
                     enforce_file_format=False, force_encoding=True)
    assert path.read_bytes()[128:132] != b"DICM"
    return path


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_an_image_without_file_meta_loads_as_its_original(tmp_path, encoding):
    bare = _bare_copy(tmp_path / "bare.dcm", *ENCODINGS[encoding])
    original = load(get_testdata_file("CT_small.dcm"))
    volume = load(bare)
    np.testing.assert_array_equal(volume.array, original.array)
    np.testing.assert_allclose(volume.ijk_to_ras, original.ijk_to_ras, atol=1e-6)
    assert volume.intensity_unit == "HU"


@pytest.mark.parametrize("encoding", ["implicit_le", "explicit_le"])
def test_a_little_endian_image_without_file_meta_matches_dcm2niix(tmp_path, encoding):
    folder = tmp_path / "in"
    folder.mkdir()
    _bare_copy(folder / "bare.dcm", *ENCODINGS[encoding])
    (output,) = run_dcm2niix(folder, tmp_path / "out")
    reference = nib.load(output)
    (candidate,) = scan(folder).candidates
    volume = candidate.load()
    compare_in_world(volume.array, volume.ijk_to_ras, reference.get_fdata(), reference.affine)


@pytest.mark.parametrize("name", ["ExplVR_LitEndNoMeta.dcm", "ExplVR_BigEndNoMeta.dcm"])
def test_pydicoms_bare_rt_plans_are_named_as_rt_plans(tmp_path, name):
    """They were listed as 'not a DICOM file' (the check for a missing preamble knew only a
    first element 0008,0000 in little endian)."""
    (tmp_path / name).write_bytes(open(get_testdata_file(name), "rb").read())
    (tmp_path / "ct.dcm").write_bytes(open(get_testdata_file("CT_small.dcm"), "rb").read())
    result = scan(tmp_path)
    assert len(result.candidates) == 1
    (note,) = [n for n in result.notes if name in n]
    assert note.endswith("skipped, RTPLAN RT plan is not an image"), note
