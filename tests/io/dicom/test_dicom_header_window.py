"""The window a DICOM series names (WindowWidth / WindowCenter; an enhanced file's Frame VOI
LUT group) comes with the loaded Volume, in its rescaled units: read back by pydicom as the
reference. Until 3 Dec 2026 it was ignored and every MR opened at the automatic window."""

from __future__ import annotations

import os

import pydicom
import pytest
from window_files import classic_series, enhanced_file

from neuroview.io import scan


def _load(path):
    candidates = scan(str(path)).candidates
    assert len(candidates) == 1
    return candidates[0].load(None, None)


def _reference(path):
    """(width, centre) as pydicom reads the first file's top-level values, first of several."""
    ds = pydicom.dcmread(path)

    def first(value) -> float:
        return float(value[0]) if isinstance(value, pydicom.multival.MultiValue) else float(value)

    return first(ds.WindowWidth), first(ds.WindowCenter)


@pytest.mark.parametrize("centre, width", [(700, 1000), ([40, 400], [80, 2000]), (37.5, 81.25)])
def test_classic_series_window_is_the_headers_first(tmp_path, centre, width):
    folder = classic_series(tmp_path / "t1", centre, width)
    volume = _load(folder)
    assert volume.header_window == _reference(folder / "000.dcm")


def test_the_headers_other_windows_come_after_the_first(tmp_path):
    # a CT naming soft tissue and bone (pydicom's bad_sequence.dcm: 350/40 and 1500/450), the
    # soft-tissue numbers again and a window of no width: each usable window once, in order, as
    # pydicom reads the file (until session 36 only the first was kept)
    folder = classic_series(tmp_path / "ct", [40, 450, 40, 30], [350, 1500, 350, 0])
    volume = _load(folder)
    ds = pydicom.dcmread(folder / "000.dcm")
    assert volume.header_window == (float(ds.WindowWidth[0]), float(ds.WindowCenter[0]))
    assert volume.more_header_windows == ((float(ds.WindowWidth[1]), float(ds.WindowCenter[1])),)
    assert _load(classic_series(tmp_path / "one", 40, 80)).more_header_windows == ()


def test_window_applies_to_the_rescaled_values_as_stored(tmp_path):
    # the VOI LUT follows the modality LUT: the header's numbers are in rescaled units already
    folder = classic_series(tmp_path / "ct", 40, 80, slope=1.0, intercept=-1024.0)
    assert _load(folder).header_window == (80.0, 40.0)


def test_a_series_naming_no_window_has_none(tmp_path):
    assert _load(classic_series(tmp_path / "plain", None, None)).header_window is None


@pytest.mark.parametrize("per_frame", [False, True])
def test_enhanced_file_window_from_its_voi_group(tmp_path, per_frame):
    path = enhanced_file(tmp_path / "enhanced.dcm", 600.0, 1200.0, per_frame=per_frame)
    ds = pydicom.dcmread(path)
    group = (ds.PerFrameFunctionalGroupsSequence[0] if per_frame
             else ds.SharedFunctionalGroupsSequence[0])
    voi = group.FrameVOILUTSequence[0]
    assert _load(path).header_window == (float(voi.WindowWidth), float(voi.WindowCenter))


@pytest.mark.parametrize("per_frame", [False, True])
def test_an_enhanced_files_other_windows_come_after_the_first(tmp_path, per_frame):
    # soft tissue and bone (and soft tissue again) in the shared group, or written in every
    # frame's own: both offered, as a classic file's (until session 36 only the first frame's
    # first window was kept)
    path = enhanced_file(tmp_path / "ct.dcm", [40, 450, 40], [350, 1500, 350],
                         per_frame=per_frame, vary=False)
    ds = pydicom.dcmread(path)
    groups = ds.PerFrameFunctionalGroupsSequence if per_frame else ds.SharedFunctionalGroupsSequence
    voi = groups[0].FrameVOILUTSequence[0]
    volume = _load(path)
    assert volume.header_window == (float(voi.WindowWidth[0]), float(voi.WindowCenter[0]))
    assert volume.more_header_windows == ((float(voi.WindowWidth[1]), float(voi.WindowCenter[1])),)


def test_an_enhanced_files_window_for_each_slice_is_not_offered_as_many(tmp_path):
    # a window of each frame's own (a scanner's for each slice): the first frame's alone
    path = enhanced_file(tmp_path / "mr.dcm", [600.0, 300.0], [1200.0, 500.0], per_frame=True)
    assert pydicom.dcmread(path).PerFrameFunctionalGroupsSequence[1].FrameVOILUTSequence[0] \
        .WindowCenter[0] == 650.0
    volume = _load(path)
    assert volume.header_window == (1200.0, 600.0)
    assert volume.more_header_windows == ()


def test_pydicoms_own_files_big_endian_and_multi_valued():
    from pydicom.data import get_testdata_file

    for name in ("MR_small.dcm", "MR_small_bigendian.dcm", "examples_overlay.dcm"):
        path = get_testdata_file(name)
        if path is None or not os.path.exists(path):
            pytest.skip(f"pydicom's {name} is not installed")
        assert _load(path).header_window == _reference(path), name
