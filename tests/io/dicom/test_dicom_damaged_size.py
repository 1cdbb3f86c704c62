"""An image's Rows or Columns damaged: one line saying what the file holds there. A Rows of
6 bytes (the text ``65535`` written into the US element, as a broken export or
``bench/kinds_fuzz.py`` does) reads as three numbers, and the enhanced multi-frame file was
refused as ``DICOM image has no Rows/Columns``: it has one, damaged (until session 36)."""

from __future__ import annotations

import pydicom
import pytest
from enhanced_maker import EnhancedSpec, write_enhanced
from pydicom.dataelem import RawDataElement

from neuroview.cli.main import main


@pytest.fixture(scope="module")
def enhanced(tmp_path_factory, mni_volume):
    path = tmp_path_factory.mktemp("enhanced") / "enhanced.dcm"
    write_enhanced(path, mni_volume, EnhancedSpec())
    return path


def _damaged(source, target, keyword, raw: bytes):
    ds = pydicom.dcmread(source)
    tag = ds.data_element(keyword).tag
    ds[tag] = RawDataElement(tag, "US", len(raw), raw, 0, False, True)
    ds.save_as(target)
    return target


@pytest.mark.parametrize("keyword, raw, said", [
    ("Rows", b"65535 ", "DICOM Rows holds 3 values (13622\\13109\\8245) where one number of pixels belongs"),
    ("Columns", b"\x00\x00", "DICOM Columns is 0, not a number of pixels"),
])
def test_a_damaged_size_is_said_as_it_is(enhanced, tmp_path, capsys, keyword, raw, said):
    path = _damaged(enhanced, tmp_path / "damaged.dcm", keyword, raw)
    assert main(["info", str(path)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [f"neuroview: error: {path}: {said} (damaged header)"]


def test_rows_65535_as_a_number_is_said_to_be_past_the_pixel_data(enhanced, tmp_path, capsys):
    ds = pydicom.dcmread(enhanced)
    ds.Rows = 65535
    ds.save_as(tmp_path / "tall.dcm")
    assert main(["convert", str(tmp_path / "tall.dcm"), str(tmp_path / "out") + "/"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"neuroview: error: {tmp_path / 'tall.dcm'}: DICOM header declares 12 frames of "
                   "65535x36 but the pixel data holds 34560 bytes (truncated or lying header)")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_jpeg_ls_frame_smaller_than_the_header_says_is_said_as_it_is(tmp_path, capsys):
    """A compressed frame of 64 x 64 under Rows 128: every decoder failed on its output's shape
    ('could not broadcast input array from shape (4096,) into shape (8192,)'; a frame larger
    than the header says was already refused, as a possible decompression bomb)."""
    from pydicom.data import get_testdata_file

    ds = pydicom.dcmread(get_testdata_file("MR_small_jpeg_ls_lossless.dcm"))
    ds.Rows = 128
    ds.save_as(tmp_path / "short.dcm")
    assert main(["convert", str(tmp_path / "short.dcm"), str(tmp_path / "out") + "/"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {tmp_path / 'short.dcm'}: cannot decode pixel data (the compressed frame "
        "declares a 64x64 image of 1 component where the header says 64x128: the header's Rows or "
        "Columns, or the stream, is damaged)")
