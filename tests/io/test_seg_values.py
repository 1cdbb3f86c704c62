"""A DICOM SEG's damaged header values, opened as labels, are one line in words, not highdicom's
internals (session 36, ``bench/kinds_fuzz.py --only seg-window``): a NaN spacing was ``NOT NULL
constraint failed: FrameLUT.PixelSpacing_0``, an infinite position ``cannot convert float NaN to
integer``, pixel data cut short ``cannot reshape array of size 32 into shape (16,12)``, no
segment list ``'Segmentation' object has no attribute 'SegmentSequence'``."""

from __future__ import annotations

import pydicom
import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io.seg import load_seg, save_seg
from tests.io.seg_axial import axial_headers, modelled


def _shared(ds, group, keyword, value):
    setattr(getattr(ds.SharedFunctionalGroupsSequence[0], group)[0], keyword, value)


def _first_frame(ds, group, keyword, value):
    setattr(getattr(ds.PerFrameFunctionalGroupsSequence[0], group)[0], keyword, value)


EDITS = {
    "spacing_nan": (lambda ds: _shared(ds, "PixelMeasuresSequence", "PixelSpacing", ["NaN", "NaN"]),
                    "the SEG's PixelSpacing (shared) is NaN\\NaN, not finite numbers (damaged header)"),
    # highdicom's words were the reason: "All values in 'pixel_spacing' must be positive."
    "spacing_zero": (lambda ds: _shared(ds, "PixelMeasuresSequence", "PixelSpacing", ["0", "1"]),
                     "the SEG's PixelSpacing (shared) is 0\\1, not a size in mm above 0 "
                     "(damaged header)"),
    "orientation_inf": (lambda ds: _shared(ds, "PlaneOrientationSequence", "ImageOrientationPatient",
                                           ["1", "0", "0", "0", "inf", "0"]),
                        "the SEG's ImageOrientationPatient (shared) is 1\\0\\0\\0\\inf\\0, not "
                        "finite numbers (damaged header)"),
    "position_inf": (lambda ds: _first_frame(ds, "PlanePositionSequence", "ImagePositionPatient",
                                             ["inf", "0", "0"]),
                     "the SEG's ImagePositionPatient (frame 1) is inf\\0\\0, not finite numbers "
                     "(damaged header)"),
    "segments_removed": (lambda ds: delattr(ds, "SegmentSequence"),
                         "the SEG has no segment list (SegmentSequence; damaged or stripped file)"),
    # a file cut right before its pixel data: highdicom's AttributeError escaped (session 42)
    "pixel_data_removed": (lambda ds: delattr(ds, "PixelData"),
                           "the SEG holds no pixel data (PixelData; the file is cut short or "
                           "stripped)"),
    "pixel_data_cut": (lambda ds: setattr(ds, "PixelData", ds.PixelData[:4]),
                       "the SEG's pixel data holds 4 bytes, its {frames} frames of 32x32 need "
                       "{need} (truncated)"),
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    headers, ijk_to_ras = axial_headers(4, 32)
    label_map = modelled((32, 32, 4), ijk_to_ras)[0]
    path = tmp_path_factory.mktemp("seg") / "seg.dcm"
    save_seg(label_map, headers, path)
    return path, label_map


@pytest.mark.parametrize("name", EDITS)
def test_a_damaged_seg_value_is_said_in_words(tmp_path, saved, name):
    source, label_map = saved
    ds = pydicom.dcmread(source)
    frames = int(ds.NumberOfFrames)
    edit, expected = EDITS[name]
    edit(ds)
    path = tmp_path / "seg.dcm"
    ds.save_as(path)
    with pytest.raises(CorruptFileError) as caught:
        load_seg(path, label_map)
    assert str(caught.value) == f"{path}: " + expected.format(frames=frames,
                                                             need=(frames * 32 * 32 + 7) // 8)
