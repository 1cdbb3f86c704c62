"""A DICOM series cut short is said where the image is seen. A compressed file read without its
last 8 bytes (pydicom's ``emri_small_jpeg_2k_lossless_too_short.dcm``) was a note of ``neuroview
info`` alone; an MR image file cut inside its header (no Rows, no pixel data) was a note of info
alone too ('holds no image', as a report's), and the window opened the series a slice short
without a word. Now the first is one of the series' warnings (info, convert and the notice bar),
the second a file left out (the red bar, as any damaged file)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from pydicom.data import get_testdata_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io" / "dicom"))
from raw_series import write_raw_series  # noqa: E402

WITHOUT_3D = "no test here looks at the 3D view"   # tests/ui/conftest.py:_main_window

CUT = "emri_small_jpeg_2k_lossless_too_short.dcm"


def _open(qtbot, window, folder) -> None:
    window.open_paths([str(folder)])
    qtbot.waitUntil(lambda: window.controller.volume is not None and not window.runner.busy,
                    timeout=60000)


def test_a_file_read_though_cut_short_is_in_the_notice_bar(qtbot, window, tmp_path):
    folder = tmp_path / "cut"
    folder.mkdir()
    shutil.copy(get_testdata_file(CUT), folder / CUT)
    _open(qtbot, window, folder)
    assert window.controller.volume.shape == (64, 64, 10)
    lines = window.notice_bar.text.split("\n")
    assert f"Warning: {folder / CUT}: compressed pixel data end without their delimiter (the " \
           "file's last 8 bytes, cut short?): read as if it were there, as dcm2niix reads it" \
           in lines, lines
    assert not window.message_bar.isVisible()   # read: not a file left out


def test_an_image_file_cut_in_its_header_is_a_file_left_out(qtbot, window, tmp_path):
    folder = tmp_path / "half"
    paths = write_raw_series(folder, n=6)
    data = paths[5].read_bytes()
    paths[5].write_bytes(data[:len(data) // 2])   # cut in half: inside its header, before Rows
    _open(qtbot, window, folder)
    assert window.controller.volume.shape == (12, 16, 5)
    assert window.message_bar.text == (f"1 file left out: skipped {paths[5]}: DICOM MR Image "
                                       "Storage file has no pixel data (truncated or stripped file)")
