"""A JPEG 2000 frame that is not a codestream (random bytes, zeroed past its first bytes): one
line naming the file and each decoder's reason, and no Python object's memory address in it
(Pillow's reason was ``cannot identify image file <_io.BytesIO object at 0x7f...>`` until session
36, ``bench/kinds_fuzz.py --only j2k``), no Python error text as a reason (GDCM's part was
``gdcm: RuntimeError: gdcm: 'NoneType' object has no attribute 'encode'``: pydicom's GDCM plugin
calling ``.encode`` on the nothing GDCM gives back for a frame it cannot decode)."""

from __future__ import annotations

import logging
import random
import re

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.encaps import encapsulate, generate_frames

from neuroview.cli.main import main

SOURCE = "MR_small_jp2klossless.dcm"


@pytest.mark.parametrize("edit", [lambda d: random.Random(7).randbytes(len(d)),
                                  lambda d: d[:40] + bytes(len(d) - 40)],
                         ids=["random_bytes", "zeroed_past_its_header"])
def test_a_broken_jpeg_2000_frame_is_one_line_without_an_address(tmp_path, capsys, caplog, edit):
    """Since session 38 the line says what is wrong in words; each decoder's reason (Pillow's
    ``cannot identify image file``, ...) goes to the log alone."""
    ds = pydicom.dcmread(get_testdata_file(SOURCE))
    frame = bytes(next(generate_frames(ds.PixelData, number_of_frames=1)))
    ds.PixelData = encapsulate([edit(frame)])
    path = tmp_path / "image.dcm"
    ds.save_as(path)
    with caplog.at_level(logging.INFO, "neuroview.io.dicom.decode"):
        assert main(["convert", str(path), str(tmp_path / "out") + "/"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"neuroview: error: {path}: cannot decode pixel data (the JPEG 2000 data are "
                   "damaged: not a stream a decoder can read)"), err
    detail = [r.getMessage() for r in caplog.records if r.name == "neuroview.io.dicom.decode"]
    assert len(detail) == 1 and "pillow: cannot identify image file" in detail[0], detail
    assert not re.search(r"object at 0x|<_io\.|NoneType|\w+Error: ", detail[0]), detail
    assert detail[0].endswith("; gdcm: failed to decode the frame (damaged data)"), detail
