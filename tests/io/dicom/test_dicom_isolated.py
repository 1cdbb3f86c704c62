"""GDCM in its child process (neuroview/io/dicom/isolated.py): the frames it decodes there are
pydicom's own, one child serves many frames, and after a crash the next frame gets a new one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.pixels import get_decoder

from neuroview.io.dicom.isolated import IsolatedDecoder

pytest.importorskip("gdcm")


def _in_process(path, index=None):
    ds = pydicom.dcmread(path)
    array, _ = get_decoder(ds.file_meta.TransferSyntaxUID).as_array(
        ds, index=index, as_rgb=True, decoding_plugin="gdcm")
    return array


def test_frames_come_back_as_gdcm_decodes_them_in_one_child(tmp_path):
    isolated = IsolatedDecoder()
    try:
        j2k = get_testdata_file("693_J2KR.dcm")
        first = isolated.decode(j2k, None)
        pid = isolated._proc.pid
        assert np.array_equal(first, _in_process(j2k))
        multi = get_testdata_file("emri_small_jpeg_2k_lossless.dcm")  # 10 frames
        third = isolated.decode(multi, 3)
        assert np.array_equal(third, _in_process(multi, 3))
        assert isolated._proc.pid == pid  # the same child served all three
        assert not list(Path(isolated._folder).iterdir())  # each frame's file is removed
    finally:
        isolated.close()


def test_a_crash_is_an_error_and_the_next_frame_gets_a_new_child(tmp_path):
    data = bytearray(Path(get_testdata_file("SC_rgb_dcmtk_+eb+cy+s4.dcm")).read_bytes())
    data[1705] = data[1708] = 0  # GDCM aborts on these JPEG tables (test_dicom_bad_input.py)
    damaged = tmp_path / "damaged.dcm"
    damaged.write_bytes(bytes(data))
    isolated = IsolatedDecoder()
    try:
        with pytest.raises(RuntimeError, match=r"the decoder crashed \(signal 6\)"):
            isolated.decode(str(damaged), None)
        good = get_testdata_file("SC_rgb_dcmtk_+eb+cy+s4.dcm")
        assert np.array_equal(isolated.decode(good, None), _in_process(good))
        missing = tmp_path / "gone.dcm"
        with pytest.raises(RuntimeError, match="FileNotFoundError"):  # an error, not a crash
            isolated.decode(str(missing), None)
    finally:
        isolated.close()
