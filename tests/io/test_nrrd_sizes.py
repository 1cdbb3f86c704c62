"""NRRD ``sizes`` are read as the header writes them: pynrrd reads them through floats, so
``10.5`` was read as 10 (exit 0) and 2^63-1 as -2^63, said as a negative size (until session 36,
``bench/kinds_fuzz.py --only nhdr``). Each is one line naming the file, with what was written."""

from __future__ import annotations

import numpy as np
import pytest

from neuroview.cli.main import main
from neuroview.io import load

HEADER = ("NRRD0004\ntype: short\ndimension: 3\nspace: right-anterior-superior\nsizes: {}\n"
          "space directions: (1.5,0,0) (0,1.5,0) (0,0,2)\nspace origin: (0,0,0)\nendian: little\n"
          "encoding: raw\n\n")


def _nrrd(tmp_path, sizes: str):
    path = tmp_path / "scan.nrrd"
    path.write_bytes(HEADER.format(sizes).encode() + np.arange(540, dtype="<i2").tobytes())
    return path


@pytest.mark.parametrize("sizes, problem", [
    ("10.5 9 6", "NRRD sizes must be whole numbers of voxels, not '10.5 9 6'"),
    ("10 9 6e0", "NRRD sizes must be whole numbers of voxels, not '10 9 6e0'"),
    ("9223372036854775807 1 1", "header declares absurd dimensions (9223372036854775807, 1, 1)"),
    # Python's words were the reason: "could not convert string to float: 'ten'"
    ("ten 9 6", "cannot read NRRD header ('ten' is not a number)"),
    # a data file list's names, read by pynrrd as fields: "not enough values to unpack (expected
    # 2, got 1)"
    ("10 9 6\ndata file: LIST\nscan.raw", "NRRD data file lists are not supported"),
    ("10 9 6\nspace units\n", "cannot read NRRD header (a header line is not 'field: value')"),
])
def test_sizes_not_whole_or_past_int64_are_one_line(tmp_path, capsys, sizes, problem):
    path = _nrrd(tmp_path, sizes)
    assert main(["info", str(path)]) == 1
    assert capsys.readouterr().err.strip() == f"neuroview: error: {path}: {problem}"


def test_whole_sizes_read_as_before(tmp_path):
    volume = load(str(_nrrd(tmp_path, "10 9 6")))
    assert volume.array.shape == (10, 9, 6)
    np.testing.assert_array_equal(volume.array.ravel(order="F"), np.arange(540))
