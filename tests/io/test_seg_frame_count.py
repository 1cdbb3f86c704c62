"""A DICOM SEG whose NumberOfFrames disagrees with its per-frame items is one line naming both.
NumberOfFrames 0 over 4 frames, opened as labels (*Open labels*), was highdicom's internal
``IndexError: Invalid frame index '4' for image with 0 frames`` (until session 36,
``bench/kinds_fuzz.py --only seg-window``)."""

from __future__ import annotations

import pydicom
import pytest

from neuroview.core.errors import CorruptFileError
from neuroview.io.seg import load_seg, save_seg
from tests.io.seg_axial import axial_headers, modelled


@pytest.mark.parametrize("frames", [0, 2])
def test_a_frame_count_that_disagrees_is_said(tmp_path, frames):
    headers, ijk_to_ras = axial_headers(4, 32)
    label_map = modelled((32, 32, 4), ijk_to_ras)[0]
    path = tmp_path / "seg.dcm"
    save_seg(label_map, headers, path)
    ds = pydicom.dcmread(path)
    items = len(ds.PerFrameFunctionalGroupsSequence)
    ds.NumberOfFrames = frames
    ds.save_as(path)
    with pytest.raises(CorruptFileError) as caught:
        load_seg(path, label_map)
    assert str(caught.value) == (f"{path}: NumberOfFrames is {frames}, but the SEG describes "
                                 f"{items} frames (damaged header)")
