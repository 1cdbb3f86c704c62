"""A JPEG-LS frame cut short inside its fragment (the fragment's own length made to fit, as a
PACS that stored half a stream writes it): one line, not an image. pylibjpeg decoded one cut in
half, or zeroed past its header, without a word, the rows past the cut made up (until session 36;
``bench/kinds_fuzz.py --only jpegls``). JPEG keeps no checksum: the end-of-image marker every
JPEG-LS frame ends with is what is left to tell."""

from __future__ import annotations

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.encaps import encapsulate, generate_frames

from neuroview.cli.main import main
from neuroview.io import load

SOURCE = "MR_small_jpeg_ls_lossless.dcm"


def _with_frame(tmp_path, edit):
    ds = pydicom.dcmread(get_testdata_file(SOURCE))
    frame = bytes(next(generate_frames(ds.PixelData, number_of_frames=1)))
    ds.PixelData = encapsulate([edit(frame)])
    ds.save_as(tmp_path / "image.dcm")
    return tmp_path / "image.dcm"


@pytest.mark.parametrize("edit", [lambda d: d[:len(d) // 2], lambda d: d[:40] + bytes(len(d) - 40)],
                         ids=["cut_in_half", "zeroed_past_its_header"])
def test_a_cut_jpeg_ls_frame_is_one_line(tmp_path, capsys, edit):
    path = _with_frame(tmp_path, edit)
    assert main(["convert", str(path), str(tmp_path / "out") + "/"]) == 1
    assert capsys.readouterr().err.strip() == (
        f"neuroview: error: {path}: cannot decode pixel data (the JPEG-LS frame ends without its "
        "end-of-image marker: cut short or damaged)")


def test_a_whole_frame_reads_and_a_pad_byte_after_the_marker_is_allowed(tmp_path):
    """The frame as it is reads; a fragment padded to even length with one zero byte after the
    marker (as encapsulation writes an odd-length frame) counts as whole."""
    from neuroview.io.dicom.codestream import ends_with_eoi

    original = load(get_testdata_file(SOURCE)).array
    np.testing.assert_array_equal(load(str(_with_frame(tmp_path, lambda d: d))).array, original)
    assert ends_with_eoi(b"\xff\xd8...\xff\xd9\x00") and not ends_with_eoi(b"\xff\xd8...\xff\xd9\x00\x00")
