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
