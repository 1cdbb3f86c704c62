"""A DICOMDIR whose files are named on disk in other case (a CD's ISO 9660 names read on Linux
in lower case) or are not there at all, opened by the DICOMDIR file itself."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
from raw_series import write_cd

from neuroview.core.errors import NeuroviewError
from neuroview.io.registry import scan


def test_a_dicomdir_of_a_cd_read_in_lower_case_reads_its_files(tmp_path):
    """PT000000/ST000000/SE000000/IM000000 on the CD, pt000000/.../im000000 as Linux mounts it:
    the DICOMDIR opened alone was refused, 'DICOMDIR lists no files (no directory record names
    one)' (pydicom's FileSet leaves out the instances it does not find)."""
    dicomdir = write_cd(tmp_path, 3)
    expected = scan(str(dicomdir)).candidates[0].load().array
    for folder, names, files in os.walk(dicomdir.parent, topdown=False):
        for name in names + files:
            if name != "DICOMDIR":
                os.rename(os.path.join(folder, name), os.path.join(folder, name.lower()))
    (candidate,) = scan(str(dicomdir)).candidates
    assert candidate.n_files == 3
    assert all(os.path.basename(f).startswith("im") for f in candidate.files)
    np.testing.assert_array_equal(candidate.load().array, expected)


def test_a_dicomdir_without_its_files_says_they_are_missing(tmp_path):
    """It said 'lists no files (no directory record names one)', where it names three."""
    dicomdir = write_cd(tmp_path, 3)
    for folder in dicomdir.parent.iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    with pytest.raises(NeuroviewError) as caught:
        scan(str(dicomdir))
    assert str(caught.value) == (
        f"{dicomdir}: no image found (3 files skipped, e.g. "
        f"{dicomdir.parent / 'PT000000' / 'ST000000' / 'SE000000' / 'IM000000'}: listed in the "
        "DICOMDIR but missing)")
