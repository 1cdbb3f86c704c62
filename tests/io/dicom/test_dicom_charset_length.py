"""A Specific Character Set (0008,0005) whose length is damaged (65535: the elements after it read
as its value, null bytes and all) is said in words: it was `DICOM file is damaged (embedded null
character)`, Python's text from ``codecs.lookup`` (``bench/fuzz_readers.py --only enhanced``,
session 39)."""

from __future__ import annotations

import pydicom
from raw_series import write_raw_series

from neuroview.cli.main import main


def test_a_character_set_of_damaged_length_is_said_in_words(tmp_path, capsys):
    path = write_raw_series(tmp_path / "series", n=1)[0]
    ds = pydicom.dcmread(path)
    ds.SpecificCharacterSet = "ISO_IR 100"
    ds.save_as(path)
    data = bytearray(path.read_bytes())
    at = data.index(b"\x08\x00\x05\x00CS")
    data[at + 6:at + 8] = b"\xff\xff"
    path.write_bytes(bytes(data))
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"neuroview: error: {path}: DICOM file is damaged (its Specific Character Set names no "
        "character set: its length or value is damaged)")
