"""A series opened straight away (the only one in its folder, so no chooser lists its warnings)
says its warnings in the notice bar, each on its line: here an image whose position repeats
another's was left out. Until 3 Dec 2026 the notice bar stayed empty, and a series that opened an
image short (or with its axes assumed) looked like any other; until session 28 the notice said
the first and the others were only in *Measurements*, among the user's rulers."""

from __future__ import annotations

import sys
from pathlib import Path

import pydicom
from editor_helpers import open_image
from pydicom.uid import generate_uid

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from window_files import classic_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window


def test_single_series_warning_shows_in_the_notice_bar(qtbot, window, tmp_path):
    folder = classic_series(tmp_path / "t1", 700, 1000, n_slices=5)
    repeat = pydicom.dcmread(folder / "002.dcm")   # same position, another image
    repeat.SOPInstanceUID = repeat.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    repeat.InstanceNumber = 99
    repeat.PixelData = bytes(len(repeat.PixelData))
    repeat.save_as(folder / "099.dcm", enforce_file_format=True)
    open_image(qtbot, window, folder)
    assert window.series_dialog is None                       # opened without a chooser
    assert window.controller.volume.shape[2] == 5
    warnings = window.controller.volume.warnings
    assert "duplicate positions" in warnings[0]
    lines = window.notice_bar.text.split("\n")
    assert [f"Warning: {warning}" for warning in warnings] == [
        line for line in lines if line.startswith("Warning: ")]
    assert window.measurements.count() == 0     # the user's measurements only
