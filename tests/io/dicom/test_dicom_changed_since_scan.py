"""A DICOM file moved or deleted between the folder's scan and the read (a CD ejected, a sync
removing it) is one line in words naming the file: it was `DICOM file cannot be read again
(FileNotFoundError)`, an exception class as the reason (session 39, probing files that change
while read)."""

from __future__ import annotations

import os

import pytest
from raw_series import write_raw_series

from neuroview.core.errors import NeuroviewError
from neuroview.io.registry import scan


def test_a_file_gone_since_the_scan_is_said_in_words(tmp_path):
    paths = write_raw_series(tmp_path / "series", n=5)
    result = scan(str(tmp_path / "series"))
    os.remove(paths[2])
    with pytest.raises(NeuroviewError) as caught:
        for candidate in result.candidates:
            candidate.load()
    assert str(caught.value) == (f"{paths[2]}: DICOM file is gone since the folder was scanned "
                                 "(moved or deleted)")


def _load_after(tmp_path, change) -> str:
    paths = write_raw_series(tmp_path / "series", n=4)
    result = scan(str(tmp_path / "series"))
    change(paths[1])
    with pytest.raises(NeuroviewError) as caught:
        for candidate in result.candidates:
            candidate.load()
    return str(caught.value).replace(f"{paths[1]}: ", "<file>: ")


@pytest.mark.parametrize("keep", [300, -100])   # inside the header; inside the pixel data
def test_a_file_cut_since_the_scan_is_said_so(tmp_path, keep):
    """It was `the Explicit VR Little Endian data are damaged: not a stream a decoder can read`
    (cut in the header) or `cut short, or a wrong transfer syntax` (in the pixels)."""
    def cut(path):
        data = path.read_bytes()
        path.write_bytes(data[:keep])
        cut.sizes = len(data[:keep]), len(data)

    said = _load_after(tmp_path, cut)
    assert said == (f"<file>: DICOM file was cut short since the folder was scanned "
                    f"({cut.sizes[0]} of its {cut.sizes[1]} bytes are left) (open the folder again)")


def test_a_file_replaced_by_one_of_its_size_is_said_so(tmp_path):
    said = _load_after(tmp_path, lambda path: path.write_bytes(
        bytes(range(256)) * (path.stat().st_size // 256) + b"\x01" * (path.stat().st_size % 256)))
    assert said == ("<file>: DICOM file was replaced since the folder was scanned (it is not the "
                    "image scanned) (open the folder again)")
