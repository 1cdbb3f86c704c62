"""Why a damaged DICOM SEG could not be read, in words (``seg_check.seg_words``), where pydicom's
or highdicom's were the reason: ``not a readable DICOM SEG (MemoryError)`` for pixel data whose
length field says 4 GB (read under a memory limit, as ``bench/fuzz_readers.py`` runs it),
``('FileDataset' object has no attribute 'Rows')`` for a SEG with a 16th of it zeroed, ``(No tag
to read at file position 24E)`` (session 42)."""

from __future__ import annotations

import pytest

from neuroview.io.seg import save_seg
from neuroview.io.seg_check import seg_words
from tests.io.seg_axial import axial_headers, modelled


@pytest.fixture(scope="module")
def seg(tmp_path_factory):
    headers, ijk_to_ras = axial_headers(4, 32)
    path = tmp_path_factory.mktemp("seg") / "seg.dcm"
    save_seg(modelled((32, 32, 4), ijk_to_ras)[0], headers, path)
    return path


def test_pixel_data_declaring_more_than_the_file_is_said(tmp_path, seg):
    data = seg.read_bytes()
    at = data.index(b"\xe0\x7f\x10\x00OB\x00\x00") + 8   # (7FE0,0010)'s 4-byte length
    path = tmp_path / "seg.dcm"
    path.write_bytes(data[:at] + b"\xf0\xff\xff\xff" + data[at + 4:])
    held = len(data) - at - 4
    assert seg_words(MemoryError(), str(path)) == (
        f"its pixel data declares 4294967280 bytes, the file ends {held} bytes after their start: "
        "truncated or damaged")


def test_a_missing_field_and_an_unreadable_element_are_said(seg):
    missing = AttributeError("'FileDataset' object has no attribute 'Rows'", name="Rows")
    assert seg_words(missing, str(seg)) == "it has no Rows: damaged or stripped file"
    assert seg_words(OSError("No tag to read at file position 24E"), str(seg)) == (
        "its data elements cannot be read from byte 590 on: damaged")
    assert seg_words(ValueError("something else"), str(seg)) == "something else"


def test_a_fractional_seg_without_its_maximum_value_is_one_line(tmp_path, seg):
    """A SEG that says FRACTIONAL but lacks MaximumFractionalValue (one value of the file changed:
    bench/mutate_readers.py --only seg, seed 50, cases 2 and 28) was highdicom's internal
    AttributeError out of ``load_seg``."""
    import pydicom

    from neuroview.core.errors import CorruptFileError
    from neuroview.io.seg import load_seg

    ds = pydicom.dcmread(seg)
    ds.SegmentationType = "FRACTIONAL"
    path = tmp_path / "fractional.dcm"
    ds.save_as(path)
    with pytest.raises(CorruptFileError) as refused:
        load_seg(path)
    assert str(refused.value) == (f"{path}: not a readable DICOM SEG (it has no MaximumFractionalValue: "
                                  "damaged or stripped file)")


@pytest.mark.parametrize("damage, said", [
    ("number", "a segment has no SegmentNumber: damaged"),
    ("photometric", "it has no PhotometricInterpretation: damaged or stripped file")])
def test_a_segment_without_its_number_or_frames_without_photometric_are_one_line(tmp_path, seg, damage,
                                                                                  said):
    """A SEG whose segment's number is empty, or that lacks PhotometricInterpretation, was an
    internal TypeError ('int() argument must be ... not NoneType') or AttributeError out of
    highdicom as the segments or frames were read (bench/mutate_readers.py --only seg, seed 53,
    cases 3 and 25)."""
    import pydicom

    from neuroview.core.errors import CorruptFileError
    from neuroview.io.seg import load_seg

    ds = pydicom.dcmread(seg)
    if damage == "number":
        ds.SegmentSequence[0].SegmentNumber = None
    else:
        del ds.PhotometricInterpretation
    path = tmp_path / "damaged.dcm"
    ds.save_as(path)
    with pytest.raises(CorruptFileError) as refused:
        load_seg(path)
    assert str(refused.value) == f"{path}: not a readable DICOM SEG ({said})"
