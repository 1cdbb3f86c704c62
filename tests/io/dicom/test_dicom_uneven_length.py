"""A DICOM element of numbers (UL, US, FL...) whose length is no multiple of a number's size is
said in words, naming the file. The file meta group length with its length field set to 0xFFFF
(``bench/fuzz_readers.py --only dicom``, session 39) read `DICOM file is damaged (Expected total
bytes to be an even multiple of bytes per value. Instead received bytes with length 1066 and
struct format 'L' which corresponds to bytes per val)`: pydicom's text, cut mid-word. Such an
element swallows the rest of the file: when those bytes are a multiple of 4 (the series' random
UIDs made the file 2 bytes shorter or longer, 5 files in 400), pydicom read them as numbers and
the file was said to hold "no readable data elements" instead (session 40's fresh-clone CI)."""

from __future__ import annotations

import pytest
from raw_series import write_raw_series

from neuroview.cli.main import main


@pytest.mark.parametrize("fits", [False, True], ids=["uneven", "fits-4-byte-numbers"])
def test_a_damaged_meta_group_length_is_said_in_words(tmp_path, capsys, fits):
    path = write_raw_series(tmp_path / "in", n=1)[0]
    data = bytearray(path.read_bytes())
    assert data[128:138] == b"DICM\x02\x00\x00\x00UL"   # (0002,0000) UL, a 2-byte length field
    data[138:140] = b"\xff\xff"
    if ((len(data) - 140) % 4 == 0) != fits:   # the element holds the rest of the file
        data += b"\0\0"
    path.write_bytes(bytes(data))
    for argv in (["info", str(path)], ["convert", str(path), str(tmp_path / "out") + "/"]):
        assert main(argv) == 1
        err = capsys.readouterr().err.strip()
        assert err == (
            f"neuroview: error: {path}: DICOM file is damaged (its file meta group length "
            "(0002,0000) declares 65535 bytes where 4 belong: its length is damaged)")
