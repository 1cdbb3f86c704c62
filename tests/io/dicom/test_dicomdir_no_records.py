"""A DICOMDIR whose records name no file (its Directory Record Sequence emptied) is said so: it
was `no image in this file` (``bench/fuzz_readers.py --only dicomdir``, session 39). The folder it
lies in still reads."""

from __future__ import annotations

import pydicom
import pytest
from raw_series import write_cd

from neuroview.core.errors import NeuroviewError
from neuroview.io.registry import scan


def test_a_dicomdir_naming_no_file_is_said_so(tmp_path):
    dicomdir = write_cd(tmp_path, 2)
    ds = pydicom.dcmread(dicomdir)
    ds.DirectoryRecordSequence = []
    ds.save_as(dicomdir, enforce_file_format=False)
    with pytest.raises(NeuroviewError) as caught:
        scan(str(dicomdir))
    assert str(caught.value) == f"{dicomdir}: DICOMDIR lists no files (no directory record names one)"
    assert [c.shape for c in scan(str(tmp_path / "cd")).candidates] == [(12, 16, 2)]
