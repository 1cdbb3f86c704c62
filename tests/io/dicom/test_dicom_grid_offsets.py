"""A classic multi-frame file (NM, RT dose, some CT) places its frames with GridFrameOffsetVector,
one offset per frame. One of fewer or more values, or of values that are not numbers, is one line
naming the file and the problem: it was "DICOM file is damaged (IndexError: list index out of
range)" or "(TypeError: 'DSfloat' object is not subscriptable)", and text values put every frame
at offset 0 (a 4D series of one slice, no warning)."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from raw_series import set_raw, write_raw_series

from neuroview.io import load, scan

CLI_FORKED = "what `info` prints, not a process's start; no network runs"
"""The ``cli`` fixture runs the command line's main in a forked copy (tests/conftest.py)."""


def _multi_frame(folder, offsets):
    (path,) = write_raw_series(folder, n=1)
    ds = pydicom.dcmread(path)
    ds.NumberOfFrames = 3
    ds.PixelData = np.arange(16 * 12 * 3, dtype=np.uint16).tobytes()
    set_raw(ds, "GridFrameOffsetVector", offsets)
    ds.save_as(path)
    return path


def test_offsets_place_the_frames(tmp_path):
    _multi_frame(tmp_path / "dose", (0, 2.5, 5))
    (candidate,) = scan(tmp_path / "dose").candidates
    assert candidate.shape == (12, 16, 3) and not candidate.warnings
    volume = load(tmp_path / "dose")
    assert np.allclose(volume.ijk_to_ras[:3, 2], [0, 0, 2.5])
    stored = np.arange(16 * 12 * 3, dtype=np.uint16).reshape(3, 16, 12)
    assert np.array_equal(volume.array[:, :, 2], stored[2].T)


@pytest.mark.parametrize("offsets, problem", [
    ((0, 2), "GridFrameOffsetVector holds 2 values for 3 frames (damaged)"),
    (5, "GridFrameOffsetVector holds 1 value for 3 frames (damaged)"),
    ((0, 2, 4, 6), "GridFrameOffsetVector holds 4 values for 3 frames (damaged)"),
    (("a", "b", "c"), "GridFrameOffsetVector holds values that are not finite numbers (damaged)"),
    ((0, "NaN", 4), "GridFrameOffsetVector holds values that are not finite numbers (damaged)"),
])
def test_damaged_offsets_are_one_line_and_the_scan_goes_on(tmp_path, cli, offsets, problem):
    bad = _multi_frame(tmp_path / "study" / "dose", offsets)
    write_raw_series(tmp_path / "study" / "t1")
    found = scan(tmp_path / "study")
    assert [c.shape for c in found.candidates] == [(12, 16, 5)]
    assert found.notes == [f"skipped {bad}: {problem}: the frames cannot be placed"]
    done = cli("info", bad)
    assert done.returncode == 1
    assert done.stderr == f"neuroview: error: {bad}: {problem}: the frames cannot be placed\n"
